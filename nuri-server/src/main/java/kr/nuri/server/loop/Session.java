package kr.nuri.server.loop;

import java.util.function.LongFunction;
import kr.nuri.core.command.Command;
import kr.nuri.core.engine.Engine;
import kr.nuri.core.engine.Result;

/** What a {@link Work} sees on the engine thread: the engine (read it freely), the time, and apply. */
public interface Session {
    /** Engine time for commands of this batch (seconds); never goes backwards. */
    long now();

    /** The engine, for queries. Only change it through {@link #apply}. */
    Engine engine();

    /**
     * Asks for the next full pass soon (a job was left waiting without an estimated start): within seconds,
     * but never more than ~1% of the engine's time.
     */
    void wantEstimatesSoon();

    /** Records an act in the audit trail, written with this batch's events. */
    void audit(kr.nuri.server.journal.AuditLog.Entry entry);

    /** Applies a command made for the current time; its events are journaled before anyone is answered. */
    Result apply(LongFunction<Command> command);
}

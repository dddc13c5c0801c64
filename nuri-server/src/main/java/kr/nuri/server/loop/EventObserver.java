package kr.nuri.server.loop;

import kr.nuri.core.engine.Engine;
import kr.nuri.core.event.Event;

/**
 * A projection kept beside the engine (usage ledger, virtual execution): sees every event once, in order,
 * on the engine thread, both live and while the journal is replayed at start.
 */
@FunctionalInterface
public interface EventObserver {
    void observe(Event event, Engine engine);
}

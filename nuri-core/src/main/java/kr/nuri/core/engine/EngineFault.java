package kr.nuri.core.engine;

import kr.nuri.core.command.Command;

/**
 * A command failed part-way (a bug in the engine, or an invariant check that found one): some of its events may
 * already be applied to the state, which then holds more than any journal of the events returned so far. The
 * engine must not be used further; whoever drives it rebuilds it from its journal.
 */
public final class EngineFault extends RuntimeException {
    private final transient Command command;
    private final int eventsApplied;

    EngineFault(Command command, int eventsApplied, RuntimeException cause) {
        super(command.getClass().getSimpleName() + " at t=" + command.time() + " failed after " + eventsApplied
                + " of its events were applied: " + cause.getMessage(), cause);
        this.command = command;
        this.eventsApplied = eventsApplied;
    }

    public Command command() { return command; }

    /** Events of the command already applied to the state when it failed. */
    public int eventsApplied() { return eventsApplied; }
}

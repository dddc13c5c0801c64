package kr.nuri.core.config;

/** How much invariant checking the engine does after each event: none in production, all of it in tests. */
public enum AssertionLevel {
    /** No checks beyond what is needed to stay correct. */
    OFF,
    /** Constant-time checks on the objects an event touches. */
    CHEAP,
    /** The five invariants over the whole state after every event (O(state); tests and --check runs). */
    FULL
}

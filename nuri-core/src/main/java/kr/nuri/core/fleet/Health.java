package kr.nuri.core.fleet;

/** A node's health as the scheduler sees it. Only {@link #UP} nodes take new work. */
public enum Health {
    /** Healthy and schedulable. */
    UP,
    /** Failed: its jobs were ended; it takes no work until it is up again. */
    DOWN,
    /** Being drained by an operator: running jobs go on, no new job starts on it. */
    DRAIN,
    /** Retired by an operator once drained and empty: it holds no job and takes none, for good; its GPUs leave its pool. */
    RETIRED
}

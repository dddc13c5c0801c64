package kr.nuri.core.policy;

import kr.nuri.core.job.Job;

/**
 * The order in which a scheduling pass looks at the waiting jobs of one priority class (every order puts higher
 * classes first). Named in a fleet file as {@code scheduler: {queueOrder: sjf}} and made by
 * {@code schedule/Policies}. An order either ranks all of a class's waiting jobs on one key across projects
 * ({@link #global()}), or leaves the walk to fair share between projects (then FIFO within a project).
 */
public interface QueueOrder {
    /** The name a fleet file uses. */
    String name();

    /** Whether the order ranks all of a class's waiting jobs on {@link #key}, across projects. */
    boolean global();

    /**
     * A waiting job's rank under a global order, lower first (submit sequence breaks ties). It must not change while
     * the job waits; the pending queue reads it when the job joins.
     */
    long key(Job job);
}

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

    /**
     * Nuri's default: the project with the least decayed usage per fair-share weight first (Slurm's fair-share factor,
     * with a half-life), then, within a project, smaller gangs before larger ones and earlier submissions first.
     */
    public static final class FairShare implements QueueOrder {
        public static final String NAME = "fair-share";

        @Override public String name() { return NAME; }

        @Override public boolean global() { return false; }

        @Override public long key(Job job) { return 0; }
    }

    /** First come, first served across projects: the earlier submission first. */
    public static final class Fifo implements QueueOrder {
        @Override public String name() { return "fifo"; }

        @Override public boolean global() { return true; }

        @Override public long key(Job job) { return 0; } // the submit sequence decides
    }

    /**
     * Shortest job first: the shorter walltime first (the user's estimate; exact when walltimes are true durations, as
     * in the literature's oracle SJF), then the earlier submission.
     */
    public static final class ShortestJobFirst implements QueueOrder {
        @Override public String name() { return "sjf"; }

        @Override public boolean global() { return true; }

        @Override public long key(Job job) { return job.walltime(); }
    }

    /**
     * Shortest remaining time first: the least walltime left (walltime less what earlier runs held) first. Paired by
     * default with {@link Preemption.RemainingTime}, under which a waiting job may end a preemptible running job of its
     * own class with more time left than it needs (Schrage's SRPT, as Tiresias and Gavel compare it).
     */
    public static final class ShortestRemainingTimeFirst implements QueueOrder {
        public static final String NAME = "srtf";

        @Override public String name() { return NAME; }

        @Override public boolean global() { return true; }

        @Override public long key(Job job) { return job.walltimeLeft(-1); }
    }
}

package kr.nuri.core.policy;

import kr.nuri.core.job.Job;

/**
 * Shortest remaining time first: the least walltime left (walltime less what earlier runs held) first. Paired by
 * default with {@link RemainingTimePreemption}, under which a waiting job may end a preemptible running job of its
 * own class with more time left than it needs (Schrage's SRPT, as Tiresias and Gavel compare it).
 */
public final class ShortestRemainingTimeFirst implements QueueOrder {
    public static final String NAME = "srtf";

    @Override public String name() { return NAME; }

    @Override public boolean global() { return true; }

    @Override public long key(Job job) { return job.walltimeLeft(-1); }
}

package kr.nuri.core.policy;

import kr.nuri.core.job.Job;

/**
 * Shortest job first: the shorter walltime first (the user's estimate; exact when walltimes are true durations, as
 * in the literature's oracle SJF), then the earlier submission.
 */
public final class ShortestJobFirst implements QueueOrder {
    @Override public String name() { return "sjf"; }

    @Override public boolean global() { return true; }

    @Override public long key(Job job) { return job.walltime(); }
}

package kr.nuri.core.policy;

import kr.nuri.core.job.Job;

/** First come, first served across projects: the earlier submission first. */
public final class FifoOrder implements QueueOrder {
    @Override public String name() { return "fifo"; }

    @Override public boolean global() { return true; }

    @Override public long key(Job job) { return 0; } // the submit sequence decides
}

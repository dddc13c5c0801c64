package kr.nuri.core.policy;

import kr.nuri.core.job.Job;

/**
 * Nuri's default: the project with the least decayed usage per fair-share weight first (Slurm's fair-share factor,
 * with a half-life), then, within a project, smaller gangs before larger ones and earlier submissions first.
 */
public final class FairShareOrder implements QueueOrder {
    public static final String NAME = "fair-share";

    @Override public String name() { return NAME; }

    @Override public boolean global() { return false; }

    @Override public long key(Job job) { return 0; }
}

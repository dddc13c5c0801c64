package kr.nuri.core.policy;

import kr.nuri.core.job.Job;

/**
 * The default: a job may end preemptible jobs of lower priority classes (Slurm's {@code PreemptType=preempt/qos},
 * Kueue's {@code withinClusterQueue: LowerPriority}).
 */
public final class PriorityPreemption implements Preemption {
    public static final String NAME = "priority";

    @Override public String name() { return NAME; }

    @Override public int victimBound(int priority) { return priority; }

    @Override public boolean mayEnd(Job victim, Job waiting, long now) { return victim.priority() < waiting.priority(); }

    @Override public boolean scanEnds(Job victim, Job waiting) { return true; }

    @Override public boolean memoizable() { return true; }
}

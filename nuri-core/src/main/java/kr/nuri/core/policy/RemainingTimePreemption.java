package kr.nuri.core.policy;

import kr.nuri.core.job.Job;

/**
 * {@link PriorityPreemption}, and a job may also end preemptible jobs of its own class that have more walltime left
 * than it needs (shortest remaining time first; the default with queue order {@code srtf}).
 */
public final class RemainingTimePreemption implements Preemption {
    public static final String NAME = "remaining-time";

    @Override public String name() { return NAME; }

    @Override public int victimBound(int priority) { return priority + 1; }

    @Override
    public boolean mayEnd(Job victim, Job waiting, long now) {
        if (victim.priority() != waiting.priority()) return victim.priority() < waiting.priority();
        return victim.walltimeLeft(now) > waiting.walltimeLeft(-1);
    }

    /** A later candidate of the job's own class may have more time left: only a higher class ends the scan. */
    @Override public boolean scanEnds(Job victim, Job waiting) { return victim.priority() > waiting.priority(); }

    @Override public boolean memoizable() { return false; }
}

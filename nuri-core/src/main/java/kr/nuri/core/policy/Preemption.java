package kr.nuri.core.policy;

import kr.nuri.core.job.Job;

/**
 * Which running jobs a waiting job may end to start (reclaim of lent quota aside: an owner inside its quota may
 * always end borrowers, as Kueue's {@code reclaimWithinCohort}). The search that picks the victims is the
 * scheduler's; a policy only says who is eligible. Named in a fleet file as {@code scheduler: {preemption: ...}}.
 */
public interface Preemption {
    /** The name a fleet file uses. */
    String name();

    /** Running jobs of a priority below this may be counted as what a job of {@code priority} might free. */
    int victimBound(int priority);

    /** Whether running job {@code victim} (preemptible, past its exempt time) may be ended for {@code waiting} at {@code now}. */
    boolean mayEnd(Job victim, Job waiting, long now);

    /**
     * Candidates come lowest class first: whether a candidate that may not be ended stops the scan (no later one,
     * of a higher or equal class, could be eligible).
     */
    boolean scanEnds(Job victim, Job waiting);

    /**
     * Whether a failed search may be remembered while the indexes it read are unchanged: false when eligibility
     * moves with the clock alone.
     */
    boolean memoizable();

    /**
     * The default: a job may end preemptible jobs of lower priority classes (Slurm's {@code PreemptType=preempt/qos},
     * Kueue's {@code withinClusterQueue: LowerPriority}).
     */
    public static final class Priority implements Preemption {
        public static final String NAME = "priority";

        @Override public String name() { return NAME; }

        @Override public int victimBound(int priority) { return priority; }

        @Override public boolean mayEnd(Job victim, Job waiting, long now) { return victim.priority() < waiting.priority(); }

        @Override public boolean scanEnds(Job victim, Job waiting) { return true; }

        @Override public boolean memoizable() { return true; }
    }

    /**
     * {@link Priority}, and a job may also end preemptible jobs of its own class that have more walltime left
     * than it needs (shortest remaining time first; the default with queue order {@code srtf}).
     */
    public static final class RemainingTime implements Preemption {
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
}

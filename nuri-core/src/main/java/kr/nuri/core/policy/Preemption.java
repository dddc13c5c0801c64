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
}

package kr.nuri.core.job;

/** Machine-readable reason why a waiting job has not started; every pass gives one to each job it examines. */
public enum PendingReason {
    /** Not examined yet in this pass; jobs ahead of it in the queue come first. */
    PRIORITY,
    /** Its project (or an ancestor) has no quota left for this shape, even borrowing. */
    QUOTA_EXCEEDED,
    /** Its award's GPU-hour budget cannot cover GPUs × walltime. */
    BUDGET_EXHAUSTED,
    /** Its award is not valid at this time (not yet open or already closed). */
    AWARD_NOT_ACTIVE,
    /** Not enough free GPUs of an allowed model anywhere. */
    INSUFFICIENT_CAPACITY,
    /** Enough free GPUs in total, but no single domain of the required level holds the gang. */
    NO_TOPOLOGY_DOMAIN,
    /** It would fit now, but only on GPUs reserved for a job ahead of it that it would delay. */
    BLOCKED_BY_RESERVATION,
    /**
     * It would fit, but it is preemptible and a job of a higher class waits for these GPUs and could preempt it
     * before its walltime ends: it waits rather than start and have its work thrown away.
     */
    YIELDS_TO_WAITING_JOB,
    /** It holds a reservation: it starts at the estimated start in a concrete domain. */
    RESERVED,
    /** Held (Slurm's hold): it keeps its place but is not considered until it is released. */
    HELD;

    /** Whether the job waits for GPUs (not for quota, an award, its turn or a release): more free GPUs could start it. */
    public boolean waitsForGpus() {
        return this == INSUFFICIENT_CAPACITY || this == NO_TOPOLOGY_DOMAIN || this == BLOCKED_BY_RESERVATION;
    }

    /** Whether the job waits for its award (its window or its budget), whatever the fleet holds. */
    public boolean waitsForAward() {
        return this == BUDGET_EXHAUSTED || this == AWARD_NOT_ACTIVE;
    }
}

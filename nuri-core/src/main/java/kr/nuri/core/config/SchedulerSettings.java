package kr.nuri.core.config;

/**
 * Knobs of the scheduling pass.
 *
 * @param reservations how many top blocked jobs get a reservation that backfill may not delay (EASY = 1)
 * @param probeDepth   in an event-triggered pass, how many jobs in a row may fail to start before the pass
 *                     stops (Slurm's {@code default_queue_depth}); a Tick's full pass looks at every job
 * @param preemption   whether higher classes preempt preemptible lower ones and owners reclaim lent quota
 * @param maxVictims   the most jobs one preemption may end
 * @param preemptExemptSeconds how long a job runs before it may be preempted (Slurm's
 *                     {@code PreemptExemptTime}): without it, jobs backfilled into holes are preempted again
 *                     and again; 0 = at once
 * @param policies     the named policies: queue order, admission, gang placement, preemption, backfill
 * @param placement    how node-fit jobs (GPU shares, CPU or memory asked) choose their node (the node-fit policy)
 */
public record SchedulerSettings(int reservations, int probeDepth, boolean preemption, int maxVictims,
                                long preemptExemptSeconds, PolicyNames policies, PlacementSettings placement) {
    public static final SchedulerSettings DEFAULT = new SchedulerSettings(1, 64, true, 512, 0, "fair-share");

    /** Settings with the default policies but the queue order, and the default node placement. */
    public SchedulerSettings(int reservations, int probeDepth, boolean preemption, int maxVictims, long preemptExemptSeconds,
                             String queueOrder) {
        this(reservations, probeDepth, preemption, maxVictims, preemptExemptSeconds, new PolicyNames(queueOrder, null, null, null, null),
                PlacementSettings.DEFAULT);
    }

    /** Settings with the default policies (fair share). */
    public SchedulerSettings(int reservations, int probeDepth, boolean preemption, int maxVictims, long preemptExemptSeconds) {
        this(reservations, probeDepth, preemption, maxVictims, preemptExemptSeconds, "fair-share");
    }

    /** The queue order's name. */
    public String queueOrder() { return policies.queueOrder(); }

    /** The same settings with another queue order. */
    public SchedulerSettings withQueueOrder(String order) {
        return new SchedulerSettings(reservations, probeDepth, preemption, maxVictims, preemptExemptSeconds, policies.withQueueOrder(order), placement);
    }

    /** The same settings with other policies. */
    public SchedulerSettings withPolicies(PolicyNames names) {
        return new SchedulerSettings(reservations, probeDepth, preemption, maxVictims, preemptExemptSeconds, names, placement);
    }

    /** The same settings with another node placement. */
    public SchedulerSettings withPlacement(PlacementSettings p) {
        return new SchedulerSettings(reservations, probeDepth, preemption, maxVictims, preemptExemptSeconds, policies, p);
    }

    /** The same settings with another number of reservations (0: list scheduling, every job that fits starts). */
    public SchedulerSettings withReservations(int count) {
        return new SchedulerSettings(count, probeDepth, preemption, maxVictims, preemptExemptSeconds, policies, placement);
    }

    public SchedulerSettings {
        if (policies == null) policies = PolicyNames.DEFAULT;
        if (placement == null) placement = PlacementSettings.DEFAULT;
        if (reservations < 0) throw new IllegalArgumentException("reservations=" + reservations + ". Maybe 0 or more?");
        if (probeDepth < 1) throw new IllegalArgumentException("probeDepth=" + probeDepth + ". Maybe 1 or more?");
        if (maxVictims < 1) throw new IllegalArgumentException("maxVictims=" + maxVictims + ". Maybe 1 or more?");
        if (preemptExemptSeconds < 0) {
            throw new IllegalArgumentException("preemptExemptSeconds=" + preemptExemptSeconds + ". Maybe 0 or more (600 = 10 minutes)?");
        }
    }
}

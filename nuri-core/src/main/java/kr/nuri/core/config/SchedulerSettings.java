package kr.nuri.core.config;

/**
 * Knobs of the scheduling pass.
 *
 * @param reservations how many top blocked jobs get a reservation that backfill may not delay (EASY = 1)
 * @param probeDepth   in an event-triggered pass, how many jobs in a row may fail to start before the pass
 *                     stops (Slurm's {@code default_queue_depth}); a Tick's full pass looks at every job
 * @param preemption   whether higher classes preempt preemptible lower ones and owners reclaim lent quota
 * @param maxVictims   the most jobs one preemption may end
 */
public record SchedulerSettings(int reservations, int probeDepth, boolean preemption, int maxVictims) {
    public static final SchedulerSettings DEFAULT = new SchedulerSettings(1, 64, true, 512);

    public SchedulerSettings {
        if (reservations < 0) throw new IllegalArgumentException("reservations=" + reservations + ". Maybe 0 or more?");
        if (probeDepth < 1) throw new IllegalArgumentException("probeDepth=" + probeDepth + ". Maybe 1 or more?");
        if (maxVictims < 1) throw new IllegalArgumentException("maxVictims=" + maxVictims + ". Maybe 1 or more?");
    }
}

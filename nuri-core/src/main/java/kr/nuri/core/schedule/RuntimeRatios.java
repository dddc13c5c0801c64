package kr.nuri.core.schedule;

import kr.nuri.core.util.Paged;

/**
 * How much of its walltime a project's jobs actually run, learned from the runs that ended on their own (completed,
 * failed or timed out): an exponentially weighted mean of run time ÷ walltime, per project, falling back to the
 * fleet's while a project has few runs. Users overstate walltimes (the national mix declares 1.5 × the runtime), so
 * estimates that assume every running job holds its GPUs to its walltime are pessimistic and then jump earlier as
 * each job ends early; after Tsafrir, Etsion and Feitelson, "Backfilling using system-generated predictions rather
 * than user runtime estimates" (IEEE TPDS 18(6), 2007), estimates use the predicted end, while reservations and
 * backfill keep the walltime (a promise must hold). Derived data: not state, not hashed, restarts from nothing
 * after a restore.
 */
final class RuntimeRatios {
    /** Weight of each new run in the mean: about the last 50 runs count. */
    private static final double ALPHA = 0.02;
    /** Runs a project needs before its own mean is used. */
    private static final int MIN_RUNS = 20;

    private final Paged.Longs runs = new Paged.Longs(0);
    private final Paged.Longs meanBits = new Paged.Longs(Double.doubleToRawLongBits(1.0));
    private double fleetMean = 1.0;
    private long fleetRuns;

    /** A run of {@code job} ends as {@code outcome}, its GPUs held until {@code heldUntil}: counted when it ended on its own. */
    void ended(kr.nuri.core.job.Job job, kr.nuri.core.job.Outcome outcome, long heldUntil) {
        if (job.state() != kr.nuri.core.job.JobState.RUNNING) return;
        switch (outcome) {
            case COMPLETED, FAILED, TIMEOUT -> observe(job.project(), heldUntil - job.startTime(), job.deadline() - job.startTime());
            default -> { } // preempted, cancelled, requeued, lost: says nothing of how long it would have run
        }
    }

    /** A run of a job of {@code project} ended on its own after {@code ran} seconds of {@code walltime}. */
    void observe(int project, long ran, long walltime) {
        if (walltime <= 0 || ran < 0) return;
        double r = Math.min(1.0, ran / (double) walltime);
        fleetMean = fleetRuns == 0 ? r : fleetMean + ALPHA * (r - fleetMean);
        fleetRuns++;
        long n = runs.get(project);
        double mean = Double.longBitsToDouble(meanBits.get(project));
        meanBits.set(project, Double.doubleToRawLongBits(n == 0 ? r : mean + ALPHA * (r - mean)));
        runs.set(project, n + 1);
    }

    /** The share of its walltime a job of {@code project} is expected to run (1 until runs have been seen). */
    double ratio(int project) {
        if (runs.get(project) >= MIN_RUNS) return Double.longBitsToDouble(meanBits.get(project));
        return fleetRuns >= MIN_RUNS ? fleetMean : 1.0;
    }

    /**
     * When a job is expected to end: {@code start} plus its expected share of the walltime, or its deadline once that
     * moment has passed without an end (it runs long: it may hold its GPUs to the walltime).
     */
    long expectedEnd(int project, long start, long deadline, long now) {
        long end = start + (long) Math.ceil(ratio(project) * (deadline - start));
        return end > now ? end : deadline;
    }
}

package kr.nuri.sim.metrics;

/**
 * One job's life in a simulation (seconds of virtual time); {@code firstStart} and {@code end} are -1 when
 * the job never started or never ended. {@code gpuSeconds} is what all its runs held (a preempted run too);
 * {@code runtime} is how long one undisturbed run takes (its true duration, or its walltime if that is shorter).
 * {@code firstEstimate} is the first estimated start the engine gave it while it waited (-1: it never had one, e.g.
 * it started at once).
 */
public record JobOutcome(String id, String project, int gpus, long submit, long firstStart, long end, boolean completed,
                         double gpuSeconds, long runtime, long firstEstimate) {
    public JobOutcome(String id, String project, int gpus, long submit, long firstStart, long end, boolean completed,
                      double gpuSeconds, long runtime) {
        this(id, project, gpus, submit, firstStart, end, completed, gpuSeconds, runtime, -1);
    }

    /** Whether it got an estimate and then started: its estimate can be judged. */
    public boolean estimated() { return firstEstimate >= 0 && firstStart >= 0; }

    /** The first estimate's error: the real first start less the estimate (positive: it started later than said). */
    public long estimateError() { return firstStart - firstEstimate; }

    /** Job completion time: end − submit. */
    public long jct() { return end - submit; }

    /** Queueing delay: first start − submit. */
    public long queueingDelay() { return firstStart - submit; }
}

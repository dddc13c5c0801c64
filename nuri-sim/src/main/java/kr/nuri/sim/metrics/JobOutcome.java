package kr.nuri.sim.metrics;

/**
 * One job's life in a simulation (seconds of virtual time); {@code firstStart} and {@code end} are -1 when
 * the job never started or never ended. {@code gpuSeconds} is what all its runs held (a preempted run too);
 * {@code runtime} is how long one undisturbed run takes (its true duration, or its walltime if that is shorter).
 */
public record JobOutcome(String id, String project, int gpus, long submit, long firstStart, long end, boolean completed,
                         double gpuSeconds, long runtime) {
    /** Job completion time: end − submit. */
    public long jct() { return end - submit; }

    /** Queueing delay: first start − submit. */
    public long queueingDelay() { return firstStart - submit; }
}

package kr.nuri.sim.metrics;

import java.util.List;

/**
 * What a simulation measured.
 *
 * @param utilisation       GPU-seconds allocated ÷ (fleet GPUs × makespan)
 * @param makespan          last end − first submit (seconds)
 * @param neverStarted      jobs still waiting when nothing more could happen (e.g. a shape their quota can never hold)
 */
public record Summary(int jobs, int completed, int neverStarted, double meanJct, long p50Jct, long p95Jct, long p99Jct, double meanQueueingDelay,
                      long p50QueueingDelay, long p95QueueingDelay, long p99QueueingDelay, long makespan, double utilisation,
                      long preemptions) {

    public static Summary of(List<JobOutcome> outcomes, double allocatedGpuSeconds, long fleetGpus, long preemptions) {
        long[] jct = outcomes.stream().filter(JobOutcome::completed).mapToLong(JobOutcome::jct).toArray();
        long[] delay = outcomes.stream().filter(o -> o.firstStart() >= 0).mapToLong(JobOutcome::queueingDelay).toArray();
        long first = outcomes.stream().mapToLong(JobOutcome::submit).min().orElse(0);
        long last = outcomes.stream().mapToLong(JobOutcome::end).max().orElse(first);
        long makespan = Math.max(0, last - first);
        double utilisation = makespan == 0 ? 0 : allocatedGpuSeconds / ((double) fleetGpus * makespan);
        int neverStarted = (int) outcomes.stream().filter(o -> o.firstStart() < 0).count();
        return new Summary(outcomes.size(), jct.length, neverStarted, Stats.mean(jct), Stats.percentile(jct, 0.5), Stats.percentile(jct, 0.95),
                Stats.percentile(jct, 0.99), Stats.mean(delay), Stats.percentile(delay, 0.5), Stats.percentile(delay, 0.95),
                Stats.percentile(delay, 0.99), makespan, utilisation, preemptions);
    }
}

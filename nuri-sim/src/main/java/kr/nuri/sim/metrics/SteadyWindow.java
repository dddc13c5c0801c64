package kr.nuri.sim.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run's figures over its steady window, where arrivals keep the fleet in its working regime: from the end of a
 * warm-up (the first tenth of the time to the last arrival, in whole hours) to the last arrival. A run's whole-run
 * figures average in the fill at its start and the drain after the last arrival, when nothing arrives and the fleet
 * empties (on {@code national}, about 1,000 hours down to 0%).
 *
 * @param fromHour     the window's first hour
 * @param toHour       the hour after its last
 * @param utilisation  mean share of the fleet's GPUs allocated over the window's hours
 * @param jobs         jobs submitted in the window
 * @param meanWait     their mean queueing delay (seconds; jobs that started)
 * @param p95Wait      its 95th percentile
 * @param useByClass   per tenant class, GPU-seconds its jobs held inside the window ÷ (its entitlement × the window); a job
 *                     holds its GPUs from its first start to its end (a gap after a preemption or failure counts)
 * @param jain         Jain's index over those
 */
public record SteadyWindow(long fromHour, long toHour, double utilisation, int jobs, double meanWait, double p95Wait,
                           Map<String, Double> useByClass, double jain) {
    /** The first tenth of the arrivals' span is warm-up. */
    static final double WARM_UP = 0.1;

    /** The window's length in hours. */
    public long hours() { return toHour - fromHour; }

    /**
     * The window of a run, or null when it would be shorter than two hours (a run of minutes has none).
     *
     * @param allocatedByHour GPUs allocated per hour (mean over the hour)
     * @param classOf         a project's tenant class
     * @param entitled        a class's entitlement in GPUs
     */
    public static SteadyWindow of(List<JobOutcome> outcomes, double[] allocatedByHour, long gpus, java.util.function.Function<String, String> classOf,
                                  Map<String, Long> entitled) {
        long lastArrival = outcomes.stream().mapToLong(JobOutcome::submit).max().orElse(0);
        long fromHour = (long) Math.ceil(WARM_UP * lastArrival / 3600.0);
        long toHour = Math.min(lastArrival / 3600, allocatedByHour.length);
        if (toHour - fromHour < 2 || gpus <= 0) return null;
        double allocated = 0;
        for (long h = fromHour; h < toHour; h++) allocated += allocatedByHour[(int) h];
        long from = fromHour * 3600;
        long to = toHour * 3600;
        List<Long> waits = new ArrayList<>();
        Map<String, Double> held = new LinkedHashMap<>();
        entitled.keySet().forEach(c -> held.put(c, 0.0));
        for (JobOutcome o : outcomes) {
            if (o.submit() >= from && o.submit() < to && o.firstStart() >= 0) waits.add(o.firstStart() - o.submit());
            if (o.firstStart() < 0) continue;
            long end = o.end() < 0 ? to : o.end();
            long overlap = Math.min(end, to) - Math.max(o.firstStart(), from);
            if (overlap > 0) held.merge(classOf.apply(o.project()), (double) overlap * o.gpus(), Double::sum);
        }
        Map<String, Double> use = new LinkedHashMap<>();
        for (var e : entitled.entrySet()) {
            if (e.getValue() > 0) use.put(e.getKey(), held.getOrDefault(e.getKey(), 0.0) / ((double) e.getValue() * (to - from)));
        }
        long[] sorted = waits.stream().mapToLong(Long::longValue).sorted().toArray();
        double mean = sorted.length == 0 ? Double.NaN : java.util.Arrays.stream(sorted).average().orElse(Double.NaN);
        double p95 = sorted.length == 0 ? Double.NaN : sorted[(int) Math.min(sorted.length - 1, Math.ceil(0.95 * sorted.length) - 1)];
        return new SteadyWindow(fromHour, toHour, allocated / (toHour - fromHour) / gpus, sorted.length, mean, p95, use,
                Fairness.jain(use.values().stream().mapToDouble(Double::doubleValue).toArray()));
    }
}

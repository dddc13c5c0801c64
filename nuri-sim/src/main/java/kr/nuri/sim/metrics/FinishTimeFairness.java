package kr.nuri.sim.metrics;

import java.util.Arrays;
import java.util.List;

/**
 * Finish-time fairness (Mahajan et al., "Themis", NSDI'20), with a tenant class's entitlement in the place of
 * Themis' 1/N of the cluster: for each job that ran to its end, ρ = T_shared / T_isolated, where T_shared is its
 * completion time (end − submit) in the shared fleet and T_isolated the time it would take if its class had its
 * entitled GPUs E to itself, shared in proportion to demand among the class's own jobs:
 *
 * <pre>T_isolated = runtime × max(1, D̄ / E)</pre>
 *
 * D̄ being the class's mean GPU demand (GPUs of its jobs submitted and not yet ended, waiting or running, this
 * job included) over the job's lifetime [submit, end]. A class whose demand stays within its entitlement would
 * start every job at once on its own GPUs, so ρ = JCT / runtime and any wait shows as ρ &gt; 1; a class asking
 * for twice its entitlement would see its jobs take twice as long alone, so ρ ≤ 1 means sharing the fleet did
 * at least as well for that job as a partition of its entitlement (Themis' sharing incentive). The isolated
 * partition is idealised (no fragmentation, no GPU models), which flatters it.
 *
 * @param jobs        jobs measured (started and ended)
 * @param worst       the largest ρ (NaN when no job was measured)
 * @param mean        the mean ρ
 * @param p99         the 99th-percentile ρ (nearest rank)
 * @param shareAbove1 the share of measured jobs with ρ &gt; 1
 */
public record FinishTimeFairness(int jobs, double worst, double mean, double p99, double shareAbove1) {
    /** A ratio this close above 1 (rounding of demand averages) does not count as "above 1". */
    private static final double EPSILON = 1e-9;

    /**
     * The ratios of one tenant class's jobs.
     *
     * @param jobs      every job of the class (those that never ended count as demand up to the last event)
     * @param entitled  the class's entitled GPUs (its nominal quota, or its cluster); must be positive
     */
    public static double[] ratios(List<JobOutcome> jobs, double entitled) {
        if (!(entitled > 0)) throw new IllegalArgumentException("entitled=" + entitled + " GPUs: must be positive");
        int n = jobs.size();
        long horizon = 0;
        for (JobOutcome o : jobs) horizon = Math.max(horizon, Math.max(o.submit(), o.end()));
        // Demand changes: +gpus at submit, −gpus at end (or the horizon); its integral at each change time.
        long[] times = new long[2 * n];
        long[] deltas = new long[2 * n];
        Integer[] idx = new Integer[2 * n];
        for (int i = 0; i < n; i++) {
            JobOutcome o = jobs.get(i);
            times[2 * i] = o.submit();
            deltas[2 * i] = o.gpus();
            times[2 * i + 1] = o.end() >= 0 ? o.end() : horizon;
            deltas[2 * i + 1] = -o.gpus();
        }
        for (int i = 0; i < idx.length; i++) idx[i] = i;
        Arrays.sort(idx, (a, b) -> Long.compare(times[a], times[b]));
        long[] at = new long[idx.length];
        double[] integral = new double[idx.length]; // ∫ demand dt from the first change up to at[k]
        long[] after = new long[idx.length]; // demand just after at[k]
        int k = -1;
        long demand = 0;
        for (int i : idx) {
            if (k < 0 || at[k] != times[i]) {
                k++;
                at[k] = times[i];
                integral[k] = k == 0 ? 0 : integral[k - 1] + (double) after[k - 1] * (at[k] - at[k - 1]);
            }
            demand += deltas[i];
            after[k] = demand;
        }
        int points = k + 1;
        double[] out = new double[n];
        int measured = 0;
        for (JobOutcome o : jobs) {
            if (o.firstStart() < 0 || o.end() < 0 || o.runtime() <= 0) continue;
            long jct = o.jct();
            double meanDemand = jct == 0 ? o.gpus() : (integralAt(at, integral, after, points, o.end())
                    - integralAt(at, integral, after, points, o.submit())) / jct;
            double isolated = o.runtime() * Math.max(1, meanDemand / entitled);
            out[measured++] = jct / isolated;
        }
        return Arrays.copyOf(out, measured);
    }

    private static double integralAt(long[] at, double[] integral, long[] after, int points, long t) {
        int i = Arrays.binarySearch(at, 0, points, t);
        if (i >= 0) return integral[i];
        int before = -i - 2; // the last change before t (t is never before the first: it is some job's submit or end)
        return integral[before] + (double) after[before] * (t - at[before]);
    }

    /** The summary of some ratios (from one class or several). */
    public static FinishTimeFairness of(double[] ratios) {
        if (ratios.length == 0) return new FinishTimeFairness(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        double[] sorted = ratios.clone();
        Arrays.sort(sorted);
        int above = 0;
        for (double r : sorted) if (r > 1 + EPSILON) above++;
        int rank = (int) Math.ceil(0.99 * sorted.length);
        return new FinishTimeFairness(sorted.length, sorted[sorted.length - 1], Stats.mean(sorted), sorted[Math.max(1, rank) - 1],
                (double) above / sorted.length);
    }

    /** All ratios of several classes together. */
    public static double[] concat(List<double[]> parts) {
        int n = 0;
        for (double[] p : parts) n += p.length;
        double[] out = new double[n];
        int k = 0;
        for (double[] p : parts) {
            System.arraycopy(p, 0, out, k, p.length);
            k += p.length;
        }
        return out;
    }
}

package kr.nuri.sim.metrics;

import java.util.Arrays;

/** Summary statistics over a sample: mean, sample standard deviation and nearest-rank percentiles. */
public final class Stats {
    private Stats() {}

    public static double mean(long[] values) {
        if (values.length == 0) return Double.NaN;
        double sum = 0;
        for (long v : values) sum += v;
        return sum / values.length;
    }

    /** The nearest-rank q-quantile (0 < q ≤ 1): the smallest value with at least q of the sample at or below it. */
    public static long percentile(long[] values, double q) {
        if (values.length == 0) return -1;
        if (q <= 0 || q > 1) throw new IllegalArgumentException("q=" + q + " must be in (0, 1]");
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(1, rank) - 1];
    }

    public static double mean(double[] values) {
        if (values.length == 0) return Double.NaN;
        double sum = 0;
        for (double v : values) sum += v;
        return sum / values.length;
    }

    /** Sample standard deviation (n − 1 in the denominator); 0 for a single value. */
    public static double sampleSd(double[] values) {
        if (values.length < 2) return 0;
        double m = mean(values);
        double s = 0;
        for (double x : values) s += (x - m) * (x - m);
        return Math.sqrt(s / (values.length - 1));
    }
}

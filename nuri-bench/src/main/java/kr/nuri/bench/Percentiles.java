package kr.nuri.bench;

import java.util.Arrays;

/** Collects latency samples in nanoseconds and reports percentiles. */
final class Percentiles {
    private long[] samples = new long[1024];
    private int size;

    void add(long nanos) {
        if (size == samples.length) samples = Arrays.copyOf(samples, size * 2);
        samples[size++] = nanos;
    }

    int size() { return size; }

    /** The q-quantile (0..1) in nanoseconds, nearest-rank. */
    long quantile(double q) {
        if (size == 0) return 0;
        long[] sorted = Arrays.copyOf(samples, size);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(q * size) - 1;
        return sorted[Math.max(0, Math.min(size - 1, rank))];
    }
}

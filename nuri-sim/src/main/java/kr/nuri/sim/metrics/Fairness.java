package kr.nuri.sim.metrics;

/** Fairness measures over tenants. */
public final class Fairness {
    private Fairness() { }

    /**
     * Jain's index (Σx)² / (n·Σx²) over the values: 1 when all are equal, 1/n when one holds everything;
     * NaN for no values, 1 when all are zero (nobody is favoured).
     */
    public static double jain(double[] x) {
        if (x.length == 0) return Double.NaN;
        double sum = 0;
        double squares = 0;
        for (double v : x) {
            if (v < 0 || !Double.isFinite(v)) throw new IllegalArgumentException("Jain's index needs finite values ≥ 0, got " + v);
            sum += v;
            squares += v * v;
        }
        return squares == 0 ? 1 : sum * sum / (x.length * squares);
    }
}

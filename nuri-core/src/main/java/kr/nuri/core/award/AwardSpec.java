package kr.nuri.core.award;

/**
 * An award of compute to a tenant, valid in [{@code from}, {@code to}) (seconds).
 *
 * <ul>
 *   <li>{@link Kind#BUDGET}: {@code budgetGpuSeconds} of GPU time spent through the shared queue (of
 *       {@code model} only, when given). A job charging it starts only if GPUs × walltime still fits.</li>
 *   <li>{@link Kind#DEDICATED}: {@code gpus} GPUs of {@code model} that become guaranteed quota of the
 *       tenant inside the window.</li>
 * </ul>
 */
public record AwardSpec(String id, String tenant, Kind kind, String model, long budgetGpuSeconds, int gpus,
                        long from, long to) {

    /** The two award units national programmes use. */
    public enum Kind { BUDGET, DEDICATED }

    public AwardSpec {
        if (id == null || id.isBlank()) throw new IllegalArgumentException("award id is empty");
        if (kind == null) throw new IllegalArgumentException("award '" + id + "' kind is missing. Maybe BUDGET or DEDICATED?");
        if (to <= from) throw new IllegalArgumentException("award '" + id + "' ends (to=" + to + ") before it starts (from=" + from + ")");
        if (kind == Kind.BUDGET && budgetGpuSeconds <= 0) {
            throw new IllegalArgumentException("award '" + id + "' budgetGpuSeconds=" + budgetGpuSeconds + ". Maybe a positive budget?");
        }
        if (kind == Kind.DEDICATED && (gpus <= 0 || model == null)) {
            throw new IllegalArgumentException("award '" + id + "' is DEDICATED with gpus=" + gpus + " model=" + model
                    + ". Maybe a positive number of GPUs of a named model?");
        }
    }

    public boolean activeAt(long t) {
        return t >= from && t < to;
    }

    /** The GPU-seconds this award may pay for: the budget, or GPUs × window for dedicated capacity. */
    public long limitGpuSeconds() {
        return kind == Kind.BUDGET ? budgetGpuSeconds : (long) gpus * (to - from);
    }
}

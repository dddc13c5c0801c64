package kr.nuri.core.tenancy;

/**
 * Decayed GPU usage per project, for fair-share ordering.
 *
 * <p>Charged GPU-seconds decay with a configurable half-life (Slurm's {@code PriorityDecayHalfLife}); the
 * GPU-seconds of running jobs count undecayed so a project that just started a large gang is not first in
 * line again. The ordering key is usage divided by the project's share of the fleet: lower goes first.
 * Decay uses {@link StrictMath} so that replays on any JVM give the same bits.
 */
public final class FairShare {
    private final TenantTree tree;
    private final long halfLife;
    private final double[] decayed;
    private final long[] decayedAt;
    private final long[] runningGpus;
    private final long[] runningStartProduct;

    public FairShare(TenantTree tree, long halfLifeSeconds) {
        this.tree = tree;
        this.halfLife = halfLifeSeconds;
        int n = tree.size();
        decayed = new double[n];
        decayedAt = new long[n];
        runningGpus = new long[n];
        runningStartProduct = new long[n];
    }

    private double decayFactor(long dt) {
        return dt <= 0 ? 1.0 : StrictMath.pow(0.5, (double) dt / halfLife);
    }

    /** Decayed charged usage of a project at time {@code now}, in GPU-seconds. */
    public double decayedUsage(int project, long now) {
        return decayed[project] * decayFactor(now - decayedAt[project]);
    }

    public void charge(int project, long now, long gpuSeconds) {
        decayed[project] = decayedUsage(project, now) + gpuSeconds;
        decayedAt[project] = now;
    }

    public void started(int project, long now, int gpus) {
        runningGpus[project] += gpus;
        runningStartProduct[project] += (long) gpus * now;
    }

    public void stopped(int project, long startTime, int gpus) {
        runningGpus[project] -= gpus;
        runningStartProduct[project] -= (long) gpus * startTime;
    }

    /** The ordering key: (decayed usage + running GPU-seconds) / share. Lower is served first. */
    public double key(int project, long now) {
        double running = runningGpus[project] * (double) now - runningStartProduct[project];
        return (decayedUsage(project, now) + running) / tree.share(project);
    }

    public long runningGpus(int project) { return runningGpus[project]; }

    /** Mixes this state into a hash. */
    public long hash(long h) {
        for (int t = 0; t < decayed.length; t++) {
            h = kr.nuri.core.util.Hashing.mix(h, Double.doubleToLongBits(decayed[t]));
            h = kr.nuri.core.util.Hashing.mix(h, decayedAt[t]);
            h = kr.nuri.core.util.Hashing.mix(h, runningGpus[t]);
        }
        return h;
    }

    /** Mixes this state into a hash independent of tenant order: each project's terms keyed by {@code tenantKey[t]}, summed. */
    public long stableHash(long[] tenantKey) {
        long sum = 0;
        for (int t = 0; t < decayed.length; t++) {
            long x = kr.nuri.core.util.Hashing.mix(tenantKey[t], Double.doubleToLongBits(decayed[t]));
            x = kr.nuri.core.util.Hashing.mix(x, decayedAt[t]);
            sum += kr.nuri.core.util.Hashing.mix(x, runningGpus[t]);
        }
        return sum;
    }

    public long halfLife() { return halfLife; }

    /** Decayed usage per project as last charged, and when: for snapshots. */
    public double[] decayedSnapshot() { return decayed.clone(); }

    public long[] decayedAtSnapshot() { return decayedAt.clone(); }

    /** Restores what {@link #decayedSnapshot()} and {@link #decayedAtSnapshot()} took (running GPUs come from started jobs). */
    public void restoreDecayed(double[] values, long[] at) {
        System.arraycopy(values, 0, decayed, 0, decayed.length);
        System.arraycopy(at, 0, decayedAt, 0, decayedAt.length);
    }
}

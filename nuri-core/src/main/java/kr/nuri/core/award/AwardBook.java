package kr.nuri.core.award;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import kr.nuri.core.util.Hashing;

/**
 * Awards and their spending. {@code used} is GPU-seconds charged by finished runs; {@code committed} is the
 * GPUs × walltime promised to running jobs, so an award can never be overspent: a job starts only if
 * used + committed + its own GPUs × walltime fits the limit, and a run is never charged beyond its walltime.
 */
public final class AwardBook {
    private final List<AwardSpec> awards = new ArrayList<>();
    private final Map<String, Integer> index = new HashMap<>();
    private final List<long[]> spend = new ArrayList<>();

    public int add(AwardSpec spec) {
        Integer existing = index.get(spec.id());
        if (existing != null) {
            awards.set(existing, spec);
            return existing;
        }
        awards.add(spec);
        spend.add(new long[2]);
        index.put(spec.id(), awards.size() - 1);
        return awards.size() - 1;
    }

    public void revise(int a, long budgetGpuSeconds, long to) {
        AwardSpec s = awards.get(a);
        awards.set(a, new AwardSpec(s.id(), s.tenant(), s.kind(), s.model(),
                s.kind() == AwardSpec.Kind.BUDGET ? budgetGpuSeconds : s.budgetGpuSeconds(), s.gpus(), s.from(), to));
    }

    public int index(String id) {
        Integer i = index.get(id);
        return i == null ? -1 : i;
    }

    public int size() { return awards.size(); }
    /** Every award, in grant order (read-only). */
    public List<AwardSpec> specs() { return java.util.Collections.unmodifiableList(awards); }
    public AwardSpec get(int a) { return awards.get(a); }
    public long used(int a) { return spend.get(a)[0]; }
    public long committed(int a) { return spend.get(a)[1]; }

    /** GPU-seconds left after what is charged and what running jobs may still use. */
    public long headroom(int a) {
        return awards.get(a).limitGpuSeconds() - used(a) - committed(a);
    }

    public void commit(int a, long gpuSeconds) { spend.get(a)[1] += gpuSeconds; }

    /** Sets what an award has been charged (restore only). */
    public void restoreUsed(int a, long gpuSeconds) { spend.get(a)[0] = gpuSeconds; }

    public void settle(int a, long committedGpuSeconds, long chargedGpuSeconds) {
        long[] s = spend.get(a);
        s[1] -= committedGpuSeconds;
        s[0] += chargedGpuSeconds;
    }

    /** The earliest window start or end after {@code t}, or Long.MAX_VALUE: when dedicated quota changes next. */
    public long nextBoundaryAfter(long t) {
        long next = Long.MAX_VALUE;
        for (AwardSpec s : awards) {
            if (s.kind() != AwardSpec.Kind.DEDICATED) continue;
            if (s.from() > t) next = Math.min(next, s.from());
            if (s.to() > t) next = Math.min(next, s.to());
        }
        return next;
    }

    public long hash(long h) {
        for (int a = 0; a < awards.size(); a++) {
            AwardSpec s = awards.get(a);
            h = Hashing.mix(h, s.id());
            h = Hashing.mix(h, s.budgetGpuSeconds());
            h = Hashing.mix(h, s.to());
            h = Hashing.mix(h, used(a));
            h = Hashing.mix(h, committed(a));
        }
        return h;
    }

    /** Mixes this state into a hash independent of the awards' order (the file's order or the grants'): one term per award, summed. */
    public long stableHash() {
        long sum = 0;
        for (int a = 0; a < awards.size(); a++) {
            AwardSpec s = awards.get(a);
            long x = Hashing.mix(Hashing.mix(0, s.id()), s.budgetGpuSeconds());
            x = Hashing.mix(x, s.to());
            x = Hashing.mix(x, used(a));
            sum += Hashing.mix(x, committed(a));
        }
        return sum;
    }
}

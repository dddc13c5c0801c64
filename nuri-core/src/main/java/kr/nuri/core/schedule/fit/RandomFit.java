package kr.nuri.core.schedule.fit;

import java.util.Arrays;
import java.util.SplittableRandom;
import kr.nuri.core.fleet.Fleet;
import kr.nuri.core.job.JobSpec;
import kr.nuri.core.state.Capacity;

/**
 * {@code random}: a uniformly random node that fits, drawn from the seed and the job's sequence number only (so replay
 * and a restored engine draw alike). The FGD paper's baseline (Weng et al., "Beware of Fragmentation", USENIX ATC'23,
 * §6.1).
 */
public final class RandomFit extends NodeFit {
    private final long seed;
    private int[] feasible = new int[64];

    public RandomFit(Capacity capacity, Fleet fleet, long seed) {
        super(capacity, fleet);
        this.seed = seed;
    }

    @Override
    public Choice place(JobSpec spec, long seq, int[] models, int count, boolean includeReserved) {
        int found = 0;
        for (int k = 0; k < count; k++) {
            for (int n : fleet.nodesOfModel(models[k])) {
                if (!fits(n, spec, includeReserved)) continue;
                if (found == feasible.length) feasible = Arrays.copyOf(feasible, found * 2);
                feasible[found++] = n;
            }
        }
        if (found == 0) return null;
        int node = feasible[new SplittableRandom(seed ^ (seq * 0x9E3779B97F4A7C15L)).nextInt(found)];
        return new Choice(node, spec.sharing() ? slotFor(node, spec) : -1);
    }

    @Override
    protected double score(int n, JobSpec spec) { return 0; }
}

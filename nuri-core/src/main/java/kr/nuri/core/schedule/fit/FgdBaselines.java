package kr.nuri.core.schedule.fit;

import java.util.Arrays;
import java.util.SplittableRandom;
import kr.nuri.core.fleet.Fleet;
import kr.nuri.core.job.JobSpec;
import kr.nuri.core.state.Capacity;
import kr.nuri.core.state.State;

/**
 * The FGD paper's baseline node-fit policies (Weng et al., "Beware of Fragmentation", USENIX ATC'23, §6.1), one
 * class each; the paper's own policy is {@link FragmentationGradientFit}, Nuri's default {@link BestGpuFit}.
 */
public final class FgdBaselines {
    private FgdBaselines() { }

    /**
     * {@code random}: a uniformly random node that fits, drawn from the seed and the job's sequence number only (so replay
     * and a restored engine draw alike). The FGD paper's baseline (Weng et al., "Beware of Fragmentation", USENIX ATC'23,
     * §6.1).
     */
    public static final class RandomFit extends NodeFit {
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
                for (int n : fleet.nodesOfPool(models[k])) {
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

    /**
     * {@code dotprod}: the node whose free resources align best with the demand, the largest Σ_d demand_d·free_d over
     * CPU, memory and GPU, each normalised by the node's capacity (Grandl et al., "Multi-Resource Packing for Cluster
     * Schedulers" (Tetris), SIGCOMM'14; a baseline of the FGD paper, ATC'23 §6.1).
     */
    public static final class DotProductFit extends NodeFit {
        public DotProductFit(Capacity capacity, Fleet fleet) { super(capacity, fleet); }

        @Override protected boolean largerIsBetter() { return true; }

        @Override
        protected double score(int n, JobSpec spec) {
            double score = 0;
            int cpuCap = fleet.nodeCpuMilli(n);
            if (cpuCap > 0) score += (double) spec.cpuMilli() / cpuCap * capacity.cpuLeft(n) / cpuCap;
            long memCap = fleet.nodeMemoryMib(n);
            if (memCap > 0) score += (double) spec.memoryMib() / memCap * capacity.memoryLeft(n) / memCap;
            double gpuCap = gpuCapacity(n);
            return score + spec.gpuMilliPerMember() / gpuCap * capacity.gpuMilliLeft(n) / gpuCap;
        }
    }

    /**
     * {@code clustering}: the node already hosting the most node-fit jobs of the same GPU demand (GPUs, thousandths),
     * ties to the node with the least GPU left (Jeon et al.'s affinity-style clustering, as the FGD paper's baseline,
     * ATC'23 §6.1).
     */
    public static final class ClusteringFit extends NodeFit {
        private int[] hosted;

        public ClusteringFit(Capacity capacity, Fleet fleet) { super(capacity, fleet); }

        @Override
        protected void begin(JobSpec spec) {
            hosted = capacity.hostedOf(State.demand(spec));
        }

        @Override
        protected double score(int n, JobSpec spec) {
            return -(hosted == null ? 0 : hosted[n]) * 1e7 + capacity.gpuMilliLeft(n);
        }
    }

    /**
     * {@code packing}: a GPU already shared before a free GPU of a node in use before an idle node; in each tier the
     * node with the least GPU left (the GPU-packing heuristic of Gandiva and AntMan, as the FGD paper's baseline, ATC'23
     * §6.1).
     */
    public static final class PackingFit extends NodeFit {
        public PackingFit(Capacity capacity, Fleet fleet) { super(capacity, fleet); }

        /** Tier (0 = a shared GPU serves it, 1 = the node is in use, 2 = idle node) then GPU left, as one number. */
        @Override
        protected double score(int n, JobSpec spec) {
            long left = capacity.gpuMilliLeft(n);
            int tier;
            if (left == (long) fleet.nodeGpus(n) * JobSpec.WHOLE_GPU) {
                tier = 2;
            } else if (spec.sharing()) {
                tier = fullestSharedSlot(n, spec.gpuMilli()) >= 0 ? 0 : 1;
            } else {
                tier = 1;
            }
            return tier * 1e9 + left;
        }
    }

    /**
     * {@code bestfit}: the node with the least resources left after placement, Σ_d left_d / capacity_d over CPU, memory
     * and GPU (multi-resource best fit, Panigrahy et al., "Heuristics for Vector Bin Packing", 2011; the FGD paper's
     * baseline, ATC'23 §6.1).
     */
    public static final class BestFit extends NodeFit {
        public BestFit(Capacity capacity, Fleet fleet) { super(capacity, fleet); }

        @Override
        protected double score(int n, JobSpec spec) {
            double score = 0;
            int cpuCap = fleet.nodeCpuMilli(n);
            if (cpuCap > 0) score += (double) (capacity.cpuLeft(n) - spec.cpuMilli()) / cpuCap;
            long memCap = fleet.nodeMemoryMib(n);
            if (memCap > 0) score += (double) (capacity.memoryLeft(n) - spec.memoryMib()) / memCap;
            return score + (capacity.gpuMilliLeft(n) - spec.gpuMilliPerMember()) / gpuCapacity(n);
        }
    }
}

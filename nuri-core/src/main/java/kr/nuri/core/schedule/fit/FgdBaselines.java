package kr.nuri.core.schedule.fit;

import java.util.Arrays;
import java.util.SplittableRandom;
import kr.nuri.core.fleet.Fleet;
import kr.nuri.core.job.JobSpec;
import kr.nuri.core.state.Capacity;

/**
 * The FGD paper's baseline node-fit policies (Weng et al., "Beware of Fragmentation", USENIX ATC'23, §6.1), one class
 * each, scored as the authors' simulator scores them (hkust-adsl/kubernetes-scheduler-simulator, {@code
 * pkg/simulator/plugin}): a Kubernetes score is an integer from 0 to 100, the largest wins and equal scores go to the
 * node whose name sorts first (their patched {@code selectHost}; here the lowest node index, and fgd-openb lists the
 * nodes as their names sort after the authors' random prefixes). Their
 * constants {@code MaxSpecCpu} (128 cores) and {@code MaxSpecGpu} (8 GPUs) are the openb cluster's largest node; here
 * the fleet's. A share goes on the fullest GPU that holds it ({@code gpuSelMethod: best}) except under {@code random}.
 * See docs/fgd-reproduction.md. The paper's own policy is {@link FragmentationGradientFit}, Nuri's default
 * {@link NuriFit}.
 */
public final class FgdBaselines {
    private FgdBaselines() { }

    /** The base of the authors' integer scores: larger is better, the lowest node index on ties. */
    abstract static class KubeScore extends NodeFit {
        /** The largest node's CPU thousandths (their MaxSpecCpu) and GPU thousandths (their MaxSpecGpu). */
        final double maxCpu;
        final double maxGpu;

        KubeScore(Capacity capacity, Fleet fleet) {
            super(capacity, fleet);
            int cpu = 0;
            for (int n = 0; n < fleet.nodeCount(); n++) cpu = Math.max(cpu, fleet.nodeCpuMilli(n));
            maxCpu = Math.max(1, cpu);
            maxGpu = Math.max(1, (long) fleet.maxGpusPerNode() * JobSpec.WHOLE_GPU);
        }

        @Override protected final boolean largerIsBetter() { return true; }

        /** CPU thousandths left on a node, 0 where the fleet does not model CPU. */
        final double cpuLeft(int n) {
            return fleet.nodeCpuMilli(n) > 0 ? capacity.cpuLeft(n) : 0;
        }

        /** The GPU thousandths a job asks of one node (all its GPUs). */
        static long gpuAsked(JobSpec spec) {
            return spec.sharing() ? spec.gpuMilli() : (long) spec.gpusPerMember() * JobSpec.WHOLE_GPU;
        }
    }

    /**
     * {@code random}: a uniformly random node that fits and, for a share, a uniformly random GPU that holds it (each
     * free GPU counted once), drawn from the seed and the job's sequence number only (so replay and a restored engine
     * draw alike). The authors' {@code RandomScore} with {@code gpuSelMethod: random}.
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
            SplittableRandom r = new SplittableRandom(seed ^ (seq * 0x9E3779B97F4A7C15L));
            int node = feasible[r.nextInt(found)];
            return new Choice(node, spec.sharing() ? randomSlot(node, spec.gpuMilli(), r) : -1);
        }

        /** A GPU that holds {@code milli}, each shared slot and each free GPU equally likely. */
        private int randomSlot(int n, int milli, SplittableRandom r) {
            int fitting = 0;
            for (int s = 0; s < fleet.nodeGpus(n); s++) {
                int used = capacity.shareUsed(n, s);
                if (used > 0 && JobSpec.WHOLE_GPU - used >= milli) fitting++;
            }
            int pick = r.nextInt(fitting + capacity.free(n));
            if (pick >= fitting) return freeSlot(n);
            for (int s = 0; s < fleet.nodeGpus(n); s++) {
                int used = capacity.shareUsed(n, s);
                if (used > 0 && JobSpec.WHOLE_GPU - used >= milli && pick-- == 0) return s;
            }
            throw new IllegalStateException("node " + fleet.nodeName(n) + ": no shared GPU " + pick);
        }

        @Override
        protected double score(int n, JobSpec spec) { return 0; }
    }

    /**
     * {@code dotprod}: the authors' {@code DotProductScore} with the artifact's settings (dimensions merged, normalised
     * by the largest node): with free = (CPU left / MaxSpecCpu, GPU left / MaxSpecGpu) and ask likewise, the score is
     * {@code int(100 × (1 − free·ask / 2))}, so the node whose free resources align <em>least</em> with the ask wins
     * (after Grandl et al., "Multi-Resource Packing for Cluster Schedulers" (Tetris), SIGCOMM'14, as the paper's baseline).
     */
    public static final class DotProductFit extends KubeScore {
        public DotProductFit(Capacity capacity, Fleet fleet) { super(capacity, fleet); }

        @Override
        protected double score(int n, JobSpec spec) {
            double dot = cpuLeft(n) / maxCpu * (spec.cpuMilli() / maxCpu) + capacity.gpuMilliLeft(n) / maxGpu * (gpuAsked(spec) / maxGpu);
            return (long) (100 * (1 - dot / 2));
        }
    }

    /**
     * {@code clustering}: the authors' {@code GpuClusteringScore}: jobs of the same GPU shape (a share of any size, or k
     * whole GPUs) together. A node already hosting that shape and no other scores 75–100, hosting it among others
     * 50–75, an idle node 25–50, a node of other shapes 0–25; within a tier, the less GPU left the higher. A job without
     * GPUs scores 0 everywhere (the first node that fits). (After Jeon et al.'s affinity-style clustering, as the
     * paper's baseline.)
     */
    public static final class ClusteringFit extends KubeScore {
        /** Per node: distinct shapes hosted, jobs of the asked shape; cached by the node's version. */
        private int[] shapes;
        private int[] seen;
        private long[][] byShape;
        private long asked;

        public ClusteringFit(Capacity capacity, Fleet fleet) { super(capacity, fleet); }

        @Override
        protected void begin(JobSpec spec) {
            asked = shapeOf(spec.gpusPerMember(), spec.sharing() ? spec.gpuMilli() : 0);
            if (seen == null) {
                seen = new int[fleet.nodeCount()];
                Arrays.fill(seen, -1);
                shapes = new int[fleet.nodeCount()];
                byShape = new long[fleet.nodeCount()][fleet.maxGpusPerNode() + 1];
            }
        }

        /** A job's shape as the authors tag it: 0 none, 1 a share, k + 1 for k whole GPUs. */
        private static long shapeOf(int gpus, int shareMilli) {
            return gpus == 0 ? 0 : shareMilli > 0 ? 1 : gpus + 1L;
        }

        @Override
        protected double score(int n, JobSpec spec) {
            if (asked == 0) return 0;
            refresh(n);
            long left = capacity.gpuMilliLeft(n);
            long fill = (long) (25 * (maxGpu - left) / maxGpu);
            long same = asked < byShape[n].length ? byShape[n][(int) asked] : 0;
            if (same > 0) return fill + (shapes[n] == 1 ? 75 : 50);
            return fill + (shapes[n] == 0 ? 25 : 0);
        }

        private void refresh(int n) {
            if (seen[n] == capacity.version(n)) return;
            Arrays.fill(byShape[n], 0);
            for (long demand : capacity.hostedDemands()) {
                int count = capacity.hostedOf(demand)[n];
                if (count == 0) continue;
                int gpus = (int) (demand / 10_000);
                long shape = shapeOf(gpus, (int) (demand % 10_000));
                if (shape > 0 && shape < byShape[n].length) byShape[n][(int) shape] += count;
            }
            int distinct = 0;
            for (int k = 1; k < byShape[n].length; k++) if (byShape[n][k] > 0) distinct++;
            shapes[n] = distinct;
            seen[n] = capacity.version(n);
        }
    }

    /**
     * {@code packing}: the authors' {@code GpuPackingScore} (the GPU-packing heuristic of Gandiva and AntMan, as the
     * paper's baseline): a job that fits on GPUs already shared scores 50–100 (the less those GPUs have left, the
     * higher), one that needs free GPUs of a node in use 33–50, an idle node 0–33; a job without GPUs scores 0
     * everywhere (the first node that fits).
     */
    public static final class PackingFit extends KubeScore {
        private final int[] left;

        public PackingFit(Capacity capacity, Fleet fleet) {
            super(capacity, fleet);
            left = new int[fleet.maxGpusPerNode() + 1];
        }

        @Override
        protected double score(int n, JobSpec spec) {
            if (spec.gpusPerMember() == 0) return 0;
            int count = capacity.gpuLeft(n, left);
            int free = capacity.free(n);
            if (free == count) return Math.max(33 - free, free);
            int milli = spec.sharing() ? spec.gpuMilli() : JobSpec.WHOLE_GPU;
            Arrays.sort(left, 0, count); // the least left first
            int wanted = spec.gpusPerMember();
            int freeUsed = 0;
            long leftPct = 0;
            for (int g = 0; g < count && wanted > 0; g++) {
                if (left[g] < milli) continue;
                wanted--;
                if (left[g] == JobSpec.WHOLE_GPU) freeUsed++;
                leftPct += left[g] * 100L / JobSpec.WHOLE_GPU;
            }
            if (freeUsed > 0) return Math.max(50 - freeUsed, 33);
            return Math.max(100 - leftPct / 10, 50);
        }
    }

    /**
     * {@code bestfit}: the authors' {@code BestFitScore}: {@code int(100 × (1 − ½ (CPU left after) / MaxSpecCpu − ½ (GPU
     * left after) / MaxSpecGpu))}, then normalised over the nodes that fit to 0–100 (Kubernetes' min–max, in integers),
     * so nodes whose scores round alike tie (multi-resource best fit, Panigrahy et al., "Heuristics for Vector Bin
     * Packing", 2011, as the paper's baseline).
     */
    public static final class BestFit extends KubeScore {
        private int[] nodes = new int[64];
        private long[] raw = new long[64];

        public BestFit(Capacity capacity, Fleet fleet) { super(capacity, fleet); }

        @Override
        protected double score(int n, JobSpec spec) {
            double after = (cpuLeft(n) - (fleet.nodeCpuMilli(n) > 0 ? spec.cpuMilli() : 0)) / maxCpu * 0.5
                    + (capacity.gpuMilliLeft(n) - gpuAsked(spec)) / maxGpu * 0.5;
            return (long) ((1 - after) * 100);
        }

        @Override
        public Choice place(JobSpec spec, long seq, int[] models, int count, boolean includeReserved) {
            int found = 0;
            long lowest = Long.MAX_VALUE;
            long highest = Long.MIN_VALUE;
            for (int k = 0; k < count; k++) {
                for (int n : fleet.nodesOfPool(models[k])) {
                    if (!fits(n, spec, includeReserved)) continue;
                    if (found == nodes.length) {
                        nodes = Arrays.copyOf(nodes, found * 2);
                        raw = Arrays.copyOf(raw, found * 2);
                    }
                    long s = (long) score(n, spec);
                    nodes[found] = n;
                    raw[found++] = s;
                    lowest = Math.min(lowest, s);
                    highest = Math.max(highest, s);
                }
            }
            if (found == 0) return null;
            int best = -1;
            long bestScore = -1;
            for (int i = 0; i < found; i++) {
                long normalised = highest == lowest ? 0 : (raw[i] - lowest) * 100 / (highest - lowest);
                if (normalised > bestScore || (normalised == bestScore && nodes[i] < best)) {
                    best = nodes[i];
                    bestScore = normalised;
                }
            }
            return new Choice(best, spec.sharing() ? slotFor(best, spec) : -1);
        }
    }
}

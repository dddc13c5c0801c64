package kr.nuri.sim.packing;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Chooses the node (and, for a task sharing a GPU, the GPU) for one task, or refuses. The policies are
 * those the FGD paper compares (Weng et al., ATC'23, §6.1), plus Nuri's own placement rule:
 * <ul>
 * <li>{@code random}: a uniformly random node that fits.
 * <li>{@code dotprod}: the node whose free resources align best with the task's demand (Tetris): the largest
 *     Σ_d demand_d·free_d over CPU, memory and GPU, each normalised by the node's capacity.
 * <li>{@code clustering}: the node already hosting the most tasks of the same GPU demand (GPUs, thousandths),
 *     so like tasks share nodes; ties to the node with the least GPU left.
 * <li>{@code packing}: a GPU already in use before a free GPU of a node in use before an idle node; in each
 *     tier the node with the least GPU left.
 * <li>{@code bestfit}: the node with the least resources left after placement, Σ_d left_d / capacity_d over
 *     CPU, memory and GPU.
 * <li>{@code fgd}: fragmentation gradient descent: the node, and GPU, whose fragmentation F_n grows the least
 *     (measured against the workload's task mix, see {@link TaskMix}).
 * <li>{@code nuri}: the rule of Nuri's engine ({@code Placer}): best fit on GPUs alone, the node with the
 *     fewest GPU thousandths left after placement, lowest node index on ties; the fullest GPU for a share.
 * </ul>
 * All policies but {@code fgd} put a sharing task on the fullest GPU of the chosen node that can serve it.
 * Ties go to the lowest node index, so every policy but {@code random} is deterministic in the order of tasks.
 */
public interface PackingPolicy {
    List<String> NAMES = List.of("random", "dotprod", "clustering", "packing", "bestfit", "fgd", "nuri");

    /**
     * The node for the task, or -1 when no node fits; {@link #gpu} then tells the GPU for a sharing task.
     *
     * @param taskClass   the task's class among distinct task shapes (CPU, memory, GPUs, thousandths, models)
     * @param demandClass the task's class among distinct GPU demands (GPUs, thousandths)
     */
    int node(PackingCluster c, Task t, int taskClass, int demandClass);

    /** The GPU for a sharing task on the node {@link #node} returned. */
    default int gpu(PackingCluster c, Task t, int node) {
        return c.bestFitGpu(node, t);
    }

    static PackingPolicy named(String name, long seed, int taskClasses) {
        return switch (name) {
            case "random" -> new RandomPolicy(seed);
            case "dotprod" -> scoring(PackingPolicy::alignment, true);
            case "clustering" -> new Clustering();
            case "packing" -> scoring(PackingPolicy::packingTier, false);
            case "bestfit" -> scoring(PackingPolicy::leftover, false);
            case "fgd" -> new Fgd(taskClasses);
            case "nuri" -> scoring((c, t, n) -> c.gpuMilliLeft(n) - t.totalGpuMilli(), false);
            default -> throw new IllegalArgumentException("policy '" + name + "' is not known. Maybe one of " + NAMES + "?");
        };
    }

    /** A score per node; the best (largest or smallest) feasible node wins, lowest index on ties. */
    interface Score {
        double of(PackingCluster c, Task t, int node);
    }

    private static PackingPolicy scoring(Score score, boolean largest) {
        return (c, t, cls, demand) -> {
            int best = -1;
            double bestScore = 0;
            for (int n = 0; n < c.size; n++) {
                if (!c.fits(n, t)) continue;
                double s = score.of(c, t, n);
                if (best < 0 || (largest ? s > bestScore : s < bestScore)) {
                    best = n;
                    bestScore = s;
                }
            }
            return best;
        };
    }

    private static double alignment(PackingCluster c, Task t, int n) {
        double gpuCap = Math.max(1, (long) c.gpuCount[n] * Task.WHOLE);
        return (double) t.cpuMilli() / c.cpuCap[n] * c.cpuLeft[n] / c.cpuCap[n]
                + (double) t.memoryMib() / c.memCap[n] * c.memLeft[n] / c.memCap[n]
                + t.totalGpuMilli() / gpuCap * c.gpuMilliLeft(n) / gpuCap;
    }

    private static double leftover(PackingCluster c, Task t, int n) {
        double gpuCap = Math.max(1, (long) c.gpuCount[n] * Task.WHOLE);
        return (double) (c.cpuLeft[n] - t.cpuMilli()) / c.cpuCap[n]
                + (double) (c.memLeft[n] - t.memoryMib()) / c.memCap[n]
                + (c.gpuMilliLeft(n) - t.totalGpuMilli()) / gpuCap;
    }

    /** Tier (0 = a used GPU serves it, 1 = the node is in use, 2 = idle node) then GPU left, as one number. */
    private static double packingTier(PackingCluster c, Task t, int n) {
        long left = c.gpuMilliLeft(n);
        int tier;
        if (left == (long) c.gpuCount[n] * Task.WHOLE) {
            tier = 2;
        } else if (t.sharing()) {
            int g = c.bestFitGpu(n, t);
            tier = c.gpuLeft[n][g] < Task.WHOLE ? 0 : 1;
        } else {
            tier = 1;
        }
        return tier * 1e9 + left;
    }

    final class RandomPolicy implements PackingPolicy {
        private final SplittableRandom random;
        private int[] feasible = new int[0];

        RandomPolicy(long seed) { random = new SplittableRandom(seed ^ 0x5DEECE66DL); }

        @Override
        public int node(PackingCluster c, Task t, int taskClass, int demandClass) {
            if (feasible.length < c.size) feasible = new int[c.size];
            int k = 0;
            for (int n = 0; n < c.size; n++) if (c.fits(n, t)) feasible[k++] = n;
            return k == 0 ? -1 : feasible[random.nextInt(k)];
        }
    }

    final class Clustering implements PackingPolicy {
        @Override
        public int node(PackingCluster c, Task t, int taskClass, int demandClass) {
            int best = -1;
            int bestSame = -1;
            long bestLeft = 0;
            for (int n = 0; n < c.size; n++) {
                if (!c.fits(n, t)) continue;
                int same = c.hosted[n][demandClass];
                long left = c.gpuMilliLeft(n);
                if (best < 0 || same > bestSame || (same == bestSame && left < bestLeft)) {
                    best = n;
                    bestSame = same;
                    bestLeft = left;
                }
            }
            return best;
        }
    }

    /**
     * FGD: for every node that fits, the growth of F_n if the task went there (for a sharing task, on each GPU
     * that can serve it). The growth is cached per (node, task class) and recomputed only after the node
     * changed, so a run costs about (task classes × placements) evaluations of F_n, not nodes × tasks.
     */
    final class Fgd implements PackingPolicy {
        private final int classes;
        private double[][] delta;
        private int[][] gpuOf;
        private int[][] seen;
        private int[] scratch = new int[64];
        private int chosenGpu = -1;

        Fgd(int classes) { this.classes = classes; }

        @Override
        public int node(PackingCluster c, Task t, int taskClass, int demandClass) {
            if (delta == null) {
                delta = new double[c.size][classes];
                gpuOf = new int[c.size][classes];
                seen = new int[c.size][classes];
                for (int[] s : seen) java.util.Arrays.fill(s, -1);
            }
            int best = -1;
            double bestDelta = 0;
            for (int n = 0; n < c.size; n++) {
                if (!c.fits(n, t)) continue;
                if (seen[n][taskClass] != c.version[n]) {
                    evaluate(c, t, n, taskClass);
                    seen[n][taskClass] = c.version[n];
                }
                double d = delta[n][taskClass];
                if (best < 0 || d < bestDelta) {
                    best = n;
                    bestDelta = d;
                }
            }
            chosenGpu = best < 0 ? -1 : gpuOf[best][taskClass];
            return best;
        }

        @Override
        public int gpu(PackingCluster c, Task t, int node) {
            return chosenGpu;
        }

        private void evaluate(PackingCluster c, Task t, int n, int taskClass) {
            int count = c.gpuCount[n];
            if (scratch.length < count) scratch = new int[count];
            System.arraycopy(c.gpuLeft[n], 0, scratch, 0, count);
            int cpu = c.cpuLeft[n] - t.cpuMilli();
            double before = c.fragmentation(n);
            if (t.sharing()) {
                double bestAfter = Double.POSITIVE_INFINITY;
                int bestGpu = -1;
                for (int g = 0; g < count; g++) {
                    if (scratch[g] < t.gpuMilli()) continue;
                    scratch[g] -= t.gpuMilli();
                    double after = c.mix().fragmentation(cpu, scratch, count, c.model[n]);
                    scratch[g] += t.gpuMilli();
                    if (after < bestAfter) {
                        bestAfter = after;
                        bestGpu = g;
                    }
                }
                delta[n][taskClass] = bestAfter - before;
                gpuOf[n][taskClass] = bestGpu;
            } else {
                int left = t.gpus();
                for (int g = 0; g < count && left > 0; g++) {
                    if (scratch[g] == Task.WHOLE) {
                        scratch[g] = 0;
                        left--;
                    }
                }
                delta[n][taskClass] = c.mix().fragmentation(cpu, scratch, count, c.model[n]) - before;
                gpuOf[n][taskClass] = -1;
            }
        }
    }
}

package kr.nuri.core.schedule;

import java.util.Arrays;
import java.util.SplittableRandom;
import kr.nuri.core.config.PlacementSettings;
import kr.nuri.core.fleet.Fleet;
import kr.nuri.core.fleet.Health;
import kr.nuri.core.job.JobSpec;
import kr.nuri.core.state.Capacity;
import kr.nuri.core.state.State;

/**
 * Places node-fit jobs (one member asking for a share of one GPU, CPU or memory, or no GPU; see
 * {@link JobSpec#nodeFit()}): it scores every node of the allowed models that can take the job and picks the best,
 * lowest node index on ties. The policies (named in {@link PlacementSettings}) are those the FGD paper compares
 * (Weng et al., ATC'23, §6.1), and Nuri's own:
 * <ul>
 * <li>{@code nuri}: best fit on GPUs, the node with the fewest GPU thousandths left after placement.
 * <li>{@code random}: a uniformly random node that fits (drawn from the seed and the job's sequence number).
 * <li>{@code dotprod}: the node whose free resources align best with the demand (Tetris): the largest
 *     Σ_d demand_d·free_d over CPU, memory and GPU, each normalised by the node's capacity.
 * <li>{@code clustering}: the node already hosting the most node-fit jobs of the same GPU demand (GPUs,
 *     thousandths), ties to the node with the least GPU left.
 * <li>{@code packing}: a GPU already shared before a free GPU of a node in use before an idle node; in each tier
 *     the node with the least GPU left.
 * <li>{@code bestfit}: the node with the least resources left after placement, Σ_d left_d / capacity_d over CPU,
 *     memory and GPU.
 * <li>{@code fgd}: fragmentation gradient descent: the node, and GPU, whose fragmentation F_n against the workload's
 *     task mix ({@link TaskMix}) grows the least.
 * </ul>
 * All policies but {@code fgd} put a share on the fullest shared GPU of the node that can serve it, else on a free
 * GPU. CPU and memory count only on nodes whose fleet entry models them. The choice depends only on the state (and,
 * for {@code random}, the seed and the job), so replay and an engine restored from a snapshot choose alike; the
 * caches here are keyed by {@link Capacity#version} and are not state.
 */
public final class NodePlacer {
    private final Capacity capacity;
    private final Fleet fleet;
    private final int kind;
    private final long seed;
    private final TaskMix mix;
    private static final int RANDOM = 0;
    private static final int DOTPROD = 1;
    private static final int CLUSTERING = 2;
    private static final int PACKING = 3;
    private static final int BESTFIT = 4;
    private static final int FGD = 5;
    private int[] gpuLeft;
    private int[] feasible = new int[64];
    /** FGD's cache: per (node, task class) the growth of F_n and the slot, valid while the node's version is unchanged. */
    private double[][] fgdDelta;
    private int[][] fgdSlot;
    private int[][] fgdSeen;
    private double[] fragOf;
    private int[] fragSeen;
    private int chosenSlot;

    public NodePlacer(State state) {
        this.capacity = state.capacity();
        this.fleet = state.fleet();
        PlacementSettings p = state.config().scheduler().placement();
        this.kind = PlacementSettings.POLICIES.indexOf(p.policy());
        this.seed = p.seed();
        this.mix = p.taskMix().isEmpty() ? null : new TaskMix(p.taskMix(), fleet);
        this.gpuLeft = new int[fleet.maxGpusPerNode() + 1];
    }

    /** A node and, for a share, the GPU slot on it. */
    public record Choice(int node, int slot) { }

    /**
     * The node for the job among the nodes of {@code models} (the first {@code count} entries), or null when none can
     * take it; reserved nodes only with {@code includeReserved}.
     */
    public Choice place(JobSpec spec, long seq, int[] models, int count, boolean includeReserved) {
        int best = -1;
        double bestScore = 0;
        boolean largest = kind == DOTPROD;
        int found = 0;
        int cls = -1;
        if (kind == FGD) {
            cls = mix.classOf(spec.cpuMilli(), spec.gpusPerMember(), spec.gpusPerMember() == 0 ? 0 : spec.sharing() ? spec.gpuMilli() : TaskMix.WHOLE,
                    TaskMix.mask(spec.models(), fleet));
        }
        int[] hosted = kind == CLUSTERING ? capacity.hostedOf(State.demand(spec)) : null;
        int fgdSlotOfBest = -1;
        for (int k = 0; k < count; k++) {
            for (int n : fleet.nodesOfModel(models[k])) {
                if (!fits(n, spec, includeReserved)) continue;
                if (kind == RANDOM) {
                    if (found == feasible.length) feasible = Arrays.copyOf(feasible, found * 2);
                    feasible[found++] = n;
                    continue;
                }
                double s = switch (kind) {
                    case DOTPROD -> alignment(n, spec);
                    case CLUSTERING -> -(hosted == null ? 0 : hosted[n]) * 1e7 + capacity.gpuMilliLeft(n);
                    case PACKING -> packingTier(n, spec);
                    case BESTFIT -> leftover(n, spec);
                    case FGD -> fgd(n, spec, cls);
                    default -> capacity.gpuMilliLeft(n) - spec.gpuMilliPerMember();
                };
                if (best < 0 || (largest ? s > bestScore : s < bestScore) || (s == bestScore && n < best)) {
                    best = n;
                    bestScore = s;
                    fgdSlotOfBest = chosenSlot;
                }
            }
        }
        if (kind == RANDOM) {
            if (found == 0) return null;
            best = feasible[new SplittableRandom(seed ^ (seq * 0x9E3779B97F4A7C15L)).nextInt(found)];
        }
        if (best < 0) return null;
        int slot = -1;
        if (spec.sharing()) slot = kind == FGD ? fgdSlotOfBest : fullestSlot(best, spec.gpuMilli());
        return new Choice(best, slot);
    }

    /** Whether the node can take the job now: up, open (or reserved ones allowed), CPU, memory, model, GPUs. */
    public boolean fits(int n, JobSpec spec, boolean includeReserved) {
        if (capacity.health(n) != Health.UP || (!includeReserved && capacity.reserved(n))) return false;
        if (spec.cpuMilli() > capacity.cpuLeft(n) || spec.memoryMib() > capacity.memoryLeft(n)) return false;
        if (spec.gpusPerMember() == 0) return true;
        if (!spec.sharing()) return capacity.free(n) >= spec.gpusPerMember();
        return capacity.free(n) > 0 || fullestSharedSlot(n, spec.gpuMilli()) >= 0;
    }

    /** The shared slot with the least room that still holds {@code milli}, lowest slot on ties; -1 if none. */
    private int fullestSharedSlot(int n, int milli) {
        if (capacity.sharedSlots(n) == 0) return -1;
        int best = -1;
        int bestLeft = Integer.MAX_VALUE;
        for (int s = 0; s < fleet.nodeGpus(n); s++) {
            int used = capacity.shareUsed(n, s);
            int left = TaskMix.WHOLE - used;
            if (used > 0 && left >= milli && left < bestLeft) {
                best = s;
                bestLeft = left;
            }
        }
        return best;
    }

    /** The slot for a share: the fullest shared GPU that can serve it, else a free GPU (the lowest free slot). */
    private int fullestSlot(int n, int milli) {
        int s = fullestSharedSlot(n, milli);
        return s >= 0 ? s : freeSlot(n);
    }

    private int freeSlot(int n) {
        for (int s = 0; s < fleet.nodeGpus(n); s++) if (capacity.shareUsed(n, s) == 0) return s;
        throw new IllegalStateException("node " + fleet.nodeName(n) + " has no free GPU slot");
    }

    private double alignment(int n, JobSpec spec) {
        double score = 0;
        int cpuCap = fleet.nodeCpuMilli(n);
        if (cpuCap > 0) score += (double) spec.cpuMilli() / cpuCap * capacity.cpuLeft(n) / cpuCap;
        long memCap = fleet.nodeMemoryMib(n);
        if (memCap > 0) score += (double) spec.memoryMib() / memCap * capacity.memoryLeft(n) / memCap;
        double gpuCap = Math.max(1, (long) fleet.nodeGpus(n) * TaskMix.WHOLE);
        return score + spec.gpuMilliPerMember() / gpuCap * capacity.gpuMilliLeft(n) / gpuCap;
    }

    private double leftover(int n, JobSpec spec) {
        double score = 0;
        int cpuCap = fleet.nodeCpuMilli(n);
        if (cpuCap > 0) score += (double) (capacity.cpuLeft(n) - spec.cpuMilli()) / cpuCap;
        long memCap = fleet.nodeMemoryMib(n);
        if (memCap > 0) score += (double) (capacity.memoryLeft(n) - spec.memoryMib()) / memCap;
        double gpuCap = Math.max(1, (long) fleet.nodeGpus(n) * TaskMix.WHOLE);
        return score + (capacity.gpuMilliLeft(n) - spec.gpuMilliPerMember()) / gpuCap;
    }

    /** Tier (0 = a shared GPU serves it, 1 = the node is in use, 2 = idle node) then GPU left, as one number. */
    private double packingTier(int n, JobSpec spec) {
        long left = capacity.gpuMilliLeft(n);
        int tier;
        if (left == (long) fleet.nodeGpus(n) * TaskMix.WHOLE) {
            tier = 2;
        } else if (spec.sharing()) {
            tier = fullestSharedSlot(n, spec.gpuMilli()) >= 0 ? 0 : 1;
        } else {
            tier = 1;
        }
        return tier * 1e9 + left;
    }

    /** The growth of F_n if the job went to node n (for a share, on its best GPU, left in {@link #chosenSlot}). */
    private double fgd(int n, JobSpec spec, int cls) {
        if (fgdDelta == null) {
            int nodes = fleet.nodeCount();
            fgdDelta = new double[nodes][mix.classes()];
            fgdSlot = new int[nodes][mix.classes()];
            fgdSeen = new int[nodes][mix.classes()];
            for (int[] s : fgdSeen) Arrays.fill(s, -1);
            fragOf = new double[nodes];
            fragSeen = new int[nodes];
            Arrays.fill(fragSeen, -1);
        }
        int version = capacity.version(n);
        if (cls >= 0 && fgdSeen[n][cls] == version) {
            chosenSlot = fgdSlot[n][cls];
            return fgdDelta[n][cls];
        }
        double delta = evaluate(n, spec);
        if (cls >= 0) {
            fgdSeen[n][cls] = version;
            fgdDelta[n][cls] = delta;
            fgdSlot[n][cls] = chosenSlot;
        }
        return delta;
    }

    /** F_n of node n now, cached by its version. */
    public double fragmentation(int n) {
        if (mix == null) throw new IllegalStateException("no task mix configured");
        if (fragSeen == null) {
            fragOf = new double[fleet.nodeCount()];
            fragSeen = new int[fleet.nodeCount()];
            Arrays.fill(fragSeen, -1);
        }
        int version = capacity.version(n);
        if (fragSeen[n] != version) {
            int count = capacity.gpuLeft(n, gpuLeft);
            fragOf[n] = mix.fragmentation(capacity.cpuLeft(n), gpuLeft, count, fleet.modelOfNode(n));
            fragSeen[n] = version;
        }
        return fragOf[n];
    }

    private double evaluate(int n, JobSpec spec) {
        double before = fragmentation(n);
        int count = capacity.gpuLeft(n, gpuLeft);
        int cpu = capacity.cpuLeft(n) == Integer.MAX_VALUE ? Integer.MAX_VALUE : capacity.cpuLeft(n) - spec.cpuMilli();
        int model = fleet.modelOfNode(n);
        chosenSlot = -1;
        if (spec.sharing()) {
            // gpuLeft lists the shared slots first, in slot order, then the free GPUs: map a position back to its slot.
            double bestAfter = Double.POSITIVE_INFINITY;
            int bestPos = -1;
            for (int g = 0; g < count; g++) {
                if (gpuLeft[g] < spec.gpuMilli()) continue;
                if (g > 0 && gpuLeft[g] == TaskMix.WHOLE && gpuLeft[g - 1] == TaskMix.WHOLE) continue; // same as the free GPU before
                gpuLeft[g] -= spec.gpuMilli();
                double after = mix.fragmentation(cpu, gpuLeft, count, model);
                gpuLeft[g] += spec.gpuMilli();
                if (after < bestAfter) {
                    bestAfter = after;
                    bestPos = g;
                }
            }
            chosenSlot = bestPos < capacity.sharedSlots(n) ? sharedSlotAt(n, bestPos) : freeSlot(n);
            return bestAfter - before;
        }
        int left = spec.gpusPerMember();
        for (int g = 0; g < count && left > 0; g++) {
            if (gpuLeft[g] == TaskMix.WHOLE) {
                gpuLeft[g] = 0;
                left--;
            }
        }
        return mix.fragmentation(cpu, gpuLeft, count, model) - before;
    }

    /** The slot of the k-th shared slot of a node (in slot order). */
    private int sharedSlotAt(int n, int k) {
        for (int s = 0; s < fleet.nodeGpus(n); s++) {
            if (capacity.shareUsed(n, s) > 0 && k-- == 0) return s;
        }
        throw new IllegalStateException("node " + fleet.nodeName(n) + " has fewer shared slots than " + k);
    }
}

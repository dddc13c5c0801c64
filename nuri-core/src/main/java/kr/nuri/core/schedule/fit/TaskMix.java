package kr.nuri.core.schedule.fit;

import kr.nuri.core.job.JobSpec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import kr.nuri.core.config.PlacementSettings.TaskShape;
import kr.nuri.core.fleet.Fleet;

/**
 * The workload's task mix as the FGD paper measures fragmentation against it: task classes (CPU, GPUs, GPU
 * thousandths per GPU, allowed GPU models) with their share of all tasks.
 *
 * <p>Fragmentation of a node for one task class m, F_n(m) (Weng et al., ATC'23, §3): if m cannot run on the
 * node (too little CPU, no allowed GPU model, too few GPUs that can serve it, or m asks for no GPU at all),
 * every unallocated GPU thousandth of the node is a fragment; otherwise the fragments are the free
 * thousandths of the GPUs that cannot serve m (a GPU serves a whole-GPU task only when it is entirely free,
 * a sharing task when it has at least the task's thousandths left). The node's fragmentation is the
 * expectation over the mix, F_n = Σ_m p_m · F_n(m).
 */
public final class TaskMix {
    private final double[] share;
    private final int[] cpu;
    private final int[] gpus;
    private final int[] milli;
    private final long[] modelMask;
    private final Map<List<Long>, Integer> index = new HashMap<>();

    /** The mix of the given classes on a fleet (model names resolved to the fleet's model indexes). */
    public TaskMix(List<TaskShape> classes, Fleet fleet) {
        this(classes, fleet, 0);
    }

    /**
     * The mix of the given classes on a fleet, counted among {@code population} tasks (0: their own total; see
     * {@code PlacementSettings#taskMixOf}).
     */
    public TaskMix(List<TaskShape> classes, Fleet fleet, long population) {
        this(classes.stream().mapToInt(TaskShape::cpuMilli).toArray(), classes.stream().mapToInt(TaskShape::gpus).toArray(),
                classes.stream().mapToInt(TaskShape::gpuMilli).toArray(), classes.stream().mapToLong(t -> mask(t.models(), fleet)).toArray(),
                classes.stream().mapToLong(TaskShape::count).toArray(), population);
        if (fleet.modelCount() > 62) throw new IllegalArgumentException("a task mix handles at most 62 GPU models; the fleet has " + fleet.modelCount());
    }

    /**
     * The mix of classes given column by column: CPU thousandths, GPUs, thousandths per GPU (1000 whole, 0 without GPU),
     * allowed-model mask (bit i = model i; 0 = any) and the number of tasks of each class.
     */
    public TaskMix(int[] cpuMilli, int[] gpus, int[] gpuMilli, long[] modelMask, long[] count) {
        this(cpuMilli, gpus, gpuMilli, modelMask, count, 0);
    }

    /**
     * The same, the classes counted among {@code population} tasks: a class's share is (count / population) / (kept /
     * population), the FGD authors' arithmetic for their renormalised typical pods, equal to count / kept up to the
     * last bit (0: count / kept).
     */
    public TaskMix(int[] cpuMilli, int[] gpus, int[] gpuMilli, long[] modelMask, long[] count, long population) {
        int n = cpuMilli.length;
        if (n == 0) throw new IllegalArgumentException("a task mix needs at least one task class");
        share = new double[n];
        cpu = cpuMilli.clone();
        this.gpus = gpus.clone();
        milli = gpuMilli.clone();
        this.modelMask = modelMask.clone();
        long total = 0;
        for (long c : count) total += c;
        double all = population > 0 ? population : total;
        for (int i = 0; i < n; i++) {
            share[i] = ((double) count[i] / all) / (total / all);
            index.putIfAbsent(key(cpu[i], this.gpus[i], milli[i], this.modelMask[i]), i);
        }
    }

    /** The model mask of a list of GPU model names: 0 = any; a list of models the fleet lacks = bit 63 (runs nowhere). */
    public static long mask(List<String> models, Fleet fleet) {
        if (models.isEmpty()) return 0;
        long mask = 0;
        for (String s : models) {
            int m = fleet.modelIndex(s);
            if (m >= 0) mask |= 1L << m;
        }
        return mask == 0 ? 1L << 63 : mask;
    }

    private static List<Long> key(int cpuMilli, int gpus, int gpuMilli, long mask) {
        return List.of((long) cpuMilli, (long) gpus, (long) gpuMilli, mask);
    }

    /** The class of a task of this shape, or -1 when the mix has none. */
    public int classOf(int cpuMilli, int gpus, int gpuMilli, long mask) {
        return index.getOrDefault(key(cpuMilli, gpus, gpuMilli, mask), -1);
    }

    public int classes() { return share.length; }

    /**
     * F_n of a node in the given state, in GPU thousandths.
     *
     * @param gpuLeft thousandths left per GPU (the first {@code gpuCount} entries)
     */
    public double fragmentation(int cpuLeft, int[] gpuLeft, int gpuCount, int model) {
        long free = 0;
        int whole = 0;
        for (int g = 0; g < gpuCount; g++) {
            free += gpuLeft[g];
            if (gpuLeft[g] == JobSpec.WHOLE_GPU) whole++;
        }
        if (free == 0) return 0;
        long modelBit = 1L << model;
        // Summed per kind of fragment, then the kinds in a fixed order, as the FGD authors' simulator sums them
        // (FragAmount: lack of both, of GPU, of CPU; CPU-only task with and without CPU; no access): the same sum in
        // another order differs in its last bits, and their integer score can turn on those.
        double lackBoth = 0;
        double lackGpu = 0;
        double lackCpu = 0;
        double cpuOnly = 0;
        double cpuOnlyLackCpu = 0;
        double noAccess = 0;
        for (int m = 0; m < share.length; m++) {
            boolean cpuFits = cpu[m] <= cpuLeft;
            if (gpus[m] == 0) {
                if (cpuFits) cpuOnly += share[m] * free; else cpuOnlyLackCpu += share[m] * free;
                continue;
            }
            if (modelMask[m] != 0 && (modelMask[m] & modelBit) == 0) {
                noAccess += share[m] * free;
                continue;
            }
            long unusable; // the free thousandths of the GPUs that cannot serve the class
            boolean hosts;
            if (milli[m] == JobSpec.WHOLE_GPU) {
                hosts = whole >= gpus[m];
                unusable = free - (long) JobSpec.WHOLE_GPU * whole;
            } else {
                unusable = 0;
                int serving = 0;
                for (int g = 0; g < gpuCount; g++) {
                    if (gpuLeft[g] < milli[m]) unusable += gpuLeft[g]; else serving++;
                }
                hosts = serving >= gpus[m];
            }
            if (hosts && cpuFits) lackGpu += share[m] * unusable;
            else if (hosts) lackCpu += share[m] * free;
            else if (cpuFits) lackGpu += share[m] * free;
            else lackBoth += share[m] * free;
        }
        return lackBoth + lackGpu + lackCpu + cpuOnly + cpuOnlyLackCpu + noAccess;
    }

    /**
     * Per GPU model, the GPU thousandths per task of the mix that only a few models can serve: each class that names its
     * models spreads its demand (share × GPUs × thousandths) evenly over them; classes that take any model count nowhere.
     */
    public double[] constrainedDemand(int models) {
        double[] d = new double[models];
        for (int m = 0; m < share.length; m++) {
            if (modelMask[m] == 0 || modelMask[m] == 1L << 63) continue;
            int allowed = Long.bitCount(modelMask[m]);
            for (int k = 0; k < models; k++) {
                if ((modelMask[m] & (1L << k)) != 0) d[k] += share[m] * gpus[m] * milli[m] / allowed;
            }
        }
        return d;
    }
}

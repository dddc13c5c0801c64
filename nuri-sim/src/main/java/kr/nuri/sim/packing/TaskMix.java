package kr.nuri.sim.packing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The workload's task mix as the FGD paper measures fragmentation against it: task classes (CPU, GPUs,
 * GPU thousandths per GPU, allowed GPU models) with their share of all tasks.
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

    private TaskMix(List<Task> classes, List<Long> counts, long total) {
        int n = classes.size();
        share = new double[n];
        cpu = new int[n];
        gpus = new int[n];
        milli = new int[n];
        modelMask = new long[n];
        for (int i = 0; i < n; i++) {
            Task t = classes.get(i);
            share[i] = (double) counts.get(i) / total;
            cpu[i] = t.cpuMilli();
            gpus[i] = t.gpus();
            milli[i] = t.gpuMilli();
            modelMask[i] = t.modelMask();
        }
    }

    /** The mix of a task list: one class per distinct (CPU, GPUs, thousandths, models), memory aside. */
    public static TaskMix of(List<Task> tasks) {
        if (tasks.isEmpty()) throw new IllegalArgumentException("a task mix needs at least one task");
        Map<List<Long>, Integer> index = new LinkedHashMap<>();
        List<Task> classes = new ArrayList<>();
        List<Long> counts = new ArrayList<>();
        for (Task t : tasks) {
            List<Long> key = List.of((long) t.cpuMilli(), (long) t.gpus(), (long) t.gpuMilli(), t.modelMask());
            Integer i = index.get(key);
            if (i == null) {
                index.put(key, i = classes.size());
                classes.add(t);
                counts.add(0L);
            }
            counts.set(i, counts.get(i) + 1);
        }
        return new TaskMix(classes, counts, tasks.size());
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
            if (gpuLeft[g] == Task.WHOLE) whole++;
        }
        if (free == 0) return 0;
        long modelBit = 1L << model;
        double f = 0;
        for (int m = 0; m < share.length; m++) {
            if (gpus[m] == 0 || cpu[m] > cpuLeft || (modelMask[m] != 0 && (modelMask[m] & modelBit) == 0)) {
                f += share[m] * free;
            } else if (milli[m] == Task.WHOLE) {
                f += share[m] * (whole >= gpus[m] ? free - (long) Task.WHOLE * whole : free);
            } else {
                long unusable = 0;
                for (int g = 0; g < gpuCount; g++) if (gpuLeft[g] < milli[m]) unusable += gpuLeft[g];
                f += share[m] * unusable; // unusable == free when no GPU can serve it: all are fragments
            }
        }
        return f;
    }
}

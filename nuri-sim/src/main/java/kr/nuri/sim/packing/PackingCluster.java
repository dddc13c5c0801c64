package kr.nuri.sim.packing;

import java.util.Arrays;
import java.util.List;

/**
 * The nodes of a GPU-sharing cluster during one packing run: CPU, memory and thousandths left on each GPU,
 * the node's fragmentation (kept per node, updated when the node changes) and a version per node so
 * policies may cache what they computed for it.
 */
public final class PackingCluster {
    final int size;
    final int[] cpuCap;
    final int[] cpuLeft;
    final long[] memCap;
    final long[] memLeft;
    final int[] gpuCount;
    final int[][] gpuLeft;
    final int[] model;
    final int[] version;
    /** Tasks per (node, GPU demand class): for the clustering policy. */
    final int[][] hosted;
    private final TaskMix mix;
    private final double[] frag;
    private final long capacityMilli;
    private long allocatedMilli;

    public record NodeSpec(int cpuMilli, long memoryMib, int gpus, int model) { }

    public PackingCluster(List<NodeSpec> nodes, TaskMix mix, int demandClasses) {
        size = nodes.size();
        cpuCap = new int[size];
        cpuLeft = new int[size];
        memCap = new long[size];
        memLeft = new long[size];
        gpuCount = new int[size];
        gpuLeft = new int[size][];
        model = new int[size];
        version = new int[size];
        hosted = new int[size][demandClasses];
        frag = new double[size];
        this.mix = mix;
        long capacity = 0;
        for (int n = 0; n < size; n++) {
            NodeSpec s = nodes.get(n);
            cpuCap[n] = cpuLeft[n] = s.cpuMilli();
            memCap[n] = memLeft[n] = s.memoryMib();
            gpuCount[n] = s.gpus();
            gpuLeft[n] = new int[s.gpus()];
            Arrays.fill(gpuLeft[n], Task.WHOLE);
            model[n] = s.model();
            capacity += (long) s.gpus() * Task.WHOLE;
            frag[n] = mix.fragmentation(cpuLeft[n], gpuLeft[n], gpuCount[n], model[n]);
        }
        capacityMilli = capacity;
    }

    public int size() { return size; }

    public long capacityMilli() { return capacityMilli; }

    public long allocatedMilli() { return allocatedMilli; }

    /** Σ F_n over nodes, in GPU thousandths (re-summed, so no drift accumulates). */
    public double fragmentation() {
        double f = 0;
        for (double x : frag) f += x;
        return f;
    }

    double fragmentation(int node) { return frag[node]; }

    TaskMix mix() { return mix; }

    /** Whether the task fits on the node: CPU, memory, GPU model and GPUs that can serve it. */
    public boolean fits(int n, Task t) {
        if (t.cpuMilli() > cpuLeft[n] || t.memoryMib() > memLeft[n]) return false;
        if (t.gpus() == 0) return true;
        if (t.gpus() > gpuCount[n] || (t.modelMask() != 0 && (t.modelMask() & (1L << model[n])) == 0)) return false;
        int serving = 0;
        for (int g : gpuLeft[n]) if (g >= t.gpuMilli()) serving++;
        return serving >= t.gpus();
    }

    /** GPU thousandths left on a node. */
    long gpuMilliLeft(int n) {
        long s = 0;
        for (int g : gpuLeft[n]) s += g;
        return s;
    }

    /** The fullest GPU of the node that can still serve a sharing task (best fit), lowest index on ties. */
    int bestFitGpu(int n, Task t) {
        int best = -1;
        for (int g = 0; g < gpuCount[n]; g++) {
            int left = gpuLeft[n][g];
            if (left >= t.gpuMilli() && (best < 0 || left < gpuLeft[n][best])) best = g;
        }
        return best;
    }

    /**
     * Places a task: a sharing task on GPU {@code gpu}, whole-GPU tasks on the lowest-numbered entirely free
     * GPUs. The caller has checked {@link #fits}.
     */
    void place(int n, Task t, int demandClass, int gpu) {
        cpuLeft[n] -= t.cpuMilli();
        memLeft[n] -= t.memoryMib();
        if (t.sharing()) {
            gpuLeft[n][gpu] -= t.gpuMilli();
        } else {
            int left = t.gpus();
            for (int g = 0; g < gpuCount[n] && left > 0; g++) {
                if (gpuLeft[n][g] == Task.WHOLE) {
                    gpuLeft[n][g] = 0;
                    left--;
                }
            }
            if (left > 0) throw new IllegalStateException("node " + n + " has too few free GPUs for " + t);
        }
        if (cpuLeft[n] < 0 || memLeft[n] < 0 || (t.sharing() && gpuLeft[n][gpu] < 0)) {
            throw new IllegalStateException("node " + n + " overcommitted by " + t);
        }
        allocatedMilli += t.totalGpuMilli();
        hosted[n][demandClass]++;
        version[n]++;
        frag[n] = mix.fragmentation(cpuLeft[n], gpuLeft[n], gpuCount[n], model[n]);
    }
}

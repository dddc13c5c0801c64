package kr.nuri.sim.packing;

/**
 * A task of the packing experiment (a pod of the openb trace).
 *
 * @param gpuMilli  thousandths per GPU: {@link #WHOLE} for whole GPUs, less for one shared GPU, 0 for CPU-only
 * @param modelMask bit i set = may run on GPU model i of the cluster; 0 = any model
 */
public record Task(int cpuMilli, long memoryMib, int gpus, int gpuMilli, long modelMask) {
    public static final int WHOLE = 1000;

    public Task {
        if (gpus < 0 || gpuMilli < 0 || gpuMilli > WHOLE || (gpus > 1 && gpuMilli != WHOLE) || (gpus == 0) != (gpuMilli == 0)) {
            throw new IllegalArgumentException("task gpus=" + gpus + " gpuMilli=" + gpuMilli
                    + ": whole GPUs take 1000 thousandths each, a shared GPU 1 to 999, a CPU-only task 0 GPUs");
        }
    }

    public long totalGpuMilli() { return (long) gpus * gpuMilli; }

    public boolean sharing() { return gpus == 1 && gpuMilli < WHOLE; }
}

package kr.nuri.sim.packing;

import kr.nuri.core.job.JobSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kr.nuri.core.schedule.fit.TaskMix;

/**
 * A task of the packing experiment (a pod of the openb trace).
 *
 * @param gpuMilli  thousandths per GPU: {@link JobSpec#WHOLE_GPU} for whole GPUs, less for one shared GPU, 0 for CPU-only
 * @param modelMask bit i set = may run on GPU model i of the cluster; 0 = any model
 */
public record Task(int cpuMilli, long memoryMib, int gpus, int gpuMilli, long modelMask) {

    public Task {
        if (gpus < 0 || gpuMilli < 0 || gpuMilli > JobSpec.WHOLE_GPU || (gpus > 1 && gpuMilli != JobSpec.WHOLE_GPU) || (gpus == 0) != (gpuMilli == 0)) {
            throw new IllegalArgumentException("task gpus=" + gpus + " gpuMilli=" + gpuMilli
                    + ": whole GPUs take 1000 thousandths each, a shared GPU 1 to 999, a CPU-only task 0 GPUs");
        }
    }

    public long totalGpuMilli() { return (long) gpus * gpuMilli; }

    public boolean sharing() { return gpus == 1 && gpuMilli < JobSpec.WHOLE_GPU; }

    /** The engine's task mix of a task list: one class per distinct (CPU, GPUs, thousandths, models), memory aside. */
    public static TaskMix mix(List<Task> tasks) {
        if (tasks.isEmpty()) throw new IllegalArgumentException("a task mix needs at least one task");
        Map<List<Long>, Integer> index = new LinkedHashMap<>();
        List<Task> classes = new ArrayList<>();
        List<Long> counts = new ArrayList<>();
        for (Task t : tasks) {
            Integer i = index.computeIfAbsent(t.classKey(), k -> classes.size());
            if (i == classes.size()) {
                classes.add(t);
                counts.add(0L);
            }
            counts.set(i, counts.get(i) + 1);
        }
        return new TaskMix(classes.stream().mapToInt(Task::cpuMilli).toArray(), classes.stream().mapToInt(Task::gpus).toArray(),
                classes.stream().mapToInt(Task::gpuMilli).toArray(), classes.stream().mapToLong(Task::modelMask).toArray(),
                counts.stream().mapToLong(Long::longValue).toArray());
    }

    /** What tells task classes apart: CPU, GPUs, thousandths, models (memory aside, as in the paper). */
    public List<Long> classKey() {
        return List.of((long) cpuMilli, (long) gpus, (long) gpuMilli, modelMask);
    }
}

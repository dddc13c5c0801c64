package kr.nuri.core.config;

import kr.nuri.core.job.JobSpec;
import java.util.List;

/**
 * How node-fit jobs (one member asking for a share of a GPU, CPU or memory; see {@code JobSpec#nodeFit}) choose
 * their node: a policy by name, as the FGD paper compares them (Weng et al., ATC'23, §6.1), see
 * {@code schedule/fit}. Gangs of whole GPUs are placed by the gang placement whatever this says.
 *
 * @param policy  {@code nuri} (default: best fit on GPU thousandths), {@code random}, {@code dotprod}, {@code clustering},
 *                {@code packing}, {@code bestfit} or {@code fgd}
 * @param seed    the {@code random} policy's seed (its choice for a job depends on the seed and the job's sequence
 *                number only, so replay and a restored engine choose alike)
 * @param taskMix the workload's task classes, which {@code fgd} measures fragmentation against; required by it
 * @param taskMixOf the number of tasks the classes were counted among when {@code taskMix} keeps only the most
 *                frequent ones (0: their own total). A class's share is then its count over the kept tasks computed as
 *                the FGD authors compute it, (count / taskMixOf) / (kept / taskMixOf): the same share to the last bit,
 *                so that their integer score turns where theirs does (docs/fgd-reproduction.md)
 */
public record PlacementSettings(String policy, long seed, List<TaskShape> taskMix, long taskMixOf) {
    public static final PlacementSettings DEFAULT = new PlacementSettings("nuri", 0, List.of());

    /** Settings whose task mix is the whole workload. */
    public PlacementSettings(String policy, long seed, List<TaskShape> taskMix) {
        this(policy, seed, taskMix, 0);
    }

    /**
     * The one task shape: CPU thousandths, GPUs, thousandths per GPU (1000 = whole GPUs, 0 with no GPU), the GPU
     * models it may use (empty = any), how many tasks of the workload are of it (a class of the task mix; 1 for one
     * task), and memory (MiB; a task's own, not part of its class: the FGD paper's classes leave memory aside).
     */
    public record TaskShape(int cpuMilli, int gpus, int gpuMilli, List<String> models, long count, long memoryMib) {
        /** A shape without memory. */
        public TaskShape(int cpuMilli, int gpus, int gpuMilli, List<String> models, long count) {
            this(cpuMilli, gpus, gpuMilli, models, count, 0);
        }

        /** Whether it takes a share of one GPU (not whole GPUs, not none). */
        public boolean sharing() { return gpus == 1 && gpuMilli < JobSpec.WHOLE_GPU; }

        public TaskShape {
            models = models == null ? List.of() : List.copyOf(models);
            if (gpus < 0 || gpuMilli < 0 || gpuMilli > JobSpec.WHOLE_GPU || (gpus > 1 && gpuMilli != JobSpec.WHOLE_GPU) || (gpus == 0) != (gpuMilli == 0)) {
                throw new IllegalArgumentException("task class gpus=" + gpus + " gpuMilli=" + gpuMilli
                        + ": whole GPUs take 1000 thousandths each, a shared GPU 1 to 999, a CPU-only task 0 GPUs and 0 thousandths");
            }
            if (cpuMilli < 0) throw new IllegalArgumentException("task class cpuMilli=" + cpuMilli + ": must be 0 or more");
            if (count < 1) throw new IllegalArgumentException("task class count=" + count + ": must be at least 1");
            if (memoryMib < 0) throw new IllegalArgumentException("task memoryMib=" + memoryMib + ": must be 0 or more");
        }

        /**
         * A workload's task mix: its tasks with equal shapes (all but the count and memory) merged, counts added, in
         * first-seen order.
         */
        public static List<TaskShape> mixOf(Iterable<TaskShape> tasks) {
            java.util.Map<TaskShape, long[]> counts = new java.util.LinkedHashMap<>();
            for (TaskShape t : tasks) {
                counts.computeIfAbsent(new TaskShape(t.cpuMilli, t.gpus, t.gpuMilli, t.models, 1), k -> new long[1])[0] += t.count;
            }
            List<TaskShape> mix = new java.util.ArrayList<>(counts.size());
            counts.forEach((k, n) -> mix.add(new TaskShape(k.cpuMilli, k.gpus, k.gpuMilli, k.models, n[0])));
            return mix;
        }
    }

    public PlacementSettings {
        policy = policy == null ? "nuri" : policy;
        taskMix = taskMix == null ? List.of() : List.copyOf(taskMix);
        if (policy.equals("fgd") && taskMix.isEmpty()) {
            throw new IllegalArgumentException("placement policy 'fgd' needs the workload's task mix (taskMix): it measures fragmentation against it");
        }
        long kept = taskMix.stream().mapToLong(TaskShape::count).sum();
        if (taskMixOf != 0 && taskMixOf < kept) {
            throw new IllegalArgumentException("taskMixOf=" + taskMixOf + ": fewer than the " + kept + " tasks the task mix's classes count (0 = their own total)");
        }
    }
}

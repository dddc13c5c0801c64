package kr.nuri.sim.trace;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * The Alibaba GPU cluster trace behind the FGD paper (cluster-trace-gpu-v2023, "openb"): a node list
 * ({@code sn,cpu_milli,memory_mib,gpu,model}) and pod lists ({@code name,cpu_milli,memory_mib,num_gpu,gpu_milli}
 * and, in most variants, {@code gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time}).
 * A pod with {@code gpu_milli < 1000} shares one GPU; {@code gpu_spec} lists the GPU models it may run on.
 */
public final class OpenbTrace {
    private OpenbTrace() { }

    public record Node(String name, int cpuMilli, long memoryMib, int gpus, String model) { }

    /**
     * @param gpuMilli GPU thousandths per GPU: 1000 for whole GPUs, less for a pod sharing one GPU, 0 for CPU-only
     * @param gpuSpec  GPU models allowed (empty = any)
     * @param gpuSpecText {@code gpu_spec} as written, empty parts dropped ("V100M16|V100M32|V100M32" stays so): the
     *                 FGD authors' simulator tells pod classes apart by this string
     */
    public record Pod(String name, int cpuMilli, long memoryMib, int gpus, int gpuMilli, Set<String> gpuSpec, String gpuSpecText) {
        /** A pod whose spec text is its models in name order. */
        public Pod(String name, int cpuMilli, long memoryMib, int gpus, int gpuMilli, Set<String> gpuSpec) {
            this(name, cpuMilli, memoryMib, gpus, gpuMilli, gpuSpec, String.join("|", new java.util.TreeSet<>(gpuSpec)));
        }

        /** GPU thousandths the pod holds in all. */
        public long totalGpuMilli() { return (long) gpus * gpuMilli; }
    }

    public static List<Node> nodes(Path file) {
        return CsvRows.list(file, List.of("sn", "cpu_milli", "memory_mib", "gpu", "model"), r -> {
            String name = r.string("sn");
            if (name.isEmpty()) throw r.fail("sn", name, "a node needs a name");
            int gpus = r.intValue("gpu", 0, 64);
            String model = r.string("model");
            if (gpus > 0 && model.isEmpty()) throw r.fail("model", model, "a node with GPUs needs a GPU model");
            return new Node(name, r.intValue("cpu_milli", 0, 100_000_000), r.longValue("memory_mib", 0, Long.MAX_VALUE / 2), gpus, model);
        });
    }

    public static List<Pod> pods(Path file) {
        return CsvRows.list(file, List.of("name", "cpu_milli", "memory_mib", "num_gpu", "gpu_milli"), r -> {
            int gpus = r.intValue("num_gpu", 0, 64);
            int milli = r.intValue("gpu_milli", 0, 1000);
            if (gpus == 0 && milli != 0) throw r.fail("gpu_milli", r.string("gpu_milli"), "a pod with num_gpu 0 cannot ask for GPU thousandths");
            if (gpus > 0 && milli == 0) throw r.fail("gpu_milli", r.string("gpu_milli"), "a pod with GPUs needs gpu_milli from 1 to 1000");
            if (gpus > 1 && milli != 1000) {
                throw r.fail("gpu_milli", r.string("gpu_milli"), "only a single-GPU pod may share a GPU (gpu_milli < 1000); this one has num_gpu " + gpus);
            }
            List<String> spec = java.util.Arrays.stream(r.string("gpu_spec").split("\\|")).map(String::strip).filter(s -> !s.isEmpty()).toList();
            return new Pod(r.string("name"), r.intValue("cpu_milli", 0, 100_000_000), r.longValue("memory_mib", 0, Long.MAX_VALUE / 2),
                    gpus, milli, Set.copyOf(spec), String.join("|", spec));
        });
    }
}

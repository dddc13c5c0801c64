package kr.nuri.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import kr.nuri.cli.client.Connection;
import kr.nuri.cli.client.SlurmTime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

/** {@code nuri submit}: queue a job, with sbatch's option names. */
@Command(name = "submit", mixinStandardHelpOptions = true, description = "Submit a job (like sbatch).")
final class SubmitCommand implements Callable<Integer> {
    @Mixin Connection connection;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = {"-A", "--project", "--account"}, required = true, description = "Project (a leaf of the quota tree).")
    String project;

    @Option(names = {"-G", "--gpus"}, description = "Total GPUs of the gang.")
    Integer gpus;

    @Option(names = {"-N", "--nodes"}, description = "Nodes (gang members).")
    Integer nodes;

    @Option(names = "--gpus-per-node", description = "GPUs on each node.")
    Integer gpusPerNode;

    @Option(names = {"--gpu-model", "--constraint"}, split = ",", description = "Allowed GPU model(s), e.g. H100 or B200,H200.")
    java.util.List<String> models;

    @Option(names = {"-t", "--time"}, description = "Walltime: minutes, HH:MM:SS or D-HH:MM:SS (default: the class's).")
    String time;

    @Option(names = "--topology", description = "Keep the gang inside one node, rack, block or site.")
    String topology;

    @Option(names = "--topology-preferred", description = "Treat --topology as a preference, not a requirement.")
    boolean preferred;

    @Option(names = {"-p", "--priority", "--qos"}, description = "Priority class (e.g. inference, training, scavenger).")
    String priority;

    @Option(names = "--award", description = "Award to charge.")
    String award;

    @Option(names = {"-J", "--job-name"}, description = "A name for the job (free, not unique; the server gives its id).")
    String name;

    @Option(names = "--runtime", description = "Virtual execution: the job completes after this time (same formats as --time).")
    String runtime;

    @Option(names = "--preemptible", negatable = true, description = "Whether the job may be preempted (default: the class's).")
    Boolean preemptible;

    @Option(names = "--no-requeue", description = "Fail rather than requeue after preemption or node failure.")
    boolean noRequeue;

    @Option(names = "--gpu-milli", description = "A share of one GPU, in thousandths (1-999; with --gpus 1), as GPU-sharing pods ask.")
    Integer gpuMilli;

    @Option(names = {"-c", "--cpus-per-task"}, description = "CPU cores the job needs on its node (checked where the fleet models CPU).")
    Double cpus;

    @Option(names = "--mem", description = "Memory on its node: MiB, or with a K/M/G/T suffix (e.g. 64G).")
    String memory;

    @Override
    public Integer call() {
        Map<String, Object> body = new LinkedHashMap<>();
        if (gpuMilli != null) body.put("gpuMilli", gpuMilli);
        if (cpus != null) {
            if (!(cpus >= 0) || cpus > 1_000_000) throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--cpus-per-task " + cpus + ": must be 0 or more cores, e.g. 4 or 0.5");
            body.put("cpuMilli", Math.round(cpus * 1000));
        }
        if (memory != null) body.put("memoryMib", mebibytes(memory));
        body.put("project", project);
        if (name != null) body.put("name", name);
        if (gpus != null) body.put("gpus", gpus);
        if (nodes != null) body.put("nodes", nodes);
        if (gpusPerNode != null) body.put("gpusPerNode", gpusPerNode);
        if (models != null) body.put("gpuModels", models);
        if (time != null) body.put("walltime", SlurmTime.seconds(time));
        if (runtime != null) body.put("runtime", SlurmTime.seconds(runtime));
        if (topology != null) body.put("topology", topology);
        if (preferred) body.put("topologyRequired", false);
        if (priority != null) body.put("priority", priority);
        if (award != null) body.put("award", award);
        if (preemptible != null) body.put("preemptible", preemptible);
        if (noRequeue) body.put("requeue", false);
        JsonNode job = connection.client().post("/api/v1/jobs", body);
        String state = job.path("state").asString();
        System.out.printf("Submitted job %s (%s%s)%n", kr.nuri.cli.client.Text.printable(job.path("id").asString()), state,
                state.equals("PENDING") ? ": " + job.path("pendingReason").asString() : " on " + job.path("nodes").asInt() + " " + job.path("model").asString() + " nodes");
        return 0;
    }

    /** Slurm's --mem: a number of MiB, or with a K, M, G or T suffix (K rounds up to whole MiB). */
    long mebibytes(String text) {
        String t = text.trim().toUpperCase(java.util.Locale.ROOT);
        int shift = 10; // in KiB
        if (!t.isEmpty() && "KMGT".indexOf(t.charAt(t.length() - 1)) >= 0) {
            shift = 10 * "KMGT".indexOf(t.charAt(t.length() - 1));
            t = t.substring(0, t.length() - 1);
        }
        try {
            long v = Long.parseLong(t);
            if (v < 0) throw new NumberFormatException();
            long kib = Math.multiplyExact(v, 1L << shift);
            return kib / 1024 + (kib % 1024 == 0 ? 0 : 1);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--mem " + text + ": give MiB, or a size like 512M, 64G or 1T");
        }
    }
}

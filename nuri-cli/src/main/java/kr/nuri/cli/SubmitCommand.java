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

    @Option(names = {"-J", "--job-name", "--id"}, description = "Job id (default: assigned by the server).")
    String id;

    @Option(names = "--runtime", description = "Virtual execution: the job completes after this time (same formats as --time).")
    String runtime;

    @Option(names = "--preemptible", negatable = true, description = "Whether the job may be preempted (default: the class's).")
    Boolean preemptible;

    @Option(names = "--no-requeue", description = "Fail rather than requeue after preemption or node failure.")
    boolean noRequeue;

    @Override
    public Integer call() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("project", project);
        if (id != null) body.put("id", id);
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
        System.out.printf("Submitted job %s (%s%s)%n", job.path("id").asString(), state,
                state.equals("PENDING") ? ": " + job.path("pendingReason").asString() : " on " + job.path("nodes").asInt() + " " + job.path("model").asString() + " nodes");
        return 0;
    }
}

package kr.nuri.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import kr.nuri.cli.client.Connection;
import kr.nuri.cli.client.Query;
import kr.nuri.cli.client.SlurmTime;
import kr.nuri.cli.client.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

/** {@code nuri queue}: waiting and running jobs, with the reason and estimated start (like squeue). */
@Command(name = "queue", mixinStandardHelpOptions = true, description = "List jobs with reason and ETA (like squeue).")
final class QueueCommand implements Callable<Integer> {
    @Mixin Connection connection;

    @Option(names = {"-t", "--state"}, defaultValue = "active", description = "active (pending and running; the default), pending, running, completed, failed, cancelled, timeout, or all.")
    String state;

    @Mixin JobFilters filters;

    @Override
    public Integer call() {
        Query q = Query.of("/api/v1/jobs").with("limit", filters.limit).with("state", state.equals("all") ? null : state)
                .with("tenant", filters.tenant).with("user", filters.user);
        JsonNode list = connection.client().get(q.toString());
        Table t = new Table("JOBID", "NAME", "PROJECT", "USER", "CLASS", "ST", "GPUS", "MODEL", "TIME", "TIME_LIMIT", "TIME_LEFT",
                "NODELIST(REASON)", "START", "SITE");
        Instant now = Instant.now();
        for (JsonNode j : list.path("jobs")) {
            String st = j.path("state").asString();
            boolean running = st.equals("RUNNING");
            String where = running ? nodeList(j.path("placement").path("nodes")) : st.equals("PENDING")
                    ? "(" + j.path("pendingReason").asString("") + ")" : j.path("lastOutcome").asString("");
            String model = running ? j.path("placement").path("model").asString() : String.join(",", j.path("models").valueStream().map(JsonNode::asString).toList());
            long elapsed = running ? Math.max(0, Duration.between(Instant.parse(j.path("started").asString()), now).toSeconds()) : 0;
            String time = running ? SlurmTime.format(elapsed) : "0:00";
            long limit = j.path("walltime").asLong();
            String left = running ? SlurmTime.format(Math.max(0, limit - elapsed)) : SlurmTime.format(limit);
            String start = running ? j.path("started").asString() : j.path("estimatedStart").asString("N/A");
            t.row(j.path("id").asString(), j.path("name").asString("-"), j.path("project").asString(), j.path("user").asString(), j.path("priorityClass").asString(),
                    abbreviation(st), gpus(j), model, time, SlurmTime.format(limit), left, where, start, site(j.path("placement")));
        }
        t.print(System.out);
        if (list.hasNonNull("next")) System.out.println("(more: raise --limit)");
        return 0;
    }

    /**
     * Where a running job runs: its site, and the site's id of the run where a cluster manager runs it ({@code
     * daejeon:4711} for Slurm's job 4711); "-" while it waits or when the server does not say.
     */
    static String site(JsonNode placement) {
        String site = placement.path("site").asString("");
        if (site.isEmpty()) return "-";
        String id = placement.path("siteJobId").asString("");
        return id.isEmpty() ? site : site + ":" + id;
    }

    /** The nodes a job runs on, as squeue's NODELIST: names joined by commas, the rest counted past eight. */
    static String nodeList(JsonNode shares) {
        java.util.LinkedHashSet<String> names = new java.util.LinkedHashSet<>();
        for (JsonNode share : shares) names.add(share.path("node").asString());
        java.util.List<String> list = new java.util.ArrayList<>(names);
        return list.size() <= 8 ? String.join(",", list) : String.join(",", list.subList(0, 8)) + ",…(+" + (list.size() - 8) + ")";
    }

    /** GPUs of a job: a count, or a share of one GPU as a fraction (0.25), or 0 for a CPU-only job. */
    static String gpus(JsonNode j) {
        int milli = j.path("gpuMilli").asInt(0);
        if (milli > 0 && milli < 1000) return String.format(java.util.Locale.ROOT, "%.3f", milli / 1000.0).replaceAll("0+$", "");
        return j.path("gpusPerNode").asInt(1) == 0 ? "0" : String.valueOf(j.path("gpus").asInt());
    }

    private static String abbreviation(String state) {
        return switch (state) {
            case "PENDING" -> "PD";
            case "RUNNING" -> "R";
            case "COMPLETED" -> "CD";
            case "CANCELLED" -> "CA";
            case "TIMEOUT" -> "TO";
            default -> "F";
        };
    }
}

package kr.nuri.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import kr.nuri.cli.client.Connection;
import kr.nuri.cli.client.Query;
import kr.nuri.cli.client.SlurmTime;
import kr.nuri.cli.client.Table;
import kr.nuri.cli.client.Text;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

/** {@code nuri history}: finished jobs, where and how long they ran (like sacct). */
@Command(name = "history", mixinStandardHelpOptions = true, description = "Finished jobs: where they ran, for how long, how they ended (like sacct).")
final class HistoryCommand implements Callable<Integer> {
    @Mixin Connection connection;

    @Option(names = {"-S", "--from", "--starttime"}, description = "Jobs that ended at or after this time (ISO-8601, e.g. 2026-12-01T00:00:00Z).")
    String from;

    @Option(names = {"-E", "--to", "--endtime"}, description = "Jobs that ended before this time (ISO-8601).")
    String to;

    @Option(names = {"-s", "--state"}, defaultValue = "finished", description = "finished (the default), completed, failed, cancelled or timeout.")
    String state;

    @Mixin JobFilters filters;

    @Override
    public Integer call() {
        Query q = Query.of("/api/v1/jobs").with("limit", filters.limit).with("state", state).with("tenant", filters.tenant).with("user", filters.user)
                .with("from", from).with("to", to);
        JsonNode list = connection.client().get(q.toString());
        Table t = new Table("JOBID", "NAME", "PROJECT", "USER", "STATE", "GPUS", "POOL", "START", "END", "ELAPSED", "GPU_HOURS", "NODELIST");
        for (JsonNode j : list.path("jobs")) t.row(row(j));
        t.print(System.out);
        if (list.hasNonNull("next")) System.out.println("(more: raise --limit)");
        return 0;
    }

    /** One finished job as a row: its last run's pool and nodes, when it started and ended, GPU-hours over all its runs. */
    static Object[] row(JsonNode j) {
        String started = j.path("started").asString("");
        String ended = j.path("ended").asString("");
        String elapsed = started.isEmpty() || ended.isEmpty() ? "0:00"
                : SlurmTime.format(Math.max(0, Duration.between(Instant.parse(started), Instant.parse(ended)).toSeconds()));
        JsonNode placement = j.path("placement");
        return new Object[] {Text.printable(j.path("id").asString()), Text.printable(j.path("name").asString("-")),
                Text.printable(j.path("project").asString()), Text.printable(j.path("user").asString()), j.path("state").asString(),
                QueueCommand.gpus(j), placement.isMissingNode() || placement.isNull() ? "-" : Text.printable(placement.path("pool").asString()),
                started.isEmpty() ? "-" : started, ended.isEmpty() ? "-" : ended, elapsed, String.format(java.util.Locale.ROOT, "%.1f", j.path("gpuHours").asDouble()),
                placement.isMissingNode() || placement.isNull() ? "-" : QueueCommand.nodeList(placement.path("nodes"))};
    }
}

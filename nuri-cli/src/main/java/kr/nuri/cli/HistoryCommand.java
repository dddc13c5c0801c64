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

    @Option(names = {"-o", "--format"}, description = "Columns to show, comma-separated, as sacct's --format (case does not matter; "
            + "sacct's names too: JobID, JobName, Account, Start, End, NodeList, AllocTRES): JOBID, NAME, PROJECT, USER, STATE, GPUS, "
            + "POOL, START, END, ELAPSED, GPU_HOURS, NODELIST, SITE. Default: all but SITE.")
    String format;

    static final java.util.List<String> COLUMNS = java.util.List.of("JOBID", "NAME", "PROJECT", "USER", "STATE", "GPUS", "POOL", "START", "END",
            "ELAPSED", "GPU_HOURS", "NODELIST", "SITE");
    /** sacct's names for the same columns. */
    private static final java.util.Map<String, String> SACCT = java.util.Map.of("JOBNAME", "NAME", "ACCOUNT", "PROJECT", "ALLOCTRES", "GPUS",
            "NNODES", "NODELIST", "CPUTIME", "GPU_HOURS", "PARTITION", "POOL");

    @Override
    public Integer call() {
        int[] picked = columns(format, spec);
        Query q = Query.of("/api/v1/jobs").with("limit", filters.limit).with("state", state).with("tenant", filters.tenant).with("user", filters.user)
                .with("from", from).with("to", to);
        JsonNode list = connection.client().get(q.toString());
        Table t = new Table(java.util.Arrays.stream(picked).mapToObj(COLUMNS::get).toArray(String[]::new));
        for (JsonNode j : list.path("jobs")) {
            Object[] all = row(j);
            t.row(java.util.Arrays.stream(picked).mapToObj(i -> all[i]).toArray());
        }
        t.print(System.out);
        if (list.hasNonNull("next")) System.out.println("(more: raise --limit)");
        return 0;
    }

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** The columns {@code --format} names, in its order (null: all but SITE); an unknown name is refused, naming it. */
    static int[] columns(String format, picocli.CommandLine.Model.CommandSpec spec) {
        if (format == null) return java.util.stream.IntStream.range(0, COLUMNS.size() - 1).toArray();
        java.util.List<Integer> out = new java.util.ArrayList<>();
        for (String item : format.split(",")) {
            String name = item.strip().replaceAll("%\\d+$", "").toUpperCase(java.util.Locale.ROOT); // sacct's width suffix is accepted
            if (name.isEmpty()) continue;
            name = SACCT.getOrDefault(name, name);
            int i = COLUMNS.indexOf(name);
            if (i < 0) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--format " + Text.printable(item.strip())
                        + ": no such column. Columns: " + String.join(", ", COLUMNS));
            }
            out.add(i);
        }
        if (out.isEmpty()) throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--format names no column");
        return out.stream().mapToInt(Integer::intValue).toArray();
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
                placement.isMissingNode() || placement.isNull() ? "-" : QueueCommand.nodeList(placement.path("nodes")),
                placement.isMissingNode() || placement.isNull() ? "-" : Text.printable(placement.path("site").asString("-"))};
    }
}

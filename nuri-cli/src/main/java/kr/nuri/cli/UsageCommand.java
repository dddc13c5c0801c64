package kr.nuri.cli;

import java.util.Locale;
import java.util.concurrent.Callable;
import kr.nuri.cli.client.Connection;
import kr.nuri.cli.client.Query;
import kr.nuri.cli.client.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

/** {@code nuri usage}: GPU-hours by tenant, project, award or model over a time range (like sreport). */
@Command(name = "usage", mixinStandardHelpOptions = true, description = "GPU-hours over a time range (like sreport/sacct).")
final class UsageCommand implements Callable<Integer> {
    @Mixin Connection connection;

    @Option(names = {"-S", "--from", "--starttime"}, description = "Start, e.g. 2026-01-01 or 2026-01-01T09:00:00Z.")
    String from;

    @Option(names = {"-E", "--to", "--endtime"}, description = "End (exclusive; default now).")
    String to;

    @Option(names = "--by", defaultValue = "project", description = "tenant, project, award or model (default: ${DEFAULT-VALUE}).")
    String by;

    @Option(names = "--csv", description = "Print CSV.")
    boolean csv;

    @Override
    public Integer call() {
        Query q = Query.of("/api/v1/usage").with("by", by).with("from", from).with("to", to);
        if (csv) {
            System.out.print(connection.client().getText(q.with("format", "csv").toString()));
            return 0;
        }
        JsonNode u = connection.client().get(q.toString());
        System.out.printf("GPU-hours from %s to %s by %s%n", u.path("from").asString(), u.path("to").asString(), by);
        Table t = new Table(by.toUpperCase(Locale.ROOT), "MODEL", "GPU-HOURS");
        for (JsonNode r : u.path("rows")) t.row(r.path("key").asString(), r.path("model").asString(), String.format(Locale.ROOT, "%,.1f", r.path("gpuHours").asDouble()));
        t.print(System.out);
        System.out.printf(Locale.ROOT, "total %,.1f GPU-hours%n", u.path("totalGpuHours").asDouble());
        return 0;
    }
}

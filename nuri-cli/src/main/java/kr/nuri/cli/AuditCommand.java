package kr.nuri.cli;

import java.util.concurrent.Callable;
import kr.nuri.cli.client.Connection;
import kr.nuri.cli.client.Query;
import kr.nuri.cli.client.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

/** {@code nuri audit}: who did what, when, before and after (operators; programme managers: quotas and awards). */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = "The audit trail, newest first: tokens made and revoked, quotas, awards, node states, jobs cancelled by others.")
final class AuditCommand implements Callable<Integer> {
    @Mixin Connection connection;

    @Option(names = "--from", description = "From this time (ISO-8601 or a date).")
    String from;

    @Option(names = "--to", description = "Until this time (ISO-8601 or a date).")
    String to;

    @Option(names = {"-u", "--actor"}, description = "Only this user's acts.")
    String actor;

    @Option(names = {"-a", "--action"}, description = "Only acts whose action starts so, e.g. token. or quota.set")
    String action;

    @Option(names = {"-n", "--limit"}, defaultValue = "100", description = "At most this many (default: ${DEFAULT-VALUE}).")
    int limit;

    @Override
    public Integer call() {
        Query q = Query.of("/api/v1/audit").with("limit", limit).with("from", from).with("to", to).with("actor", actor)
                .with("action", action);
        JsonNode list = connection.client().get(q.toString());
        Table t = new Table("TIME", "ACTOR", "ROLE", "ACTION", "TARGET", "BEFORE", "AFTER");
        for (JsonNode e : list) {
            t.row(e.path("at").asString(), e.path("actor").asString(), e.path("role").asString(), e.path("action").asString(),
                    e.path("target").asString(), e.path("before").asString("-"), e.path("after").asString("-"));
        }
        t.print(System.out);
        return 0;
    }

}

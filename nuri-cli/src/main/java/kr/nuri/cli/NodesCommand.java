package kr.nuri.cli;

import java.util.concurrent.Callable;
import kr.nuri.cli.client.Connection;
import kr.nuri.cli.client.Query;
import kr.nuri.cli.client.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

/** {@code nuri nodes}: node states by site and model (like sinfo), or one line per node. */
@Command(name = "nodes", mixinStandardHelpOptions = true, description = "Show nodes (like sinfo).")
final class NodesCommand implements Callable<Integer> {
    @Mixin Connection connection;

    @Option(names = {"-N", "--list"}, description = "One line per node (filters: --site, --model, --health).")
    boolean list;

    @Option(names = "--site") String site;
    @Option(names = "--model") String model;
    @Option(names = "--health", description = "up, down or drain.") String health;

    @Override
    public Integer call() {
        if (!list) {
            JsonNode rows = connection.client().get("/api/v1/nodes/summary");
            Table t = new Table("SITE", "MODEL", "HEALTH", "STATE", "NODES", "GPUS", "FREE");
            for (JsonNode r : rows) {
                t.row(r.path("site").asString(), r.path("model").asString(), r.path("health").asString(), r.path("allocation").asString(),
                        r.path("nodes").asInt(), r.path("gpus").asLong(), r.path("freeGpus").asLong());
            }
            t.print(System.out);
            return 0;
        }
        Query q = Query.of("/api/v1/nodes").with("limit", 50000).with("site", site).with("model", model).with("health", health);
        JsonNode res = connection.client().get(q.toString());
        Table t = new Table("NODE", "SITE", "MODEL", "HEALTH", "GPUS", "FREE", "RESERVED");
        for (JsonNode n : res.path("nodes")) {
            t.row(n.path("name").asString(), n.path("site").asString(), n.path("model").asString(), n.path("health").asString(),
                    n.path("gpus").asInt(), n.path("free").asInt(), n.path("reserved").asBoolean() ? "yes" : "");
        }
        t.print(System.out);
        return 0;
    }
}

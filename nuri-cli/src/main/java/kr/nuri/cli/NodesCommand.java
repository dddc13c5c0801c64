package kr.nuri.cli;

import java.util.concurrent.Callable;
import kr.nuri.cli.client.Connection;
import kr.nuri.cli.client.Query;
import kr.nuri.cli.client.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

/**
 * {@code nuri nodes}: node states by site and model (like sinfo), or one line per node; {@code nuri nodes
 * drain|down|up|retire NAME}: an operator's act on one node.
 */
@Command(name = "nodes", mixinStandardHelpOptions = true,
        description = "Show nodes (like sinfo): nuri nodes [-N] | drain|down|up|retire NAME (operators; retire a drained node that holds no job)")
final class NodesCommand implements Callable<Integer> {
    @Mixin Connection connection;

    @picocli.CommandLine.Parameters(index = "0", arity = "0..1", paramLabel = "drain|down|up|retire") String action;

    @picocli.CommandLine.Parameters(index = "1", arity = "0..1", paramLabel = "NAME") String name;

    @Option(names = {"-N", "--list"}, description = "One line per node (filters: --site, --model, --health).")
    boolean list;

    @Option(names = "--site") String site;
    @Option(names = "--model") String model;
    @Option(names = "--health", description = "up, down, drain or retired.") String health;

    @Override
    public Integer call() {
        if (action != null) {
            if (!java.util.List.of("drain", "down", "up", "retire").contains(action)) {
                throw new IllegalArgumentException("nuri nodes " + kr.nuri.cli.client.Text.printable(action) + ": maybe drain, down, up or retire NAME?");
            }
            if (name == null) throw new IllegalArgumentException("nuri nodes " + action + " needs the node's NAME");
            JsonNode n = connection.client().post("/api/v1/nodes/" + Query.encode(name) + "/" + action, null);
            System.out.println(kr.nuri.cli.client.Text.printable(n.path("name").asString()) + ": " + n.path("health").asString()
                    + (action.equals("retire") ? " (for good: it takes no work again, and its GPUs left its owner's pool)" : ""));
            return 0;
        }
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

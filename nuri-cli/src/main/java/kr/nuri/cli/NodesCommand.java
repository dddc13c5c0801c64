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
 * drain|down|up|retire NAME}: an operator's act on one node; {@code nuri nodes add BLOCK …} and {@code nuri nodes owner
 * BLOCK OWNER}: the fleet changed while it runs.
 */
@Command(name = "nodes", mixinStandardHelpOptions = true,
        description = "Show nodes (like sinfo): nuri nodes [-N] | drain|down|up|retire NAME (operators; retire a drained node that holds no job)"
                + " | add BLOCK --site S --model M [--owner T] --racks R --nodes-per-rack N --gpus-per-node G | owner BLOCK OWNER (a drained block)")
final class NodesCommand implements Callable<Integer> {
    @Mixin Connection connection;

    @picocli.CommandLine.Parameters(index = "0", arity = "0..1", paramLabel = "drain|down|up|retire|add|owner") String action;

    @picocli.CommandLine.Parameters(index = "1", arity = "0..1", paramLabel = "NAME") String name;

    @picocli.CommandLine.Parameters(index = "2", arity = "0..1", paramLabel = "OWNER") String newOwner;

    @Option(names = "--owner", description = "add: the tenant that owns the block (none: a pool every tenant may claim).") String owner;
    @Option(names = "--racks", description = "add: racks in the block.") Integer racks;
    @Option(names = "--nodes-per-rack", description = "add: nodes per rack.") Integer nodesPerRack;
    @Option(names = "--gpus-per-node", description = "add: GPUs per node.") Integer gpusPerNode;

    @Option(names = {"-N", "--list"}, description = "One line per node (filters: --site, --model, --health).")
    boolean list;

    @Option(names = "--site") String site;
    @Option(names = "--model") String model;
    @Option(names = "--health", description = "up, down, drain or retired.") String health;
    @Option(names = "--limit", defaultValue = "1000", description = "-N: at most this many nodes (default 1000; the fleet may have 45,000).") int limit;
    @Option(names = "--offset", defaultValue = "0", description = "-N: skip this many first.") int offset;
    @Option(names = "--all", description = "-N: every node, however many.") boolean all;

    @Override
    public Integer call() {
        if ("add".equals(action) || "owner".equals(action)) return changeFleet();
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
        int page = all ? 50_000 : limit;
        Query q = Query.of("/api/v1/nodes").with("limit", page).with("offset", offset).with("site", site).with("model", model).with("health", health);
        JsonNode res = connection.client().get(q.toString());
        Table t = new Table("NODE", "SITE", "MODEL", "HEALTH", "GPUS", "FREE", "RESERVED", "REASON");
        for (JsonNode n : res.path("nodes")) {
            t.row(n.path("name").asString(), n.path("site").asString(), n.path("model").asString(), n.path("health").asString(),
                    n.path("gpus").asInt(), n.path("free").asInt(), n.path("reserved").asBoolean() ? "yes" : "",
                    kr.nuri.cli.client.Text.printable(n.path("reason").asString("")));
        }
        t.print(System.out);
        String more = pageNote(offset, res.path("nodes").size(), res.path("total").asInt());
        if (more != null) System.out.println(more);
        return 0;
    }

    /** What to say under a page of {@code shown} nodes from {@code offset} of {@code total}: null when it was the last. */
    static String pageNote(int offset, int shown, int total) {
        if (offset + shown >= total) return null;
        return String.format(java.util.Locale.ROOT, "showing %,d-%,d of %,d nodes: --offset %d for the next, --all for every one, or narrow with --site, --model, --health",
                offset + 1, offset + shown, total, offset + shown);
    }

    /** {@code add BLOCK …}: a block of nodes added at once; {@code owner BLOCK OWNER}: a drained block to another owner. */
    private int changeFleet() {
        if (name == null) throw new IllegalArgumentException("nuri nodes " + action + " needs the block's NAME");
        JsonNode res;
        if (action.equals("add")) {
            if (site == null || model == null || racks == null || nodesPerRack == null || gpusPerNode == null) {
                throw new IllegalArgumentException("nuri nodes add " + kr.nuri.cli.client.Text.printable(name) + " needs --site, --model, --racks,"
                        + " --nodes-per-rack and --gpus-per-node. Maybe --site haenam --model B200 --owner naicc --racks 8 --nodes-per-rack 4 --gpus-per-node 8?");
            }
            java.util.Map<String, Object> body = new java.util.LinkedHashMap<>();
            body.put("site", site);
            body.put("name", name);
            body.put("model", model);
            if (owner != null) body.put("owner", owner);
            body.put("racks", racks);
            body.put("nodesPerRack", nodesPerRack);
            body.put("gpusPerNode", gpusPerNode);
            res = connection.client().post("/api/v1/blocks", body);
        } else {
            if (newOwner == null) throw new IllegalArgumentException("nuri nodes owner " + kr.nuri.cli.client.Text.printable(name) + " needs the new OWNER");
            res = connection.client().send("PUT", "/api/v1/blocks/" + Query.encode(name) + "/owner", java.util.Map.of("owner", newOwner));
        }
        JsonNode nodes = res.path("nodes");
        long gpus = 0;
        for (JsonNode n : nodes) gpus += n.path("gpus").asLong();
        JsonNode first = nodes.path(0);
        System.out.println(kr.nuri.cli.client.Text.printable(name) + ": " + nodes.size() + " nodes, " + gpus + " " + first.path("model").asString()
                + " GPUs at " + kr.nuri.cli.client.Text.printable(first.path("site").asString()) + ", owned by "
                + kr.nuri.cli.client.Text.printable(first.path("owner").asString()) + (action.equals("add") ? ": they take work now" : ""));
        return 0;
    }
}

package kr.nuri.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import kr.nuri.cli.client.Connection;
import kr.nuri.cli.client.Query;
import kr.nuri.cli.client.Text;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/**
 * {@code nuri drain NODE|--rack R|--block B|--site S --reason TEXT} and {@code nuri resume …} (like scontrol update
 * State=DRAIN Reason=… and State=RESUME): operators take nodes out of service with a reason, shown by {@code nuri nodes -N}
 * and {@code nuri show node}, and put them back.
 */
abstract class DrainCommand implements Callable<Integer> {
    @Mixin Connection connection;

    @Parameters(index = "0", arity = "0..1", paramLabel = "NODE") String node;
    @Option(names = "--site", paramLabel = "S", description = "Every node of the site.") String site;
    @Option(names = "--block", paramLabel = "B", description = "Every node of the block.") String block;
    @Option(names = "--rack", paramLabel = "R", description = "Every node of the rack.") String rack;

    abstract boolean drain();

    String reason() { return null; }

    @Override
    public Integer call() {
        int given = (node == null ? 0 : 1) + (site == null ? 0 : 1) + (block == null ? 0 : 1) + (rack == null ? 0 : 1);
        String verb = drain() ? "drain" : "resume";
        if (given != 1) throw new IllegalArgumentException("nuri " + verb + " takes one NODE, --rack, --block or --site");
        JsonNode res;
        if (node != null) {
            String path = "/api/v1/nodes/" + Query.encode(node) + "/" + (drain() ? "drain" : "up");
            res = connection.client().post(path, drain() && reason() != null ? Map.of("reason", reason()) : null);
            System.out.println(Text.printable(res.path("name").asString()) + ": " + res.path("health").asString()
                    + (res.path("reason").isNull() || res.path("reason").isMissingNode() ? "" : " (" + Text.printable(res.path("reason").asString()) + ")"));
            return 0;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        if (site != null) body.put("site", site);
        if (block != null) body.put("block", block);
        if (rack != null) body.put("rack", rack);
        if (reason() != null) body.put("reason", reason());
        res = connection.client().post("/api/v1/" + verb, body);
        System.out.println((drain() ? "drained " : "resumed ") + res.path("total").asInt() + " nodes"
                + (drain() ? " (" + Text.printable(reason()) + ")" : ""));
        return 0;
    }

    @Command(name = "drain", mixinStandardHelpOptions = true,
            description = "Drain a node, rack, block or site with a reason: running jobs go on, nothing new starts (operators).")
    static final class Drain extends DrainCommand {
        @Option(names = "--reason", paramLabel = "TEXT", description = "Why (required for a rack, block or site).") String reason;

        boolean drain() { return true; }

        @Override
        String reason() { return reason; }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true, description = "Resume a drained node, rack, block or site (operators).")
    static final class Resume extends DrainCommand {
        boolean drain() { return false; }
    }
}

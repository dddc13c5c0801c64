package kr.nuri.cli;

import java.util.Map;
import java.util.concurrent.Callable;
import kr.nuri.cli.client.ApiClient;
import kr.nuri.cli.client.Query;
import kr.nuri.cli.client.Connection;
import kr.nuri.cli.client.Table;
import kr.nuri.cli.client.Text;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/** {@code nuri show job ID} / {@code nuri show node NAME}: every field, as {@code scontrol show} prints them. */
@Command(name = "show", mixinStandardHelpOptions = true,
        description = "Every field of a job (reason detail, placement, runs, GPU-hours) or a node (rack, block, owner, its jobs), like scontrol show.")
final class ShowCommand implements Callable<Integer> {
    @Mixin Connection connection;

    @Parameters(index = "0", paramLabel = "job|node")
    String what;

    @Parameters(index = "1", paramLabel = "ID")
    String id;

    @Override
    public Integer call() {
        ApiClient c = connection.client();
        String enc = Query.encode(id);
        switch (what) {
            case "job" -> print(c.get("/api/v1/jobs/" + enc), "");
            case "node" -> {
                print(c.get("/api/v1/nodes/" + enc), "");
                JsonNode jobs = c.get("/api/v1/jobs?limit=10000&state=running&node=" + enc).path("jobs");
                Table t = new Table("JOBID", "NAME", "PROJECT", "USER", "GPUS");
                for (JsonNode j : jobs) {
                    int here = 0;
                    for (JsonNode share : j.path("placement").path("nodes")) if (share.path("node").asString().equals(id)) here += share.path("gpus").asInt();
                    t.row(j.path("id").asString(), j.path("name").asString("-"), j.path("project").asString(), j.path("user").asString(), here);
                }
                System.out.println("Jobs=" + jobs.size());
                if (!jobs.isEmpty()) t.print(System.out);
            }
            default -> throw new IllegalArgumentException("nuri show " + Text.printable(what) + ": show what? Maybe 'job' or 'node'?");
        }
        return 0;
    }

    /** One Key=Value line per field, nested objects flattened with dots (scontrol's way, one per line). */
    static void print(JsonNode node, String prefix) {
        for (Map.Entry<String, JsonNode> f : node.properties()) {
            JsonNode v = f.getValue();
            String key = prefix + capitalised(f.getKey());
            if (v.isObject()) {
                print(v, key + ".");
            } else if (v.isArray() && !v.isEmpty() && v.get(0).isObject()) {
                for (int i = 0; i < v.size(); i++) print(v.get(i), key + "[" + i + "].");
            } else {
                String text = v.isNull() ? "(null)" : v.isArray() ? String.join(",", v.valueStream().map(JsonNode::asString).toList()) : v.asString();
                System.out.println(key + "=" + Text.printable(text));
            }
        }
    }

    private static String capitalised(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}

package kr.nuri.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import kr.nuri.cli.client.Connection;
import kr.nuri.cli.client.Query;
import kr.nuri.cli.client.Table;
import kr.nuri.cli.client.Text;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/** {@code nuri awards}: the awards you may see; programme managers grant, revise (top-up, clawback) and end them. */
@Command(name = "awards", mixinStandardHelpOptions = true,
        description = "Awards: nuri awards [list] | grant --id ID --tenant T --kind budget|dedicated [--model M] (--gpu-hours H | --gpus N) "
                + "--from DATE --to DATE | revise ID [--gpu-hours H] [--to DATE] | end ID")
final class AwardsCommand implements Callable<Integer> {
    @Mixin Connection connection;

    @Parameters(index = "0", arity = "0..1", paramLabel = "list|grant|revise|end", defaultValue = "list")
    String action;

    @Parameters(index = "1", arity = "0..1", paramLabel = "ID")
    String id;

    @Option(names = "--id", description = "grant: the new award's id.")
    String newId;

    @Option(names = "--tenant", description = "grant: the tenant it is for (its projects may charge it).")
    String tenant;

    @Option(names = "--kind", description = "grant: budget (GPU-hours through the shared queue) or dedicated (GPUs for the window).")
    String kind;

    @Option(names = "--model", description = "grant: the GPU model it pays for (required for dedicated).")
    String model;

    @Option(names = "--gpu-hours", description = "grant, revise: the GPU-hour budget.")
    Double gpuHours;

    @Option(names = "--gpus", description = "grant: the GPUs of a dedicated award.")
    Integer gpus;

    @Option(names = "--from", description = "grant: when it starts (ISO date or date-time, UTC).")
    String from;

    @Option(names = "--to", description = "grant, revise: when it ends (ISO date or date-time, UTC).")
    String to;

    @Override
    public Integer call() {
        var c = connection.client();
        switch (action) {
            case "list" -> {
                Table t = new Table("ID", "TENANT", "KIND", "MODEL", "BUDGET_H", "GPUS", "USED_H", "LEFT_H", "FROM", "TO", "ACTIVE");
                for (JsonNode a : c.get("/api/v1/awards")) print(t, a);
                t.print(System.out);
            }
            case "grant" -> {
                if (newId == null || tenant == null || kind == null || from == null || to == null) {
                    throw new IllegalArgumentException("nuri awards grant needs --id, --tenant, --kind, --from and --to. Maybe --id startup-b2 "
                            + "--tenant startups --kind budget --model H100 --gpu-hours 50000 --from 2027-01-01 --to 2027-07-01?");
                }
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("id", newId);
                body.put("tenant", tenant);
                body.put("kind", kind);
                if (model != null) body.put("model", model);
                if (gpuHours != null) body.put("gpuHours", gpuHours);
                if (gpus != null) body.put("gpus", gpus);
                body.put("from", from);
                body.put("to", to);
                show(c.post("/api/v1/awards", body), "granted");
            }
            case "revise" -> {
                String award = required("revise");
                if (gpuHours == null && to == null) throw new IllegalArgumentException("nuri awards revise " + Text.printable(award) + ": nothing to change. Maybe --gpu-hours H or --to DATE?");
                Map<String, Object> body = new LinkedHashMap<>();
                if (gpuHours != null) body.put("gpuHours", gpuHours);
                if (to != null) body.put("to", to);
                show(c.send("PATCH", "/api/v1/awards/" + Query.encode(award), body), "revised");
            }
            case "end" -> show(c.post("/api/v1/awards/" + Query.encode(required("end")) + "/end", null), "ended");
            default -> throw new IllegalArgumentException("nuri awards " + Text.printable(action) + ": maybe list, grant, revise or end?");
        }
        return 0;
    }

    private String required(String verb) {
        if (id == null) throw new IllegalArgumentException("nuri awards " + verb + " needs the award's ID (see nuri awards)");
        return id;
    }

    private static void show(JsonNode a, String what) {
        System.out.printf("%s %s: %s, %s%s, %.1f GPU-hours used, %.1f left, %s to %s%s%n", what, Text.printable(a.path("id").asString()),
                Text.printable(a.path("tenant").asString()), a.path("kind").asString().toLowerCase(java.util.Locale.ROOT),
                a.path("model").isNull() ? "" : " " + Text.printable(a.path("model").asString()), a.path("usedGpuHours").asDouble(),
                a.path("leftGpuHours").asDouble(), a.path("from").asString(), a.path("to").asString(), a.path("active").asBoolean() ? "" : " (not active)");
    }

    private static void print(Table t, JsonNode a) {
        t.row(Text.printable(a.path("id").asString()), Text.printable(a.path("tenant").asString()), a.path("kind").asString(),
                a.path("model").isNull() ? "-" : Text.printable(a.path("model").asString()), String.format("%,.0f", a.path("budgetGpuHours").asDouble()),
                a.path("gpus").asInt() == 0 ? "-" : String.valueOf(a.path("gpus").asInt()), String.format("%,.1f", a.path("usedGpuHours").asDouble()),
                String.format("%,.1f", a.path("leftGpuHours").asDouble()), a.path("from").asString(), a.path("to").asString(),
                a.path("active").asBoolean() ? "yes" : "no");
    }
}

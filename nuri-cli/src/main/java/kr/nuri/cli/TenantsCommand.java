package kr.nuri.cli;

import java.util.LinkedHashMap;
import java.util.Locale;
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

/**
 * {@code nuri tenants [list]}: the quota tree with each tenant's policy; {@code nuri tenants policy NAME …}: change what
 * one sets (the rest of its policy stays; {@code inherit} clears a field so the parent's applies); {@code nuri tenants
 * create NAME --parent P}: a new organisation or project, at once.
 */
@Command(name = "tenants", mixinStandardHelpOptions = true,
        description = "The quota tree with policies: nuri tenants [list] | policy NAME [--classes training=24,scavenger=0|inherit] "
                + "[--award-required true|false|inherit] [--unawarded-scavengers true|false|inherit] | retire NAME [--cancel-jobs] "
                + "| reinstate NAME | create NAME --parent TENANT [--weight W] [--isolated]")
final class TenantsCommand implements Callable<Integer> {
    @Mixin Connection connection;

    @Parameters(index = "0", arity = "0..1", paramLabel = "list|policy|retire|reinstate|create", defaultValue = "list")
    String action;

    @Parameters(index = "1", arity = "0..1", paramLabel = "NAME")
    String name;

    @Option(names = "--classes", paramLabel = "CLASS=HOURS,…|inherit",
            description = "policy: the priority classes its subtree may use, each with the longest walltime in hours (0 = the class's own).")
    String classes;

    @Option(names = "--award-required", paramLabel = "true|false|inherit", description = "policy: whether its jobs must charge an award.")
    String awardRequired;

    @Option(names = "--unawarded-scavengers", paramLabel = "true|false|inherit",
            description = "policy: with awards required, whether preemptible jobs may run without one.")
    String unawardedScavengers;

    @Option(names = "--cancel-jobs", description = "retire: cancel its waiting and running jobs too (else they go on).")
    boolean cancelJobs;

    @Option(names = "--parent", paramLabel = "TENANT", description = "create: the sector or organisation it belongs to.")
    String parent;

    @Option(names = "--weight", paramLabel = "W", description = "create: its fair-share weight among its siblings (default 1).")
    Double weight;

    @Option(names = "--isolated", description = "create: its subtree lends nothing outside itself.")
    boolean isolated;

    @Override
    public Integer call() {
        var c = connection.client();
        switch (action) {
            case "list" -> {
                Table t = new Table("TENANT", "PARENT", "PROJECT", "STATE", "AWARD_REQUIRED", "CLASSES (longest walltime, h)", "SET_HERE");
                for (JsonNode tenant : c.get("/api/v1/tenants")) {
                    JsonNode eff = tenant.path("effectivePolicy");
                    JsonNode own = tenant.path("policy");
                    t.row(Text.printable(tenant.path("name").asString()), Text.printable(tenant.path("parent").asString("-")),
                            tenant.path("project").asBoolean() ? "yes" : "no", tenant.path("retired").asBoolean() ? "retired" : "active",
                            eff.path("awardRequired").asBoolean(false) ? (eff.path("unawardedScavengers").asBoolean(false) ? "yes (scavengers free)" : "yes") : "no",
                            classes(eff.path("classes")), setHere(own));
                }
                t.print(System.out);
            }
            case "policy" -> {
                if (name == null) throw new IllegalArgumentException("nuri tenants policy needs the tenant's NAME. Maybe nuri tenants policy startups --award-required true?");
                if (classes == null && awardRequired == null && unawardedScavengers == null) {
                    throw new IllegalArgumentException("nuri tenants policy " + Text.printable(name)
                            + ": nothing to change. Maybe --classes training=24,scavenger=0 or --award-required true?");
                }
                JsonNode own = c.get("/api/v1/tenants/" + Query.encode(name)).path("policy");
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("awardRequired", flag("--award-required", awardRequired, own.path("awardRequired")));
                body.put("unawardedScavengers", flag("--unawarded-scavengers", unawardedScavengers, own.path("unawardedScavengers")));
                body.put("classes", classes == null ? current(own.path("classes")) : parseClasses(classes));
                JsonNode after = c.send("PUT", "/api/v1/tenants/" + Query.encode(name) + "/policy", body);
                System.out.println(Text.printable(name) + ": " + setHere(after.path("policy")) + "; applies: awards "
                        + (after.path("effectivePolicy").path("awardRequired").asBoolean(false) ? "required" : "not required")
                        + ", classes " + classes(after.path("effectivePolicy").path("classes")));
            }
            case "retire", "reinstate" -> {
                if (name == null) throw new IllegalArgumentException("nuri tenants " + action + " needs the tenant's NAME");
                boolean retire = action.equals("retire");
                c.post("/api/v1/tenants/" + Query.encode(name) + "/" + action, retire ? Map.of("cancelJobs", cancelJobs) : null);
                System.out.println(Text.printable(name) + (retire ? " retired: it takes no new jobs; its jobs " + (cancelJobs ? "were cancelled" : "go on")
                        : " reinstated: it takes jobs again"));
            }
            case "create" -> {
                if (name == null || parent == null) {
                    throw new IllegalArgumentException("nuri tenants create needs the new tenant's NAME and --parent. Maybe nuri tenants create"
                            + " startup-b --parent startups?");
                }
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("name", name);
                body.put("parent", parent);
                if (weight != null) body.put("weight", weight);
                body.put("isolated", isolated);
                JsonNode t = c.post("/api/v1/tenants", body);
                System.out.println(Text.printable(t.path("name").asString()) + " created under " + Text.printable(t.path("parent").asString())
                        + (isolated ? " (isolated)" : "") + ": no quota yet (nuri quota; PUT /api/v1/tenants/NAME/quotas/MODEL), its parent's policy");
            }
            default -> throw new IllegalArgumentException("nuri tenants " + Text.printable(action) + ": maybe list, policy, retire, reinstate or create?");
        }
        return 0;
    }

    private static Boolean flag(String option, String value, JsonNode current) {
        if (value == null) return current.isNull() || current.isMissingNode() ? null : current.asBoolean();
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "yes" -> Boolean.TRUE;
            case "false", "no" -> Boolean.FALSE;
            case "inherit" -> null;
            default -> throw new IllegalArgumentException(option + " " + Text.printable(value) + ": maybe true, false or inherit?");
        };
    }

    private static Map<String, Double> current(JsonNode classes) {
        if (classes.isNull() || classes.isMissingNode()) return null;
        Map<String, Double> m = new LinkedHashMap<>();
        for (var e : classes.properties()) m.put(e.getKey(), e.getValue().asDouble());
        return m;
    }

    static Map<String, Double> parseClasses(String text) {
        if (text.equalsIgnoreCase("inherit")) return null;
        Map<String, Double> m = new LinkedHashMap<>();
        for (String part : text.split(",")) {
            String[] kv = part.split("=", 2);
            String cls = kv[0].strip();
            if (cls.isEmpty()) throw new IllegalArgumentException("--classes " + Text.printable(text) + ": an empty class name. Maybe training=24,scavenger=0?");
            try {
                m.put(cls, kv.length == 1 ? 0 : Double.parseDouble(kv[1].strip()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--classes: " + Text.printable(part) + " is not CLASS=HOURS. Maybe training=24?");
            }
        }
        return m;
    }

    private static String classes(JsonNode classes) {
        if (classes.isNull() || classes.isMissingNode()) return "all";
        StringBuilder b = new StringBuilder();
        for (var e : classes.properties()) {
            if (!b.isEmpty()) b.append(',');
            double h = e.getValue().asDouble();
            b.append(Text.printable(e.getKey())).append('=').append(h == 0 ? "class" : h == Math.rint(h) ? String.valueOf((long) h) : String.valueOf(h));
        }
        return b.isEmpty() ? "none" : b.toString();
    }

    private static String setHere(JsonNode own) {
        StringBuilder b = new StringBuilder();
        if (!own.path("awardRequired").isNull() && !own.path("awardRequired").isMissingNode()) b.append("awardRequired=").append(own.path("awardRequired").asBoolean());
        if (!own.path("unawardedScavengers").isNull() && !own.path("unawardedScavengers").isMissingNode()) {
            b.append(b.isEmpty() ? "" : " ").append("unawardedScavengers=").append(own.path("unawardedScavengers").asBoolean());
        }
        if (!own.path("classes").isNull() && !own.path("classes").isMissingNode()) b.append(b.isEmpty() ? "" : " ").append("classes=").append(classes(own.path("classes")));
        return b.isEmpty() ? "-" : b.toString();
    }
}

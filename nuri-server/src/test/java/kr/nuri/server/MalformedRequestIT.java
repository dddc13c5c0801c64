package kr.nuri.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import kr.nuri.server.api.ApiRoute;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Thousands of generated malformed requests, as the operator, to every route: broken JSON, non-objects,
 * a field of the wrong type, out-of-range or negative numbers, unknown fields, unknown ids, bad query
 * parameters, oversize bodies, on both stores. Every answer is a 4xx problem (naming the mutated field where there is
 * one); none is a 5xx; the journal, the state hash and the tokens are unchanged.
 */
@ParameterizedClass
@EnumSource(TestStore.class)
class MalformedRequestIT {
    @Parameter
    TestStore store;

    private static final long SEED = Long.getLong("nuri.test.seed", 20261122L);
    private static final int REQUESTS = Integer.getInteger("nuri.test.malformed", 3_000);

    @TempDir
    Path dir;

    @Test
    void noMalformedRequestIsStoredOrAnsweredWith5xx() {
        SplittableRandom rnd = new SplittableRandom(SEED);
        try (TestServer s = new TestServer(store, dir).start()) {
            s.call("POST", "/api/v1/jobs", "{\"name\":\"known\",\"project\":\"a1\",\"gpus\":8,\"walltime\":3600}");
            JsonNode before = s.call("GET", "/api/v1/status", null).json();
            int tokensBefore = s.call("GET", "/api/v1/tokens", null).json().size();
            List<ApiRoute> routes = s.server.api().routes();
            Map<Integer, Integer> statuses = new LinkedHashMap<>();
            for (int i = 0; i < REQUESTS; i++) {
                ApiRoute r = routes.get(rnd.nextInt(routes.size()));
                Malformed m = malformed(r, rnd);
                TestServer.Response res = s.call(r.method().name(), m.path(), m.body());
                String what = "seed " + SEED + " request " + i + ": " + r.method().name() + " " + m.path() + " "
                        + (m.body() == null ? "" : m.body().substring(0, Math.min(300, m.body().length()))) + " -> " + res.status() + " " + res.text();
                statuses.merge(res.status(), 1, Integer::sum);
                assertThat(res.status()).as(what).isBetween(400, 499);
                assertThat(res.text()).as(what).startsWith("{");
                JsonNode problem = res.json();
                assertThat(problem.get("status").asInt()).as(what).isEqualTo(res.status());
                if (m.field() != null) assertThat(problem.get("field").asString()).as(what).isEqualTo(m.field());
                assertThat(problem.get("detail").asString()).as(what + ": no library internals")
                        .doesNotContain("Coercion", "FAIL_ON", "JsonToken", "tools.jackson", "com.fasterxml", "DeserializationFeature", "java.lang.");
            }
            // Path ids with control characters, and the event stream, which is not in the route table.
            for (String path : List.of("/api/v1/jobs/job%1B%5B2J", "/api/v1/jobs/a%00b/cancel", "/api/v1/awards/%1B%5D0%3Bx%07",
                    "/api/v1/nodes/%E2%80%AEevil", "/api/v1/events?since=5", "/api/v1/events")) {
                String method = path.endsWith("/cancel") ? "POST" : "GET";
                TestServer.Response res = s.call(method, path, null);
                String what = method + " " + path + " -> " + res.status() + " " + res.text();
                assertThat(res.status()).as(what).isBetween(400, 499);
                assertThat(res.text()).as(what + ": nothing a terminal would obey is echoed").doesNotContain("\u001b", "\u0000", "\u0007", "\u202e");
                statuses.merge(res.status(), 1, Integer::sum);
            }
            assertThat(statuses).as("the event stream without Accept: text/event-stream").containsKey(406);
            JsonNode after = s.call("GET", "/api/v1/status", null).json();
            assertThat(after.get("journalEvents").asLong()).isEqualTo(before.get("journalEvents").asLong());
            assertThat(after.get("stateHash").asString()).isEqualTo(before.get("stateHash").asString());
            assertThat(s.call("GET", "/api/v1/tokens", null).json().size()).isEqualTo(tokensBefore);
            assertThat(statuses.keySet()).contains(400, 404, 406);
        }
    }

    /** A request that must be refused; {@code field} is the field the answer must name, when known. */
    record Malformed(String path, String body, String field) {}

    private static final Map<String, String> VALID = Map.ofEntries(
            Map.entry("BlockRequest", "{\"site\":\"s1\",\"name\":\"h-9\",\"model\":\"H100\",\"owner\":\"org-a\",\"racks\":1,\"nodesPerRack\":2,\"gpusPerNode\":8}"),
            Map.entry("OwnerRequest", "{\"owner\":\"org-b\"}"),
            Map.entry("UpdateRequest", "{\"walltime\":600}"),
            Map.entry("DrainRequest", "{\"reason\":\"firmware\"}"),
            Map.entry("DomainRequest", "{\"rack\":\"h-1-r1\",\"reason\":\"firmware\"}"),
            Map.entry("SubmitRequest", "{\"project\":\"a1\",\"gpus\":8,\"gpusPerNode\":8,\"gpuModel\":\"H100\",\"walltime\":600,\"priority\":\"training\"}"),
            Map.entry("CompleteRequest", "{\"success\":true}"),
            Map.entry("QuotaRequest", "{\"nominal\":8,\"borrowingLimit\":0,\"lendingLimit\":0}"),
            Map.entry("AwardRequest", "{\"id\":\"new-award\",\"tenant\":\"a1\",\"kind\":\"budget\",\"model\":\"H100\",\"gpuHours\":10.5,\"from\":\"2026-01-01\",\"to\":\"2027-01-01\"}"),
            Map.entry("ReviseRequest", "{\"gpuHours\":200000.5,\"to\":\"2031-01-01\"}"),
            Map.entry("TokenRequest", "{\"user\":\"dave\",\"role\":\"user\",\"tenant\":\"a1\"}"),
            Map.entry("PolicyRequest", "{\"awardRequired\":true,\"unawardedScavengers\":false,\"classes\":{\"training\":24.5}}"),
            Map.entry("RetireRequest", "{\"cancelJobs\":false}"),
            Map.entry("CreateTenantRequest", "{\"name\":\"org-z\",\"parent\":\"nation\",\"weight\":1.5,\"isolated\":false}"));

    private static Malformed malformed(ApiRoute r, SplittableRandom rnd) {
        String path = r.path().replace("{model}", "H100").replace("{id}", "known").replace("{name}",
                r.path().startsWith("/api/v1/nodes") ? "h-1-r1-n1" : r.path().startsWith("/api/v1/blocks") ? "h-1" : "a1");
        if (r.path().startsWith("/api/v1/awards/")) path = path.replace("known", "award-b");
        boolean hasParam = r.path().contains("{");
        int kind = rnd.nextInt(r.body() != null ? 6 : 2);
        if (kind == 0 && hasParam) {
            String bad = List.of("nope", "%2E%2E", "x".repeat(300), "%F0%9F%92%A5", "known%00", "-1").get(rnd.nextInt(6));
            String unknown = r.path().replace("{model}", r.path().contains("{name}") ? "H100" : "Z9").replace("{id}", bad).replace("{name}", bad);
            return new Malformed(unknown, r.body() == null ? null : VALID.get(r.body()), null);
        }
        if (r.body() == null) {
            String q = List.of("?limit=-5", "?limit=abc", "?limit=99999999999", "?state=bogus", "?from=notadate&by=tenant",
                    "?by=colour", "?format=xml", "?offset=-1", "?tenant=nobody", "?model=Z9", "?after=x").get(rnd.nextInt(11));
            boolean takesQuery = r.method().name().equals("GET") && !hasParam && !r.path().equals("/api/v1/whoami")
                    && !r.path().equals("/api/v1/tokens") && !r.path().equals("/api/v1/status") && !r.path().endsWith("/summary")
                    && !r.path().equals("/api/v1/tenants") && !r.path().equals("/api/v1/awards");
            if (takesQuery && queryApplies(r.path(), q)) return new Malformed(path + q, null, null);
            return new Malformed(r.path().replace("{model}", "Z9").replace("{id}", "nope").replace("{name}", "nope"),
                    null, null).path().contains("nope") ? new Malformed(r.path().replace("{id}", "nope").replace("{name}", "nope"), null, null)
                    : new Malformed(path + "/nope", null, null);
        }
        ObjectNode valid = (ObjectNode) TestServer.JSON.readTree(VALID.get(r.body()));
        List<String> fields = new ArrayList<>();
        valid.propertyNames().forEach(fields::add);
        String field = fields.get(rnd.nextInt(fields.size()));
        return switch (kind) {
            case 1 -> new Malformed(path, List.of("{", "{\"project\":", "[1,2", "\u0000", "{\"a\":1}}", "nul", "{'x':1}").get(rnd.nextInt(7)), "body");
            case 2 -> new Malformed(path, List.of("[]", "42", "\"text\"", "null", "true").get(rnd.nextInt(5)), "body");
            case 3 -> {
                JsonNode current = valid.get(field);
                Object wrong = current.isString() ? List.of(1, true, List.of("x"), Map.of("a", 1)).get(rnd.nextInt(4))
                        : List.of("text", List.of(1), Map.of("a", 1), 1.5).get(rnd.nextInt(current.isIntegralNumber() ? 4 : 3));
                if (current.isBoolean()) wrong = List.of("yes", 1, List.of()).get(rnd.nextInt(3));
                valid.set(field, TestServer.JSON.valueToTree(wrong));
                yield new Malformed(path, valid.toString(), field);
            }
            case 4 -> {
                String unknown = "x" + rnd.nextInt(1000);
                valid.put(unknown, rnd.nextInt());
                yield new Malformed(path, valid.toString(), unknown);
            }
            default -> {
                List<String> numeric = fields.stream().filter(f -> valid.get(f).isNumber()).toList();
                if (numeric.isEmpty() || rnd.nextInt(10) == 0) {
                    yield new Malformed(path, "{\"pad\":\"" + "x".repeat(1_100_000) + "\"}", "body");
                }
                String f = numeric.get(rnd.nextInt(numeric.size()));
                String v = List.of(f.endsWith("Limit") ? "-2" : "-1", "-99999", "99999999999999999999", "1e400", "-0.5", "NaN").get(rnd.nextInt(6));
                String body = valid.toString().replace("\"" + f + "\":" + valid.get(f).toString(), "\"" + f + "\":" + v);
                yield new Malformed(path, body, v.equals("NaN") || v.equals("1e400") && !f.equals("gpuHours") ? null : expectedField(r.body(), f));
            }
        };
    }

    /** The field the server names for a bad number: the request's own, for submissions too (not the engine's). */
    private static String expectedField(String schema, String f) {
        return f;
    }

    private static boolean queryApplies(String path, String q) {
        return switch (path) {
            case "/api/v1/jobs" -> q.startsWith("?limit") || q.startsWith("?state") || q.startsWith("?tenant") || q.startsWith("?after");
            case "/api/v1/nodes" -> q.startsWith("?limit") || q.startsWith("?offset") || q.startsWith("?model");
            case "/api/v1/usage" -> q.startsWith("?from") || q.startsWith("?by") || q.startsWith("?format");
            default -> false;
        };
    }
}

package kr.nuri.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import kr.nuri.server.api.ApiRoute;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tenant isolation on every route: a user and a tenant admin of organisation A walk the whole API against
 * organisation B's job, tenants, award, token and user. Each answer is 403 or 404, or, for collections and
 * shared fleet views, a 200 that holds none of B's names. Nothing stored changes.
 */
class IsolationIT {
    /** Strings that only B's objects contain. */
    private static final List<String> B_SECRETS = List.of("job-of-b", "\"b1\"", "award-b", "bob", "org-b");

    @TempDir
    Path dir;

    @Test
    void membersOfTenantAGetNothingOfTenantB() {
        try (TestServer s = new TestServer(TestStore.H2, dir).start()) {
            assertThat(s.call("POST", "/api/v1/jobs", "{\"id\":\"job-of-b\",\"project\":\"b1\",\"user\":\"bob\",\"gpus\":1,"
                    + "\"award\":\"award-b\",\"walltime\":3600}").status()).isEqualTo(201);
            assertThat(s.call("POST", "/api/v1/jobs", "{\"id\":\"job-of-a\",\"project\":\"a1\",\"user\":\"alice\",\"gpus\":1}").status()).isEqualTo(201);
            String bToken = s.token("bob", "user", "b1");
            String bTokenId = bToken.split("_")[1];
            Map<String, String> actors = Map.of(
                    "user of A", s.token("alice", "user", "a1"),
                    "tenant admin of A", s.token("carol", "tenant-admin", "org-a"));
            String hashBefore = s.call("GET", "/api/v1/status", null).json().get("stateHash").asString();
            int checked = 0;
            for (var actor : actors.entrySet()) {
                for (ApiRoute r : s.server.api().routes()) {
                    for (String path : pathsAgainstB(r.path(), bTokenId)) {
                        TestServer.Response res = s.call(r.method().name(), path, actor.getValue(), bodyAgainstB(r.body()));
                        String what = actor.getKey() + " " + r.method().name() + " " + path + " -> " + res.status() + " " + res.text();
                        assertThat(res.status()).as(what).isIn(200, 204, 403, 404);
                        if (res.status() == 200) {
                            for (String secret : B_SECRETS) assertThat(res.text()).as(what).doesNotContain(secret);
                        }
                        assertThat(res.status()).as(what).isNotEqualTo(204);
                        checked++;
                    }
                }
            }
            assertThat(checked).isGreaterThan(40);
            assertThat(s.call("GET", "/api/v1/status", null).json().get("stateHash").asString()).isEqualTo(hashBefore);
            assertThat(s.call("GET", "/api/v1/whoami", bToken, null).status()).as("B's token was not revoked").isEqualTo(200);
            assertThat(s.call("GET", "/api/v1/jobs/job-of-b", null).json().get("state").asString()).isEqualTo("RUNNING");
        }
    }

    /** The route's path with B's objects in it, plus query variants that ask for B's data by filter. */
    private static List<String> pathsAgainstB(String template, String bTokenId) {
        String p = template.replace("{model}", "B200");
        if (p.startsWith("/api/v1/jobs/")) p = p.replace("{id}", "job-of-b");
        else if (p.startsWith("/api/v1/awards/")) p = p.replace("{id}", "award-b");
        else if (p.startsWith("/api/v1/tokens/")) p = p.replace("{id}", bTokenId);
        p = p.startsWith("/api/v1/nodes/") ? p.replace("{name}", "b-1-r1-n1") : p.replace("{name}", "b1");
        return switch (p) {
            case "/api/v1/jobs" -> List.of(p, p + "?tenant=b1", p + "?tenant=org-b", p + "?user=bob", p + "?state=running");
            case "/api/v1/usage" -> List.of(p + "?by=tenant", p + "?by=project", p + "?by=award", p + "?by=model&format=csv");
            default -> List.of(p);
        };
    }

    private static String bodyAgainstB(String schema) {
        if (schema == null) return null;
        return switch (schema) {
            case "SubmitRequest" -> "{\"project\":\"b1\",\"gpus\":1}";
            case "CompleteRequest" -> "{\"success\":true}";
            case "QuotaRequest" -> "{\"nominal\":1}";
            case "AwardRequest" -> "{\"id\":\"stolen\",\"tenant\":\"b1\",\"kind\":\"budget\",\"gpuHours\":1,\"from\":\"2026-01-01\",\"to\":\"2027-01-01\"}";
            case "ReviseRequest" -> "{\"gpuHours\":1}";
            case "TokenRequest" -> "{\"user\":\"mallory\",\"role\":\"user\",\"tenant\":\"b1\"}";
            default -> throw new IllegalArgumentException("no body against B for " + schema + "; add one");
        };
    }
}

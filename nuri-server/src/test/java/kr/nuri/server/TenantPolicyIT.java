package kr.nuri.server;

import static org.assertj.core.api.Assertions.assertThat;

import tools.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * Tenancy finding 6 over HTTP: a user took priority class inference with a 30-day walltime. A programme manager sets
 * org-a's policy (journaled, audited, kept over a restart); a1's users then get 403 for a class it may not use and 400
 * for a walltime beyond its cap, and a user cannot change the policy.
 */
class TenantPolicyIT extends ServerTestCase {

    @Test
    void aTenantsPolicyGatesItsUsersClassesAndWalltimes() {
        String pm = s.token("pat", "programme_manager", null);
        String user = s.token("mallory", "user", "a1");
        String before = "{\"name\":\"top\",\"project\":\"a1\",\"gpus\":1,\"priority\":\"inference\",\"walltime\":2592000}";
        assertThat(s.call("POST", "/api/v1/jobs", user, before).status()).as("before: any class, 30 days").isEqualTo(201);

        String policy = "{\"classes\":{\"training\":24,\"scavenger\":0}}";
        assertThat(s.call("PUT", "/api/v1/tenants/org-a/policy", user, policy).status()).as("a user may not").isEqualTo(403);
        TestServer.Response set = s.call("PUT", "/api/v1/tenants/org-a/policy", pm, policy);
        assertThat(set.status()).as(set.text()).isEqualTo(200);
        assertThat(set.json().get("policy").get("classes").get("training").asDouble()).isEqualTo(24.0);

        TestServer.Response refused = s.call("POST", "/api/v1/jobs", user, before.replace("\"top\"", "\"top2\""));
        assertThat(refused.status()).as(refused.text()).isEqualTo(403);
        assertThat(refused.json().get("field").asString()).isEqualTo("priority");
        assertThat(refused.text()).contains("a1 may not use priority class inference", "scavenger", "training");
        TestServer.Response tooLong = s.call("POST", "/api/v1/jobs", user,
                "{\"name\":\"long\",\"project\":\"a1\",\"gpus\":1,\"priority\":\"training\",\"walltime\":90000}");
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.text()).contains("at most 86400 s (24.0 h) in class training");
        assertThat(s.call("POST", "/api/v1/jobs", user,
                "{\"name\":\"ok\",\"project\":\"a1\",\"gpus\":1,\"priority\":\"training\",\"walltime\":3600}").status()).isEqualTo(201);

        JsonNode a1 = s.call("GET", "/api/v1/tenants/a1", user, null).json();
        assertThat(a1.get("policy").get("classes").isNull()).as("a1 sets nothing itself").isTrue();
        assertThat(a1.get("effectivePolicy").get("classes").get("training").asDouble()).isEqualTo(24.0);
        assertThat(s.call("GET", "/api/v1/audit?action=tenant.policy", null).text()).contains("org-a", "pat", "inherits all", "classes=[scavenger=class max, training=24.0h]");
        TestServer.Response bad = s.call("PUT", "/api/v1/tenants/org-a/policy", pm, "{\"classes\":{\"gold\":1}}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.text()).contains("gold");

        s.stop();
        s.start();
        assertThat(s.call("POST", "/api/v1/jobs", user, before.replace("\"top\"", "\"top3\"")).status()).as("journaled").isEqualTo(403);
    }

    @Test
    void aRetiredProjectTakesNoJobsUntilReinstated() {
        String pm = s.token("pat", "programme_manager", null);
        String user = s.token("mallory", "user", "a1");
        assertThat(s.call("POST", "/api/v1/jobs", user, "{\"name\":\"r\",\"project\":\"a1\",\"gpus\":8,\"gpusPerNode\":8}").status()).isEqualTo(201);
        assertThat(s.call("POST", "/api/v1/tenants/a1/retire", user, "{}").status()).as("a user may not").isEqualTo(403);
        TestServer.Response retired = s.call("POST", "/api/v1/tenants/a1/retire", pm, "{\"cancelJobs\":true}");
        assertThat(retired.status()).as(retired.text()).isEqualTo(200);
        assertThat(retired.json().get("retired").asBoolean()).isTrue();
        assertThat(s.call("GET", "/api/v1/jobs/r", null).json().get("state").asString()).isEqualTo("CANCELLED");
        TestServer.Response refused = s.call("POST", "/api/v1/jobs", user, "{\"project\":\"a1\",\"gpus\":1}");
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.text()).contains("a1 is retired");
        assertThat(s.call("GET", "/api/v1/audit?action=tenant.retire", null).text()).contains("retired, its jobs cancelled");
        s.stop();
        s.start();
        assertThat(s.call("POST", "/api/v1/jobs", user, "{\"project\":\"a1\",\"gpus\":1}").status()).as("journaled").isEqualTo(409);
        assertThat(s.call("POST", "/api/v1/tenants/a1/reinstate", pm, null).status()).isEqualTo(200);
        assertThat(s.call("POST", "/api/v1/jobs", user, "{\"project\":\"a1\",\"gpus\":1}").status()).isEqualTo(201);
    }

    @Test
    void anAwardIsEndedNowAndNoNewJobChargesIt() {
        // Tenancy finding 3's last point: an award could be ended only by moving its end by hand.
        String pm = s.token("pat", "programme_manager", null);
        String user = s.token("bo", "user", "b1");
        assertThat(s.call("POST", "/api/v1/awards/award-b/end", user, null).status()).as("a user may not").isEqualTo(403);
        TestServer.Response ended = s.call("POST", "/api/v1/awards/award-b/end", pm, null);
        assertThat(ended.status()).as(ended.text()).isEqualTo(200);
        assertThat(ended.json().get("active").asBoolean()).isFalse();
        TestServer.Response refused = s.call("POST", "/api/v1/jobs", user, "{\"project\":\"b1\",\"gpus\":8,\"gpusPerNode\":8,\"award\":\"award-b\"}");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.text()).contains("award-b ended");
        assertThat(s.call("POST", "/api/v1/awards/award-b/end", pm, null).status()).as("again: nothing to do").isEqualTo(200);
        assertThat(s.call("GET", "/api/v1/audit?action=award.end", null).text()).contains("award-b", "pat");
        assertThat(s.call("POST", "/api/v1/awards/nope/end", pm, null).status()).isEqualTo(404);
    }
}

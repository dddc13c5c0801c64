package kr.nuri.server;

import static org.assertj.core.api.Assertions.assertThat;

import tools.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * Tenancy finding 1 over HTTP, on the small fleet (org-a owns the 128 H100, org-b the 128 B200, nothing isolated): a job
 * runs on its line's pool, a job of another line borrows and says so with the pool it runs on, {@code /pools} shows
 * what each pool guarantees, what its owner's line uses and what it lends, and a quota beyond what a pool owns is
 * refused naming the shortfall.
 */
class PoolsIT extends ServerTestCase {

    @Test
    void poolsShowWhatTheirOwnersUseAndLendAndQuotaIsAClaimOnThem() {
        String a = s.token("alice", "user", "a1");
        String b = s.token("bob", "user", "b1");
        String pm = s.token("pat", "programme_manager", null);
        assertThat(s.call("POST", "/api/v1/jobs", a, "{\"name\":\"own\",\"project\":\"a1\",\"gpus\":8,\"gpusPerNode\":8,\"gpuModel\":\"H100\"}")
                .status()).isEqualTo(201);
        TestServer.Response lent = s.call("POST", "/api/v1/jobs", b, "{\"name\":\"lent\",\"project\":\"b1\",\"gpus\":8,\"gpusPerNode\":8,"
                + "\"gpuModel\":\"H100\",\"priority\":\"scavenger\"}");
        assertThat(lent.status()).as(lent.text()).isEqualTo(201);

        JsonNode job = s.call("GET", "/api/v1/jobs/lent", b, null).json();
        assertThat(job.get("state").asString()).isEqualTo("RUNNING");
        assertThat(job.get("placement").get("pool").asString()).isEqualTo("H100@org-a");
        assertThat(job.get("placement").get("borrowed").asBoolean()).as("on org-a's GPUs").isTrue();

        JsonNode pools = s.call("GET", "/api/v1/pools", a, null).json();
        JsonNode h100 = null;
        for (JsonNode p : pools) if (p.get("name").asString().equals("H100@org-a")) h100 = p;
        assertThat(h100).as(pools.toString()).isNotNull();
        assertThat(h100.get("owner").asString()).isEqualTo("org-a");
        assertThat(h100.get("gpus").asLong()).isEqualTo(128);
        assertThat(h100.get("guaranteed").asLong()).isEqualTo(128);
        assertThat(h100.get("usedByOwner").asLong()).isEqualTo(8);
        assertThat(h100.get("lent").asLong()).isEqualTo(8);
        assertThat(h100.get("free").asLong()).isEqualTo(112);

        JsonNode a1 = s.call("GET", "/api/v1/tenants/a1", a, null).json();
        assertThat(a1.get("quotas").get(0).get("pool").asString()).isEqualTo("H100@org-a");
        TestServer.Response over = s.call("PUT", "/api/v1/tenants/a1/quotas/H100", pm, "{\"nominal\":65}");
        assertThat(over.status()).as(over.text()).isEqualTo(400);
        assertThat(over.text()).contains("pool H100@org-a has 128 GPUs", "short by 1");
        TestServer.Response foreign = s.call("PUT", "/api/v1/tenants/b1/quotas/H100@org-a", pm, "{\"nominal\":8}");
        assertThat(foreign.status()).as(foreign.text()).isEqualTo(400);
        assertThat(foreign.text()).contains("belongs to org-a");

        // Issue 17: a finished job keeps where it ran (placement was null once it ended), also after a restart.
        String where = s.call("GET", "/api/v1/jobs/lent", b, null).json().get("placement").toString();
        assertThat(s.call("POST", "/api/v1/jobs/lent/cancel", b, null).status()).isEqualTo(200);
        JsonNode ended = s.call("GET", "/api/v1/jobs/lent", b, null).json();
        assertThat(ended.get("state").asString()).isEqualTo("CANCELLED");
        assertThat(ended.get("placement").toString()).isEqualTo(where);
        s.restartOn("small.yaml");
        assertThat(s.call("GET", "/api/v1/jobs/lent", b, null).json().get("placement").get("pool").asString()).isEqualTo("H100@org-a");
        // nuri history: the finished jobs, by when they ended.
        assertThat(s.call("GET", "/api/v1/jobs?state=finished", b, null).text()).contains("\"name\":\"lent\"").doesNotContain("\"state\":\"RUNNING\"");
        assertThat(s.call("GET", "/api/v1/jobs?state=finished&from=2100-01-01T00:00:00Z", b, null).json().get("jobs").size()).isZero();
        assertThat(s.call("GET", "/api/v1/jobs?state=finished&to=nonsense", b, null).status()).isEqualTo(400);
    }
}

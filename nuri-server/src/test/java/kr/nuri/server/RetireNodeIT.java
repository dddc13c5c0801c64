package kr.nuri.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Drain-then-retire a node over HTTP (tenancy finding 4): refused while it is up or runs a job, and while its pool
 * would guarantee more than it keeps; once retired it stays so over a restart, audited, and its pool counts fewer GPUs.
 */
class RetireNodeIT extends ServerTestCase {

    @Test
    void anOperatorRetiresADrainedEmptyNode() {
        String pm = s.token("pat", "programme_manager", null);
        assertThat(s.call("POST", "/api/v1/nodes/h-1-r1-n1/retire", pm, null).status()).as("operators only").isEqualTo(403);
        TestServer.Response up = s.call("POST", "/api/v1/nodes/h-1-r1-n1/retire", null);
        assertThat(up.status()).isEqualTo(400);
        assertThat(up.text()).contains("drain it first");
        assertThat(s.call("POST", "/api/v1/nodes/h-1-r1-n1/drain", null).status()).isEqualTo(200);
        TestServer.Response full = s.call("POST", "/api/v1/nodes/h-1-r1-n1/retire", null);
        assertThat(full.status()).isEqualTo(400);
        assertThat(full.text()).contains("pool H100@org-a guarantees 128 GPUs and would have 120", "short by 8");
        assertThat(s.call("PUT", "/api/v1/tenants/a2/quotas/H100", pm, "{\"nominal\":56}").status()).isEqualTo(200);
        TestServer.Response retired = s.call("POST", "/api/v1/nodes/h-1-r1-n1/retire", null);
        assertThat(retired.status()).as(retired.text()).isEqualTo(200);
        assertThat(retired.json().get("health").asString()).isEqualTo("RETIRED");
        assertThat(s.call("POST", "/api/v1/nodes/h-1-r1-n1/up", null).text()).contains("retired");
        assertThat(s.call("GET", "/api/v1/audit?action=node.retire", null).text()).contains("h-1-r1-n1", "DRAIN", "RETIRED");

        long hash = s.restartOn("small.yaml");
        assertThat(s.server.recovery().stateHash()).isEqualTo(hash);
        assertThat(s.call("GET", "/api/v1/nodes/h-1-r1-n1", null).json().get("health").asString()).isEqualTo("RETIRED");
        for (var p : s.call("GET", "/api/v1/pools", null).json()) {
            if (p.get("name").asString().equals("H100@org-a")) assertThat(p.get("gpus").asLong()).isEqualTo(120);
        }
    }
}

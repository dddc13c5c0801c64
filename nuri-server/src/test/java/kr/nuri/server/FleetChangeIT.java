package kr.nuri.server;

import static org.assertj.core.api.Assertions.assertThat;

import tools.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * Tenancy finding 4 over HTTP: "No way to … add a block of nodes, … or change an owner". An operator adds a block while
 * the server runs and jobs start on it at once; a block changes owner once drained and its old pool can spare it; both
 * are audited, and a restart (from a snapshot and the journal's tail) brings them back with the same state.
 */
class FleetChangeIT extends ServerTestCase {

    @Test
    void anOperatorAddsABlockAndGivesADrainedBlockToAnotherOwner() {
        s.snapshotEvery = 5;
        s.restartOn("small.yaml");
        String pm = s.token("pat", "programme_manager", null);
        String block = "{\"site\":\"s1\",\"name\":\"h-3\",\"model\":\"H100\",\"owner\":\"org-b\",\"racks\":1,\"nodesPerRack\":2,\"gpusPerNode\":8}";
        assertThat(s.call("POST", "/api/v1/blocks", pm, block).status()).as("operators only").isEqualTo(403);
        TestServer.Response added = s.call("POST", "/api/v1/blocks", block);
        assertThat(added.status()).as(added.text()).isEqualTo(201);
        assertThat(added.json().get("nodes").get(0).get("name").asString()).isEqualTo("h-3-r1-n1");
        assertThat(s.call("POST", "/api/v1/blocks", block).text()).contains("exists already");

        // org-b's new H100 pool: b1 is guaranteed it, and runs there at once.
        assertThat(s.call("PUT", "/api/v1/tenants/b1/quotas/H100", pm, "{\"nominal\":16}").status()).isEqualTo(200);
        TestServer.Response job = s.call("POST", "/api/v1/jobs", "{\"name\":\"b-h100\",\"project\":\"b1\",\"gpus\":16,\"gpusPerNode\":8,\"gpuModel\":\"H100\"}");
        assertThat(job.status()).as(job.text()).isEqualTo(201);
        JsonNode placed = s.call("GET", "/api/v1/jobs/b-h100", null).json();
        assertThat(placed.get("state").asString()).isEqualTo("RUNNING");
        assertThat(placed.get("placement").get("pool").asString()).isEqualTo("H100@org-b");
        assertThat(placed.get("placement").get("borrowed").asBoolean()).isFalse();

        // h-3 to org-a: refused while b1's job runs there, then while org-b's pool still guarantees it to b1.
        TestServer.Response busy = s.call("PUT", "/api/v1/blocks/h-3/owner", "{\"owner\":\"org-a\"}");
        assertThat(busy.status()).isEqualTo(400);
        assertThat(busy.text()).contains("drain the block");
        assertThat(s.call("POST", "/api/v1/jobs/b-h100/cancel", null).status()).isEqualTo(200);
        assertThat(s.call("PUT", "/api/v1/blocks/h-3/owner", "{\"owner\":\"org-a\"}").text()).contains("short by 16");
        assertThat(s.call("PUT", "/api/v1/tenants/b1/quotas/H100", pm, "{\"nominal\":0}").status()).isEqualTo(200);
        TestServer.Response moved = s.call("PUT", "/api/v1/blocks/h-3/owner", "{\"owner\":\"org-a\"}");
        assertThat(moved.status()).as(moved.text()).isEqualTo(200);
        assertThat(moved.json().get("nodes").get(0).get("owner").asString()).isEqualTo("org-a");
        assertThat(s.call("GET", "/api/v1/audit?action=block", null).text()).contains("block.add", "block.owner", "owner=org-b", "owner=org-a");

        long hash = s.restartOn("small.yaml");
        assertThat(s.server.recovery().stateHash()).as("a snapshot and the journal rebuild it").isEqualTo(hash);
        assertThat(s.server.recovery().snapshotSeq()).isPositive();
        assertThat(s.call("GET", "/api/v1/nodes/h-3-r1-n2", null).json().get("owner").asString()).isEqualTo("org-a");
        for (JsonNode p : s.call("GET", "/api/v1/pools", null).json()) {
            if (p.get("name").asString().equals("H100@org-a")) assertThat(p.get("gpus").asLong()).isEqualTo(144);
        }
    }
}

package kr.nuri.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * Tenancy finding 5: identity is by name, not by position in the fleet file. Started job-0 on H100 and job-1 on B200,
 * stopped, then swapped the file's sites and org-a's projects: the build before this one restarted with job-0 on B200
 * nodes and a new state hash, silently. Now a reordered file moves nothing (same nodes, same state hash), an inserted
 * block only adds nodes (reported and audited), and a file that drops nodes a job runs on is refused, naming them.
 */
class FleetIdentityIT extends ServerTestCase {

    private List<String> startJobs() {
        assertThat(s.call("POST", "/api/v1/jobs", "{\"name\":\"h\",\"project\":\"a1\",\"gpus\":16,\"gpusPerNode\":8,\"gpuModel\":\"H100\"}").status()).isEqualTo(201);
        assertThat(s.call("POST", "/api/v1/jobs", "{\"name\":\"b\",\"project\":\"b1\",\"gpus\":8,\"gpusPerNode\":8,\"gpuModel\":\"B200\"}").status()).isEqualTo(201);
        assertThat(s.call("POST", "/api/v1/jobs", "{\"name\":\"wide\",\"project\":\"a2\",\"gpus\":64,\"gpusPerNode\":8,\"gpuModel\":\"H100\"}").status()).isEqualTo(201);
        assertThat(s.call("POST", "/api/v1/nodes/b-2-r2-n4/drain", null).status()).isEqualTo(200);
        assertThat(s.call("PUT", "/api/v1/tenants/a2/quotas/H100", "{\"nominal\":60}").status()).isEqualTo(200);
        return placements("h", "b", "wide");
    }

    private List<String> placements(String... names) {
        List<String> out = new ArrayList<>();
        for (String n : names) {
            JsonNode j = s.call("GET", "/api/v1/jobs/" + n, null).json();
            assertThat(j.get("state").asString()).as(n).isEqualTo("RUNNING");
            JsonNode p = j.get("placement");
            StringBuilder b = new StringBuilder(n + " " + p.get("model").asString());
            for (JsonNode share : p.get("nodes")) b.append(' ').append(share.get("node").asString()).append(':').append(share.get("gpus").asInt());
            out.add(b.toString());
        }
        return out;
    }

    @Test
    void aReorderedFleetFileMovesNoJobAndKeepsTheStateHash() {
        s.checkpointEvery = 2;
        s.snapshotEvery = 5;
        s.restartOn("small.yaml");
        List<String> before = startJobs();
        assertThat(before.get(0)).startsWith("h H100 h-1-r1-n1:8 h-1-r1-n2:8");
        assertThat(before.get(1)).startsWith("b B200 b-1-r1-n1:8");
        long hash = s.restartOn("small-reordered.yaml");
        assertThat(s.server.recovery().stateHash()).as("state hash after the reorder").isEqualTo(hash);
        assertThat(s.server.recovery().snapshotSeq()).as("a snapshot holds positions: not used under another order").isZero();
        assertThat(s.server.recovery().checkpointsVerified()).as("checkpoints of the stable hash, compared under the new order").isPositive();
        assertThat(placements("h", "b", "wide")).isEqualTo(before);
        assertThat(s.call("GET", "/api/v1/nodes/b-2-r2-n4", null).json().get("health").asString()).isEqualTo("DRAIN");
        assertThat(s.call("GET", "/api/v1/tenants/a2", null).json().get("quotas").get(0).get("nominal").asInt()).isEqualTo(60);
        // and back: the original order reads the journal (now written under both orders) the same
        long again = s.restartOn("small.yaml");
        assertThat(s.server.recovery().stateHash()).isEqualTo(again);
        assertThat(s.server.recovery().checkpointsVerified()).as("checkpoints written under either order").isGreaterThan(2);
        assertThat(placements("h", "b", "wide")).isEqualTo(before);
    }

    @Test
    void aBlockInsertedInTheMiddleAddsItsNodesAndMovesNothing() {
        List<String> before = startJobs();
        s.restartOn("small-inserted.yaml");
        assertThat(placements("h", "b", "wide")).isEqualTo(before);
        assertThat(s.call("GET", "/api/v1/nodes/x-r1-n2", null).json().get("health").asString()).isEqualTo("UP");
        JsonNode audit = s.call("GET", "/api/v1/audit?action=fleet.change", null).json();
        assertThat(audit.toString()).contains("adds 2 nodes: x-r1-n1, x-r1-n2");
        // The new nodes take work.
        assertThat(s.call("POST", "/api/v1/jobs", "{\"name\":\"new\",\"project\":\"a1\",\"gpus\":16,\"gpusPerNode\":8,\"gpuModel\":\"H100\"}").status()).isEqualTo(201);
        assertThat(placements("new").get(0)).contains("x-r1-n1:8 x-r1-n2:8");
        // A later start on the same file reports nothing new and verifies its checkpoints again.
        long hash = s.restartOn("small-inserted.yaml");
        assertThat(s.server.recovery().stateHash()).isEqualTo(hash);
    }

    @Test
    void aFileWithoutTheNodesAJobRunsOnIsRefusedNamingTheNodeAndTheJob() {
        startJobs();
        String wide = s.id("wide");
        s.stop();
        s.config = TestServer.fleet("small-shrunk.yaml");
        assertThatThrownBy(() -> s.start())
                .hasMessageContaining("the fleet file has no node 'h-2-r2-n1'")
                .hasMessageContaining(wide + " runs on it")
                .hasMessageContaining("Put the node back in the file");
        // Nothing stored was lost, and the refused start left no trace: the original file starts as before.
        s.config = TestServer.smallFleet();
        s.start();
        assertThat(placements("wide").get(0)).contains("h-2-r2-n1:8");
        assertThat(s.call("GET", "/api/v1/audit?action=fleet.change", null).json().toString()).doesNotContain("fleet-file");
    }

    @Test
    void aFileThatGivesANodeAJobRanOnToAnotherOwnerIsRefusedNamingTheNodeAndTheJob() {
        startJobs();
        String wide = s.id("wide");
        s.stop();
        s.config = TestServer.fleet("small-owner-changed.yaml");
        assertThatThrownBy(() -> s.start())
                .hasMessageContaining("puts node 'h-2-r")
                .hasMessageContaining("in pool H100@NATION")
                .hasMessageContaining(wide + " on it in pool H100@ORG-A");
        s.config = TestServer.smallFleet();
        s.start();
        assertThat(placements("wide").get(0)).contains("h-2-r2-n1:8");
    }

    @Test
    void aFileWithoutAProjectTheJournalUsesIsRefusedNamingItAndTheJob() {
        startJobs();
        String wide = s.id("wide");
        s.stop();
        s.config = TestServer.fleet("small-no-a2.yaml");
        assertThatThrownBy(() -> s.start())
                .hasMessageContaining("the fleet file has no tenant 'a2'")
                .hasMessageContaining(wide + " has not ended")
                .hasMessageContaining("retire it instead");
        s.config = TestServer.smallFleet();
        s.start();
        assertThat(placements("wide")).hasSize(1);
    }
}

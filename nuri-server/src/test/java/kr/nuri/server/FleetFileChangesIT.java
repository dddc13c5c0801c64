package kr.nuri.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import tools.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * The fleet file is the initial state: an edited file's quotas, policies and awards become journaled, audited change
 * commands at the next start (printed), a replay still starts where the journal began (checkpoints verified), and a
 * change the engine would refuse refuses the start with nothing applied.
 */
class FleetFileChangesIT extends ServerTestCase {

    private JsonNode tenant(String name) {
        return s.call("GET", "/api/v1/tenants/" + name, null).json();
    }

    private int fileChangesAudited() {
        int n = 0;
        for (JsonNode e : s.call("GET", "/api/v1/audit?actor=fleet-file&limit=1000", null).json()) n++;
        return n;
    }

    @Test
    void anEditedFilesQuotasPoliciesAndAwardsBecomeJournaledChanges() {
        s.checkpointEvery = 2;
        s.restartOn("small.yaml");
        assertThat(s.call("POST", "/api/v1/jobs", "{\"name\":\"j\",\"project\":\"a1\",\"gpus\":8,\"gpusPerNode\":8}").status()).isEqualTo(201);
        s.restartOn("small-edited.yaml");
        assertThat(tenant("a1").get("quotas").get(0).get("nominal").asInt()).isEqualTo(48);
        assertThat(tenant("a2").get("effectivePolicy").get("classes").get("training").asDouble()).isEqualTo(24.0);
        assertThat(s.call("GET", "/api/v1/awards/award-b", null).json().get("budgetGpuHours").asDouble()).isEqualTo(200_000.0);
        assertThat(s.call("GET", "/api/v1/awards/award-c", null).status()).isEqualTo(200);
        String audit = s.call("GET", "/api/v1/audit?actor=fleet-file&limit=1000", null).text();
        assertThat(audit).contains("quota.set", "a1/H100", "nominal=64", "nominal=48", "tenant.policy", "award.revise", "award.grant");
        int audited = fileChangesAudited();

        // The same file again: nothing changes, and the replay from the journal's start verifies its checkpoints.
        long hash = s.restartOn("small-edited.yaml");
        assertThat(s.server.recovery().stateHash()).isEqualTo(hash);
        assertThat(s.server.recovery().checkpointsVerified()).isPositive();
        assertThat(fileChangesAudited()).isEqualTo(audited);
        assertThat(tenant("a1").get("quotas").get(0).get("nominal").asInt()).isEqualTo(48);

        // A start that stopped after journaling the changes and before recording the file sees them again, already applied.
        s.stop();
        assertThat(s.sql("DELETE FROM tenancy WHERE name = 'last'")).isEqualTo(1);
        s.start();
        assertThat(fileChangesAudited()).isEqualTo(audited);
        assertThat(s.call("GET", "/api/v1/awards/award-c", null).status()).isEqualTo(200);

        // Back to the original: its values return as changes too; an award the file no longer lists stays granted.
        s.restartOn("small.yaml");
        assertThat(tenant("a1").get("quotas").get(0).get("nominal").asInt()).isEqualTo(64);
        assertThat(tenant("a2").get("effectivePolicy").get("classes").isNull()).isTrue();
        assertThat(s.call("GET", "/api/v1/awards/award-b", null).json().get("budgetGpuHours").asDouble()).isEqualTo(100_000.0);
        assertThat(s.call("GET", "/api/v1/awards/award-c", null).status()).isEqualTo(200);
        assertThat(s.server.recovery().checkpointsVerified()).isPositive();
        assertThat(s.call("GET", "/api/v1/jobs/j", null).json().get("state").asString()).isEqualTo("RUNNING");
    }

    @Test
    void aChangeAGrantedAwardCannotTakeRefusesTheStartWithNothingApplied() {
        s.stop();
        s.config = TestServer.fleet("small-award-moved.yaml");
        assertThatThrownBy(() -> s.start()).hasMessageContaining("award award-b").hasMessageContaining("grant a new award");
        s.config = TestServer.smallFleet();
        s.start();
        assertThat(s.call("GET", "/api/v1/awards/award-b", null).json().get("tenant").asString()).isEqualTo("org-b");
        assertThat(fileChangesAudited()).isZero();
    }
}

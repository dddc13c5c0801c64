package kr.nuri.server;

import static org.assertj.core.api.Assertions.assertThat;

import tools.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * Tenancy finding 4 over HTTP: "No way to add an organisation or a project (POST /tenants is 404)". A programme manager
 * creates an organisation and a project while the server runs; the project gets tokens and runs jobs at once; the
 * creation is audited, and a snapshot with the journal's tail brings it back after a restart with the same state.
 */
class CreateTenantIT extends ServerTestCase {

    @Test
    void aProgrammeManagerCreatesAnOrganisationAndAProjectThatRunJobsAtOnce() {
        s.snapshotEvery = 5; // the restart below starts from a snapshot that holds the created tenants
        s.restartOn("small.yaml");
        String pm = s.token("pat", "programme_manager", null);
        String user = s.token("mallory", "user", "a1");
        assertThat(s.call("POST", "/api/v1/tenants", user, "{\"name\":\"org-c\",\"parent\":\"nation\"}").status()).as("a user may not").isEqualTo(403);
        TestServer.Response org = s.call("POST", "/api/v1/tenants", pm, "{\"name\":\"org-c\",\"parent\":\"nation\",\"weight\":2}");
        assertThat(org.status()).as(org.text()).isEqualTo(201);
        assertThat(org.json().get("parent").asString()).isEqualTo("nation");
        assertThat(s.call("POST", "/api/v1/tenants", pm, "{\"name\":\"c1\",\"parent\":\"org-c\"}").status()).isEqualTo(201);
        TestServer.Response dup = s.call("POST", "/api/v1/tenants", pm, "{\"name\":\"c1\",\"parent\":\"org-c\"}");
        assertThat(dup.status()).isEqualTo(400);
        assertThat(dup.text()).contains("exists already");
        TestServer.Response bad = s.call("POST", "/api/v1/tenants", pm, "{\"name\":\"c 2\",\"parent\":\"org-c\"}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("field").asString()).isEqualTo("name");

        // c1 owns no GPUs: its preemptible job borrows org-a's idle H100 (nothing is isolated in the small fleet).
        String carol = s.token("carol", "user", "c1");
        TestServer.Response job = s.call("POST", "/api/v1/jobs", carol, "{\"name\":\"c\",\"project\":\"c1\",\"gpus\":8,\"gpusPerNode\":8,"
                + "\"gpuModel\":\"H100\",\"priority\":\"scavenger\"}");
        assertThat(job.status()).as(job.text()).isEqualTo(201);
        JsonNode c = s.call("GET", "/api/v1/jobs/c", carol, null).json();
        assertThat(c.get("state").asString()).isEqualTo("RUNNING");
        assertThat(c.get("placement").get("borrowed").asBoolean()).isTrue();
        assertThat(s.call("GET", "/api/v1/tenants/c1", user, null).status()).as("a1's user does not see c1").isEqualTo(404);
        assertThat(s.call("GET", "/api/v1/audit?action=tenant.create", null).text()).contains("org-c", "c1", "pat", "parent=org-c");

        long before = s.restartOn("small.yaml");
        assertThat(s.server.recovery().stateHash()).as("the snapshot and the journal rebuild it").isEqualTo(before);
        assertThat(s.server.recovery().snapshotSeq()).as("from a snapshot taken after the creations").isPositive();
        assertThat(s.call("GET", "/api/v1/jobs/c", carol, null).json().get("state").asString()).isEqualTo("RUNNING");
        assertThat(s.call("POST", "/api/v1/jobs", carol, "{\"name\":\"c2\",\"project\":\"c1\",\"gpus\":1,\"gpuModel\":\"H100\",\"priority\":\"scavenger\"}")
                .status()).isEqualTo(201);
        // Once more: the rows after the snapshot name c1, whose creation only the snapshot holds.
        long again = s.restartOn("small.yaml");
        assertThat(s.server.recovery().stateHash()).isEqualTo(again);
        assertThat(s.call("GET", "/api/v1/jobs/c2", carol, null).status()).isEqualTo(200);
    }
}

package kr.nuri.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Issue 17's operator verbs over HTTP: "nuri hold|release|requeue JOB". A user holds and releases their own waiting job,
 * not another tenant's (answered as a job that does not exist), and not one an operator held; an operator requeues a running job, audited; a user
 * shortens a walltime ("nuri update job ID --time T"), only an operator lengthens it.
 */
class HoldJobIT extends ServerTestCase {

    @Test
    void holdReleaseAndRequeue() {
        String alice = s.token("alice", "user", "a1");
        String bob = s.token("bob", "user", "b1");
        assertThat(s.call("POST", "/api/v1/jobs", alice, "{\"name\":\"big\",\"project\":\"a1\",\"gpus\":64,\"gpusPerNode\":8,\"gpuModel\":\"H100\"}").status())
                .isEqualTo(201);
        assertThat(s.call("POST", "/api/v1/jobs", alice, "{\"name\":\"next\",\"project\":\"a1\",\"gpus\":64,\"gpusPerNode\":8,\"gpuModel\":\"H100\"}").status())
                .isEqualTo(201);
        assertThat(s.call("POST", "/api/v1/jobs/next/hold", bob, null).status()).as("another tenant's job").isEqualTo(404);
        TestServer.Response held = s.call("POST", "/api/v1/jobs/next/hold", alice, null);
        assertThat(held.status()).as(held.text()).isEqualTo(200);
        assertThat(held.json().get("pendingReason").asString()).isEqualTo("HELD");
        assertThat(s.call("POST", "/api/v1/jobs/next/hold", alice, null).text()).contains("held already");
        assertThat(s.call("POST", "/api/v1/jobs/big/hold", alice, null).text()).contains("only a waiting job is held");
        assertThat(s.call("POST", "/api/v1/jobs/next/release", alice, null).json().get("pendingReason").asString()).isNotEqualTo("HELD");

        TestServer.Response requeued = s.call("POST", "/api/v1/jobs/big/requeue", null);
        assertThat(requeued.status()).as(requeued.text()).isEqualTo(200);
        assertThat(requeued.json().get("runs").asInt()).isEqualTo(2);
        assertThat(s.call("GET", "/api/v1/audit?action=job.requeue", null).text()).contains("of alice", "RUNNING");
        // update --time: a user shortens their job's walltime, only an operator lengthens it.
        TestServer.Response shorter = s.call("PATCH", "/api/v1/jobs/next", alice, "{\"walltime\":3600}");
        assertThat(shorter.status()).as(shorter.text()).isEqualTo(200);
        assertThat(shorter.json().get("walltime").asLong()).isEqualTo(3600);
        assertThat(s.call("PATCH", "/api/v1/jobs/next", alice, "{\"walltime\":7200}").status()).as("a user may not lengthen").isEqualTo(403);
        assertThat(s.call("PATCH", "/api/v1/jobs/next", "{\"walltime\":7200}").json().get("walltime").asLong()).isEqualTo(7200);
        assertThat(s.call("PATCH", "/api/v1/jobs/next", "{\"walltime\":0}").json().get("field").asString()).isEqualTo("walltime");
        assertThat(s.call("GET", "/api/v1/audit?action=job.update", null).text()).contains("walltime=3600", "walltime=7200");
        // An operator's hold is released by an operator only (Slurm's admin hold); the owner's own hold by the owner.
        assertThat(s.call("POST", "/api/v1/jobs/next/hold", null).status()).isEqualTo(200);
        TestServer.Response refused = s.call("POST", "/api/v1/jobs/next/release", alice, null);
        assertThat(refused.status()).as(refused.text()).isEqualTo(403);
        assertThat(refused.text()).contains("held by operator", "only an operator may release it");
        assertThat(s.call("GET", "/api/v1/jobs/next", alice, null).json().get("pendingReason").asString()).isEqualTo("HELD");
        assertThat(s.call("POST", "/api/v1/jobs/next/release", null).status()).isEqualTo(200);
        assertThat(s.call("POST", "/api/v1/jobs/next/hold", alice, null).status()).isEqualTo(200);
        assertThat(s.call("POST", "/api/v1/jobs/next/release", alice, null).status()).as("after the operator released it, the owner's own hold").isEqualTo(200);
        long hash = s.restartOn("small.yaml");
        assertThat(s.server.recovery().stateHash()).isEqualTo(hash);
    }
}

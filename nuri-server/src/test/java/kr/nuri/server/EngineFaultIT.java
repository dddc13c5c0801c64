package kr.nuri.server;

import static org.assertj.core.api.Assertions.assertThat;


import java.util.concurrent.TimeUnit;


import org.junit.jupiter.api.Test;





/**
 * An engine that throws part-way through a command (a bug: here an invariant check that finds the quota book
 * tampered with, after the command's first event was already applied in memory) must never serve a state the
 * journal does not hold: the server stops taking requests, answers the command as not stored, and a restart
 * recovers exactly what was acknowledged.
 */
class EngineFaultIT extends ServerTestCase {
    @Test
    void aCommandThatFailsPartWayStopsTheServerAndNothingUnjournaledIsServed() throws Exception {
        assertThat(s.call("POST", "/api/v1/jobs", "{\"project\":\"a1\",\"gpus\":8,\"walltime\":3600}").status()).isEqualTo(201);
        String acknowledged = s.call("GET", "/api/v1/jobs", null).json().get("jobs").get(0).get("id").asString();
        // The bug: the quota book no longer matches the running jobs, so the FULL check throws after the next
        // command's JobSubmitted was replayed into memory.
        s.server.loop().submit(session -> {
            session.engine().state().quota().addUsage(session.engine().state().tenants().index("a1"), 0, 1);
            return null;
        }).get(10, TimeUnit.SECONDS);

        TestServer.Response failed = s.call("POST", "/api/v1/jobs", "{\"project\":\"a2\",\"gpus\":8,\"walltime\":3600}");
        assertThat(failed.status()).as(failed.text()).isEqualTo(503);
        assertThat(failed.text()).contains("not stored");
        // Nothing more is served from memory that has run ahead of the journal.
        assertThat(s.call("GET", "/api/v1/jobs", null).status()).isEqualTo(503);
        assertThat(s.call("GET", "/healthz", null).json().get("status").asString()).isEqualTo("stopped");
        assertThat(s.server.loop().failure()).isNotNull();

        s.stop();
        s.start();
        var jobs = s.call("GET", "/api/v1/jobs", null).json().get("jobs");
        assertThat(jobs).as("the jobs after a restart: only the acknowledged one").hasSize(1);
        assertThat(jobs.get(0).get("id").asString()).isEqualTo(acknowledged);
    }
}

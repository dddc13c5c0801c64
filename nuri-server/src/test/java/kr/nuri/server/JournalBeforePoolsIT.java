package kr.nuri.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import tools.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store written by the build before pools (journal format 2 naming GPU models; see
 * {@code sqlite-store-before-pools/README.md}) still starts: its starts and reservations read as the pool of their
 * nodes, its runtime quota as the pool of that model its tenant's line owns, every job where it was.
 */
class JournalBeforePoolsIT {
    @TempDir
    Path dir;

    private JsonNode job(TestServer s, String id) {
        return s.call("GET", "/api/v1/jobs/" + id, null).json();
    }

    @Test
    void aStoreOfTheBuildBeforePoolsStartsWithEveryJobInItsPool() throws IOException {
        for (String f : new String[] {"nuri.db", "operator-token"}) {
            try (InputStream in = getClass().getResourceAsStream("/sqlite-store-before-pools/" + f)) {
                Files.copy(in, dir.resolve(f));
            }
        }
        try (TestServer s = new TestServer(TestStore.SQLITE, dir)) {
            s.clock = () -> 1_796_632_850_000L; // just after the fixture's last event: no walltime has run out
            s.start();
            s.operatorToken = Files.readString(dir.resolve("operator-token")).strip();
            JsonNode j0 = job(s, "job-0").get("placement");
            assertThat(j0.get("pool").asString()).isEqualTo("H100@org-a");
            assertThat(j0.get("borrowed").asBoolean()).isFalse();
            assertThat(job(s, "job-1").get("placement").get("pool").asString()).isEqualTo("B200@org-b");
            assertThat(job(s, "job-2").get("placement").get("nodes").size()).isEqualTo(7);
            assertThat(job(s, "job-3").get("state").asString()).isEqualTo("PENDING");
            JsonNode a2 = s.call("GET", "/api/v1/tenants/a2", null).json().get("quotas").get(0);
            assertThat(a2.get("pool").asString()).isEqualTo("H100@org-a");
            assertThat(a2.get("nominal").asInt()).isEqualTo(56);
            assertThat(s.call("GET", "/api/v1/nodes/b-2-r2-n4", null).json().get("health").asString()).isEqualTo("DRAIN");
            // It goes on: new rows name pools, and a restart reads both kinds.
            assertThat(s.call("POST", "/api/v1/jobs", "{\"name\":\"later\",\"project\":\"b1\",\"gpus\":8,\"gpusPerNode\":8,\"gpuModel\":\"B200\"}").status())
                    .isEqualTo(201);
            NuriServer stopped = s.server;
            s.stop();
            long hash = stopped.stateHash();
            s.start();
            assertThat(s.server.recovery().stateHash()).isEqualTo(hash);
            assertThat(job(s, "job-0").get("placement").get("pool").asString()).isEqualTo("H100@org-a");
        }
    }
}

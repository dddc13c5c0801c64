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
 * A store written by the build before stable identity (journal format 1: positions in the fleet file; see
 * {@code sqlite-store-2026-12/README.md}) still starts, verified at its checkpoints with the hash that build recorded,
 * with every job where it was; and from then on a reordered file moves nothing, even for the old rows.
 */
class JournalFormat1IT {
    @TempDir
    Path dir;

    private JsonNode job(TestServer s, String id) {
        return s.call("GET", "/api/v1/jobs/" + id, null).json();
    }

    private String placement(TestServer s, String id) {
        JsonNode p = job(s, id).get("placement");
        StringBuilder b = new StringBuilder(p.get("model").asString());
        for (JsonNode share : p.get("nodes")) b.append(' ').append(share.get("node").asString());
        return b.toString();
    }

    @Test
    void aStoreOfTodaysBuildStartsAndThenSurvivesAReorderedFile() throws IOException {
        for (String f : new String[] {"nuri.db", "operator-token"}) {
            try (InputStream in = getClass().getResourceAsStream("/sqlite-store-2026-12/" + f)) {
                Files.copy(in, dir.resolve(f));
            }
        }
        try (TestServer s = new TestServer(TestStore.SQLITE, dir)) {
            // Its clock stands just after the fixture's last event, so that no walltime of its jobs has run out.
            s.clock = () -> 1_796_619_870_000L;
            s.start();
            s.operatorToken = Files.readString(dir.resolve("operator-token")).strip();
            NuriServer.Recovery r = s.server.recovery();
            assertThat(r.snapshotSeq()).as("its snapshot at event 13, of format 1, on the same file").isEqualTo(13);
            assertThat(r.checkpointsVerified()).as("checkpoint 17, with the positional hash that build recorded").isEqualTo(1);
            assertThat(placement(s, "job-0")).isEqualTo("H100 h-1-r1-n1 h-1-r1-n2");
            assertThat(placement(s, "job-1")).isEqualTo("B200 b-1-r1-n1");
            assertThat(job(s, "job-5").get("state").asString()).isEqualTo("PENDING");
            assertThat(s.call("GET", "/api/v1/nodes/b-2-r2-n4", null).json().get("health").asString()).isEqualTo("DRAIN");
            assertThat(s.call("GET", "/api/v1/nodes/b-2-r2-n3", null).json().get("health").asString()).isEqualTo("DOWN");
            assertThat(s.call("GET", "/api/v1/tenants/a2", null).json().get("quotas").get(0).get("nominal").asInt()).isEqualTo(72);
            long hash = s.server.stateHash();
            // New rows are of format 2; the old ones are read through the fleet they were written on.
            assertThat(s.call("POST", "/api/v1/jobs", "{\"name\":\"later\",\"project\":\"b1\",\"gpus\":8,\"gpusPerNode\":8,\"gpuModel\":\"B200\"}").status())
                    .isEqualTo(201);
            String later = placement(s, s.id("later"));
            NuriServer stopped = s.server;
            s.stop();
            long after = stopped.stateHash();
            assertThat(after).isNotEqualTo(hash);
            s.config = TestServer.fleet("small-reordered.yaml");
            s.start();
            assertThat(s.server.recovery().snapshotSeq()).as("snapshots hold positions: not used under another order").isZero();
            assertThat(s.server.recovery().stateHash()).isEqualTo(after);
            assertThat(placement(s, "job-0")).isEqualTo("H100 h-1-r1-n1 h-1-r1-n2");
            assertThat(placement(s, "job-1")).isEqualTo("B200 b-1-r1-n1");
            assertThat(placement(s, s.id("later"))).isEqualTo(later);
            assertThat(s.call("GET", "/api/v1/tenants/a2", null).json().get("quotas").get(0).get("nominal").asInt()).isEqualTo(72);
        }
    }
}

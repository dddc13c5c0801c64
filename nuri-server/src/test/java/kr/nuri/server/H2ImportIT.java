package kr.nuri.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import kr.nuri.config.FleetConfigReader;
import kr.nuri.core.config.AssertionLevel;
import kr.nuri.server.journal.Database;
import kr.nuri.server.journal.EventCodec;
import kr.nuri.server.journal.legacy.H2Import;
import kr.nuri.server.loop.LoopSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data directories that the build before SQLite wrote (embedded H2 plus its write-ahead file): {@code nuri serve}
 * imports their journal into SQLite, verified against the hashes the old server recorded, keeps the old files, and
 * never starts empty beside them.
 */
class H2ImportIT {
    @TempDir
    Path dir;

    private void fixture(String name, String... files) throws IOException {
        for (String f : files) {
            try (InputStream in = getClass().getResourceAsStream("/" + name + "/" + f)) {
                Files.copy(in, dir.resolve(f));
            }
        }
    }

    private ServerOptions options(kr.nuri.config.NuriConfig config) {
        return new ServerOptions(config, "127.0.0.1", 0, null, null, null, dir, new LoopSettings(3_600_000, 20, 1_000_000, 100_000, 5_000),
                AssertionLevel.FULL, 15_000);
    }

    @Test
    void aCleanlyStoppedH2StoreIsImportedWithItsStateHashTokensAndJobs() throws Exception {
        fixture("h2-store-2026-12", "nuri.mv.db", "nuri.wal", "operator-token");
        String token = Files.readString(dir.resolve("operator-token")).strip();
        try (TestServer s = new TestServer(TestStore.SQLITE, dir)) {
            s.server = NuriServer.start(options(TestServer.smallFleet()));
            H2Import.Summary imported = s.server.imported();
            assertThat(imported).as("an import at start").isNotNull();
            assertThat(imported.stateHash()).as("the hash the old server printed when it stopped").isEqualTo(0x284014edf8964e4cL);
            assertThat(imported.checkpointsVerified()).as("the old server's checkpoints, verified").isPositive();
            assertThat(s.server.recovery().checkpointsVerified()).as("the old checkpoints again, on the imported rows (format 1)")
                    .isEqualTo(imported.checkpointsVerified());
            assertThat(s.server.recovery().events()).isEqualTo(imported.events());
            // The old tokens work; the jobs are there.
            TestServer.Response jobs = s.call("GET", "/api/v1/jobs?limit=1000", token, null);
            assertThat(jobs.status()).as(jobs.text()).isEqualTo(200);
            assertThat(jobs.json().get("count").asInt()).isEqualTo(32);
            assertThat(s.call("GET", "/api/v1/nodes/h-1-r1-n1", token, null).json().get("health").asString()).isEqualTo("DRAIN");
            s.stop();
            assertThat(dir.resolve("nuri.mv.db")).as("the old files are kept").exists();
            assertThat(dir.resolve("nuri.db")).exists();
            // The next start recovers from SQLite and imports nothing again.
            s.server = NuriServer.start(options(TestServer.smallFleet()));
            assertThat(s.server.imported()).isNull();
            assertThat(s.server.recovery().events()).isGreaterThanOrEqualTo(imported.events());
        }
    }

    @Test
    void anH2StoreKilledMidCommitIsImportedWithEveryRowOfItsWriteAheadFile() throws Exception {
        // As a crash test left it (H2 2.5.252, SIGKILL mid-commit): its journal shows events 1..2136, the write-ahead file
        // holds 1995..2138, and event 2137 was committed but left "committing" (an insert of it again spun forever).
        fixture("h2-killed-mid-commit", "nuri.mv.db", "nuri.wal");
        var config = FleetConfigReader.parse("crash.yaml", new String(getClass().getResourceAsStream("/h2-killed-mid-commit/crash.yaml")
                .readAllBytes(), StandardCharsets.UTF_8)).engine().withAssertions(AssertionLevel.FULL);
        try (Database db = Database.open(Database.embeddedUrl(dir), null, null)) {
            assertThat(H2Import.due(dir, db)).isTrue();
            H2Import.Summary s = assertTimeoutPreemptively(Duration.ofSeconds(60),
                    () -> H2Import.run(dir, db, EventCodec.format1(Json.mapper(), kr.nuri.server.journal.FleetIdentity.of(config)), config));
            assertThat(s.events()).isEqualTo(2138);
            // Compaction (as the old build did at start) finishes the half-done commit; the file's rows are then all in H2.
            assertThat(s.rowsFromWriteAheadFile()).as("rows only the write-ahead file held").isBetween(0, 2138 - 1995 + 1);
            assertThat(s.checkpointsVerified()).isPositive();
            List<Long> seqs = db.jdbi().withHandle(h -> h.createQuery("SELECT seq FROM journal ORDER BY seq").mapTo(Long.class).list());
            for (int i = 0; i < seqs.size(); i++) assertThat(seqs.get(i)).isEqualTo(i + 1L);
            assertThat(H2Import.due(dir, db)).as("done once").isFalse();
        }
    }

    @Test
    void aStoreOfAnotherFleetIsRefusedAndNothingIsKept() throws Exception {
        fixture("h2-store-2026-12", "nuri.mv.db", "nuri.wal");
        var other = FleetConfigReader.parse("crash.yaml", new String(getClass().getResourceAsStream("/h2-killed-mid-commit/crash.yaml")
                .readAllBytes(), StandardCharsets.UTF_8));
        try (Database db = Database.open(Database.embeddedUrl(dir), null, null)) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> H2Import.run(dir, db, EventCodec.format1(Json.mapper(), kr.nuri.server.journal.FleetIdentity.of(other.engine())), other.engine()))
                    .hasMessageContaining("was not imported");
            assertThat(H2Import.due(dir, db)).as("the copy was not kept: a later start tries again").isTrue();
        }
        assertThat(dir.resolve("nuri.mv.db")).exists();
    }
}

package kr.nuri.server.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real embedded database as a crash test left it (H2 2.5.252, killed with SIGKILL mid-commit): its journal shows
 * events 1..2136, the write-ahead file holds 1995..2138, and event 2137 was committed but left "committing". No
 * query shows it, and inserting it again made H2 retry forever at 100% CPU: the server never started.
 */
class EmbeddedRecoveryTest {
    @TempDir
    Path dir;

    @Test
    void aDatabaseKilledMidCommitOpensWithEveryRowOfItsWriteAheadFile() throws Exception {
        for (String f : List.of("nuri.mv.db", "nuri.wal")) {
            try (InputStream in = getClass().getResourceAsStream("/h2-killed-mid-commit/" + f)) {
                Files.copy(in, dir.resolve(f));
            }
        }
        String url = Database.embeddedUrl(dir);
        List<Long> seqs = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            try (Database db = Database.open(url, null, null, Database.journalFileFor(url))) {
                return db.jdbi().withHandle(h -> h.createQuery("SELECT seq FROM journal ORDER BY seq").mapTo(Long.class).list());
            }
        }, "opening the database (H2 spins on a commit left half-finished unless SHUTDOWN COMPACT finishes it)");
        assertThat(seqs).hasSize(2138);
        for (int i = 0; i < seqs.size(); i++) assertThat(seqs.get(i)).isEqualTo(i + 1L);
        assertThat(JournalFile.readSegments(Database.journalFileFor(url))).as("emptied once H2 holds every row").isEmpty();
    }
}

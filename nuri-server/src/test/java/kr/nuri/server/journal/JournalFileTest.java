package kr.nuri.server.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalFileTest {
    @TempDir
    Path dir;

    @Test
    void rowsComeBackInOrderAndAnInterruptedLastWriteIsIgnored() throws Exception {
        Path f = dir.resolve("nuri.wal");
        try (JournalFile file = JournalFile.open(f, 1 << 20)) {
            file.append(List.of(
                    JournalFile.Row.event(1, 10, "JobSubmitted", "{\"id\":\"a\",\"note\":\"tab\\tand newline\\n escaped\"}"),
                    JournalFile.Row.event(2, 11, "JobStarted", "{\"id\":\"a\"}"),
                    JournalFile.Row.checkpoint(2, -42L, 1_000)));
        }
        Files.writeString(f, "E\t3\t12\tJobSubm", java.nio.file.StandardOpenOption.APPEND); // killed mid-write
        List<JournalFile.Row> rows = JournalFile.read(f);
        assertThat(rows).hasSize(3);
        assertThat(rows.get(0)).isEqualTo(new JournalFile.Row(1, 10, "JobSubmitted", "{\"id\":\"a\",\"note\":\"tab\\tand newline\\n escaped\"}", 0));
        assertThat(rows.get(1).event()).isTrue();
        assertThat(rows.get(2)).isEqualTo(new JournalFile.Row(2, 1_000, null, null, -42L));
        JournalFile.truncate(f);
        assertThat(JournalFile.read(f)).isEmpty();
        assertThat(JournalFile.read(dir.resolve("missing.wal"))).isEmpty();
    }

    @Test
    void aDamagedLineNamesTheFileAndTheLine() throws Exception {
        Path f = dir.resolve("nuri.wal");
        Files.writeString(f, "E\t1\t10\tJobSubmitted\t{}\nX\tgarbage\n");
        assertThatThrownBy(() -> JournalFile.read(f)).hasMessageContaining(f.toString()).hasMessageContaining("line 2")
                .hasMessageContaining("garbage");
        StringBuilder out = new StringBuilder();
        assertThatThrownBy(() -> JournalFile.format(out, JournalFile.Row.event(1, 1, "K", "raw\ttab"))).hasMessageContaining("event 1");
    }

    @Test
    void segmentsRotateKeepingTheNewestTwoAndReadBackInOrder() throws Exception {
        Path f = dir.resolve("nuri.wal");
        long seq = 1;
        try (JournalFile file = JournalFile.open(f, 1_000)) {
            for (int group = 0; group < 200; group++) {
                List<JournalFile.Row> rows = new java.util.ArrayList<>();
                for (int i = 0; i < 1 + group % 4; i++) rows.add(JournalFile.Row.event(seq++, group, "JobSubmitted", "{\"id\":\"j" + seq + "\"}"));
                file.append(rows);
                if (file.rotationDue()) file.rotate();
                assertThat(Files.size(f)).as("the current segment stays near its size").isLessThan(1_000 + 200);
                assertThat(Files.exists(dir.resolve("nuri.wal.2"))).isFalse();
            }
        }
        List<JournalFile.Row> rows = JournalFile.readSegments(f);
        assertThat(Files.exists(JournalFile.previous(f))).isTrue();
        // The two newest segments, in order and without a gap, ending with the last row written.
        assertThat(rows.getLast().seq()).isEqualTo(seq - 1);
        for (int i = 1; i < rows.size(); i++) assertThat(rows.get(i).seq()).isEqualTo(rows.get(i - 1).seq() + 1);
        assertThat(rows.size()).isBetween(10, 2 * 1_200 / 40);

        JournalFile.truncate(f);
        assertThat(JournalFile.readSegments(f)).isEmpty();
        assertThat(Files.exists(JournalFile.previous(f))).isFalse();
    }

    @Test
    void aRotationCutShortByAKillLeavesReadableSegments() throws Exception {
        Path f = dir.resolve("nuri.wal");
        Path older = JournalFile.previous(f);
        Files.writeString(older, "E\t1\t10\tJobSubmitted\t{}\n");
        Files.writeString(f, "E\t2\t11\tJobSubmitted\t{}\n");
        // Killed after the older segment was deleted, before the rename: the current one alone.
        Files.delete(older);
        assertThat(JournalFile.readSegments(f)).extracting(JournalFile.Row::seq).containsExactly(2L);
        // Killed after the rename, before the new segment was created: the older one alone.
        Files.move(f, older);
        assertThat(JournalFile.readSegments(f)).extracting(JournalFile.Row::seq).containsExactly(2L);
        try (JournalFile file = JournalFile.open(f, 4_096)) {
            file.append(List.of(JournalFile.Row.event(3, 12, "JobSubmitted", "{}")));
        }
        assertThat(JournalFile.readSegments(f)).extracting(JournalFile.Row::seq).containsExactly(2L, 3L);
    }
}

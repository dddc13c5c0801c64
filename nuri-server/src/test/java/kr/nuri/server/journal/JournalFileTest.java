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
        try (JournalFile file = JournalFile.open(f)) {
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
}

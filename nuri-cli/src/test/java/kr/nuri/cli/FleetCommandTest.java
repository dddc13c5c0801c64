package kr.nuri.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Found by trying the CLI (issue 17): with long model names, {@code nuri fleet} ran its columns together
 * ({@code A10A100-SXM4-80GBA800-SXM4-80GB}), and it took a block of mixed explicit racks for its first rack times
 * its racks (3,968 GPUs said for a block of 1,558).
 */
class FleetCommandTest {
    @Test
    void longModelNamesKeepTheirColumnsApartAndMixedRacksAreCountedAsTheyAre() throws Exception {
        Path file = Path.of(getClass().getResource("/long-models.yaml").toURI());
        StringWriter text = new StringWriter();
        CommandLine cli = new CommandLine(new FleetCommand());
        cli.setOut(new PrintWriter(text));
        assertThat(cli.execute("--fleet", file.toString())).isZero();
        String out = text.toString();
        assertThat(out).contains(" A100-SXM4-80GB A800-SXM4-80GB  GPU-series-1");
        assertThat(out).contains("a-very-long-owner-name-indeed ");
        assertThat(out).contains("2 racks of mixed nodes (3 nodes) =     14 GPUs in block m");
        assertThat(out).doesNotContain("x  2 nodes x 8 GPUs =     32");
    }
}

package kr.nuri.sim.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportWriterTest {
    @TempDir
    Path dir;

    private static Report sample() {
        Report r = new Report("t <&> \"q\"");
        r.note("a note");
        r.summary().put("b", 2);
        r.summary().put("a", 1.5);
        r.table(new Report.Table("x.csv", "X", List.of("name", "value"), List.of(List.of("p,q", 1.25), List.of("r", 2)), true));
        r.chart(new Report.Chart("C", "x", "y", List.of(new Report.Series("s", new double[] {0, 1, 2}, new double[] {0, 3, 1})), false, false));
        return r;
    }

    @Test
    void writesTheSameBytesEveryTimeAndAnOfflinePage() throws Exception {
        ReportWriter.write(sample(), dir.resolve("one"));
        ReportWriter.write(sample(), dir.resolve("two"));
        for (String f : List.of("summary.json", "x.csv", "report.html")) {
            assertThat(Files.readAllBytes(dir.resolve("one").resolve(f))).as(f).isEqualTo(Files.readAllBytes(dir.resolve("two").resolve(f)));
        }
        assertThat(Files.readString(dir.resolve("one/summary.json"))).contains("\"b\" : 2").containsSubsequence("\"b\"", "\"a\"");
        assertThat(Files.readString(dir.resolve("one/x.csv"))).isEqualTo("name,value\n\"p,q\",1.25\nr,2\n");
        String html = Files.readString(dir.resolve("one/report.html"));
        assertThat(html).contains("<svg").contains("t &lt;&amp;&gt; &quot;q&quot;").doesNotContain("<script").doesNotContain("src=", "href=", "@import");
    }
}

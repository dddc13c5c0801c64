package kr.nuri.sim.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 19: report.html's axes tick at round numbers, and long tables are linked, not inlined. */
class HtmlTest {
    private static List<String> labels(List<Double> ticks, double step) {
        return ticks.stream().map(t -> Html.label(t, step)).toList();
    }

    @Test
    void linearAxesTickAtRoundNumbers() {
        // The national run's hour axis was labelled 540.60, 1081.20, …
        double step = Html.step(2703);
        assertThat(step).isEqualTo(500);
        assertThat(labels(Html.ticks(0, 2703, step), step)).containsExactly("0", "500", "1,000", "1,500", "2,000", "2,500");
        double small = Html.step(0.37);
        assertThat(labels(Html.ticks(0, 0.37, small), small)).containsExactly("0.00", "0.05", "0.10", "0.15", "0.20", "0.25", "0.30", "0.35");
    }

    @Test
    void logAxesTickAtPowersOfTenOrOneTwoFive() {
        // It was labelled 0.11, 1.24, 13.75.
        List<Double> ticks = Html.logTicks(Math.log10(0.11), Math.log10(13.75));
        List<String> shown = new ArrayList<>();
        for (double t : ticks) shown.add(Html.label(Math.pow(10, t), Math.pow(10, t)));
        assertThat(shown).containsExactly("0.2", "0.5", "1", "2", "5", "10");
        List<Double> wide = Html.logTicks(Math.log10(0.005), Math.log10(2000));
        assertThat(wide.stream().map(t -> Html.label(Math.pow(10, t), Math.pow(10, t))).toList()).containsExactly("0.01", "0.1", "1", "10", "100", "1,000");
    }

    @Test
    void aTableOfThousandsOfRowsIsLinkedNotInlined() {
        Report r = new Report("t");
        List<List<Object>> rows = new ArrayList<>();
        for (int i = 0; i < 5000; i++) rows.add(List.of(i));
        r.table(new Report.Table("jobs.csv", "Per job", List.of("job"), rows, false));
        r.table(new Report.Table("small.csv", "Few", List.of("x"), List.of(List.of(7)), false));
        String html = Html.render(r);
        assertThat(html).contains("5,000 rows: <a href=\"jobs.csv\">jobs.csv</a>").doesNotContain("<td>4999</td>").contains("<td>7</td>");
    }
}

package kr.nuri.sim.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Issue 19: the steady window, hand-computed: warm-up the first tenth of the arrivals' span, until the last arrival. */
class SteadyWindowTest {
    private static final long H = 3600;

    @Test
    void figuresOverTheWindowLeaveOutTheFillAndTheDrain() {
        // Arrivals until hour 20: warm-up hours 0-1 (2 h = a tenth of 20), window hours 2 to 20.
        List<JobOutcome> jobs = List.of(
                new JobOutcome("a", "p1", 4, 0, 0, 30 * H, true, 0, 30 * H),                 // class A: 4 GPUs, the whole window (18 h)
                new JobOutcome("b", "p2", 2, 5 * H, 6 * H, 15 * H, true, 0, 9 * H),          // class B: waited 1 h, held 9 h
                new JobOutcome("c", "p2", 2, 10 * H, 10 * H, 12 * H, true, 0, 2 * H),        // class B: no wait, held 2 h
                new JobOutcome("d", "p1", 1, 20 * H, 23 * H, 24 * H, true, 0, H));           // the last arrival, at the window's end
        double[] byHour = new double[30];
        java.util.Arrays.fill(byHour, 0, 2, 1);   // fill
        java.util.Arrays.fill(byHour, 2, 20, 6);  // steady: 6 of 8 GPUs
        java.util.Arrays.fill(byHour, 20, 30, 2); // drain
        SteadyWindow w = SteadyWindow.of(jobs, byHour, 8, p -> p.equals("p1") ? "A" : "B", Map.of("A", 4L, "B", 4L));
        assertThat(w.fromHour()).isEqualTo(2);
        assertThat(w.toHour()).isEqualTo(20);
        assertThat(w.utilisation()).isCloseTo(0.75, within(1e-9));
        assertThat(w.jobs()).as("b and c were submitted in it; d at its end is outside").isEqualTo(2);
        assertThat(w.meanWait()).isCloseTo(0.5 * H, within(1e-9));
        assertThat(w.useByClass().get("A")).as("4 GPUs all 18 h of 4 entitled").isCloseTo(1.0, within(1e-9));
        assertThat(w.useByClass().get("B")).as("2 GPUs for 9 h + 2 h of 4 × 18 GPU-hours").isCloseTo(22.0 / 72, within(1e-9));
        assertThat(w.jain()).isCloseTo(Fairness.jain(new double[] {1.0, 22.0 / 72}), within(1e-12));
    }

    @Test
    void aRunOfMinutesHasNoWindow() {
        List<JobOutcome> jobs = List.of(new JobOutcome("a", "p", 1, 0, 0, 60, true, 0, 60), new JobOutcome("b", "p", 1, 90, 90, 120, true, 0, 30));
        assertThat(SteadyWindow.of(jobs, new double[] {1}, 8, p -> "A", Map.of("A", 8L))).isNull();
    }
}

package kr.nuri.sim.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class StatsTest {
    @Test
    void meanAndSampleStandardDeviation() {
        double[] v = {2, 4, 4, 4, 5, 5, 7, 9};
        assertThat(Stats.mean(v)).isEqualTo(5.0);
        // Σ (x − 5)² = 32 over n − 1 = 7.
        assertThat(Stats.sampleSd(v)).isCloseTo(Math.sqrt(32.0 / 7), within(1e-12));
        assertThat(Stats.sampleSd(new double[] {3})).isZero();
        assertThat(Stats.mean(new double[0])).isNaN();
    }
}

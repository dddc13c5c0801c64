package kr.nuri.sim.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class FairnessTest {
    @Test
    void jainIsOneForEqualSharesAndOneOverNForAMonopoly() {
        assertThat(Fairness.jain(new double[] {0.4, 0.4, 0.4})).isCloseTo(1.0, within(1e-12));
        assertThat(Fairness.jain(new double[] {0.9, 0, 0, 0})).isCloseTo(0.25, within(1e-12));
        // (1 + 3)² / (2 · (1 + 9)) = 16 / 20.
        assertThat(Fairness.jain(new double[] {1, 3})).isCloseTo(0.8, within(1e-12));
        assertThat(Fairness.jain(new double[] {0, 0})).isEqualTo(1.0);
        assertThat(Fairness.jain(new double[0])).isNaN();
        assertThatThrownBy(() -> Fairness.jain(new double[] {-1})).hasMessageContaining("-1");
    }
}

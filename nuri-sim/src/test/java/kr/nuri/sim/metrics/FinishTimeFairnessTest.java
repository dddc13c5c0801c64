package kr.nuri.sim.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class FinishTimeFairnessTest {
    private static JobOutcome job(String id, int gpus, long submit, long start, long end, long runtime) {
        return new JobOutcome(id, "p", gpus, submit, start, end, end >= 0, gpus * (double) (end - start), runtime);
    }

    @Test
    void twoJobsOnTwiceTheirEntitlementShareIt() {
        // Entitlement 8 GPUs. a and b (8 GPUs, 100 s each) arrive together; a runs 0..100, b 100..200.
        // Demand: 16 GPUs over [0, 100), 8 over [100, 200).
        double[] r = FinishTimeFairness.ratios(List.of(job("a", 8, 0, 0, 100, 100), job("b", 8, 0, 100, 200, 100)), 8);
        // a: mean demand 16 → alone it would take 100 × 16/8 = 200; ρ = 100/200.
        // b: mean demand (16·100 + 8·100)/200 = 12 → 100 × 12/8 = 150; ρ = 200/150.
        assertThat(r).containsExactly(new double[] {0.5, 200.0 / 150}, within(1e-12));
        FinishTimeFairness f = FinishTimeFairness.of(r);
        assertThat(f.jobs()).isEqualTo(2);
        assertThat(f.worst()).isCloseTo(4.0 / 3, within(1e-12));
        assertThat(f.mean()).isCloseTo((0.5 + 4.0 / 3) / 2, within(1e-12));
        assertThat(f.shareAbove1()).isEqualTo(0.5);
    }

    @Test
    void aWaitWithinTheEntitlementIsUnfairAndAnImmediateStartIsExactlyOne() {
        // Entitlement 16: a 4-GPU job that waits 50 s and runs 100 s would have started at once on its own GPUs.
        double[] r = FinishTimeFairness.ratios(List.of(job("w", 4, 0, 50, 150, 100), job("n", 4, 200, 200, 300, 100)), 16);
        assertThat(r).containsExactly(new double[] {1.5, 1.0}, within(1e-12));
        assertThat(FinishTimeFairness.of(r).shareAbove1()).isEqualTo(0.5);
    }

    @Test
    void jobsThatNeverEndedCountAsDemandButAreNotMeasured() {
        // x (8 GPUs) never starts: its demand lasts to the horizon (300), doubling y's mean demand on an entitlement of 8.
        double[] r = FinishTimeFairness.ratios(List.of(job("x", 8, 0, -1, -1, 100), job("y", 8, 100, 100, 300, 200)), 8);
        assertThat(r).containsExactly(new double[] {200.0 / 400}, within(1e-12));
        FinishTimeFairness none = FinishTimeFairness.of(new double[0]);
        assertThat(none.jobs()).isZero();
        assertThat(none.worst()).isNaN();
        assertThatThrownBy(() -> FinishTimeFairness.ratios(List.of(), 0)).hasMessageContaining("entitled=0.0");
    }

    @Test
    void randomRunsNeverMeasureMoreJobsThanEndedAndARatioIsNeverBelowRuntimeOverIsolated() {
        var random = new java.util.SplittableRandom(11);
        for (int round = 0; round < 50; round++) {
            int n = 1 + random.nextInt(40);
            List<JobOutcome> jobs = new java.util.ArrayList<>();
            int ended = 0;
            for (int i = 0; i < n; i++) {
                long submit = random.nextInt(1000);
                long runtime = 1 + random.nextInt(500);
                boolean ran = random.nextInt(5) > 0;
                long start = ran ? submit + random.nextInt(300) : -1;
                jobs.add(job("j" + i, 1 + random.nextInt(16), submit, start, ran ? start + runtime : -1, runtime));
                if (ran) ended++;
            }
            double entitled = 1 + random.nextInt(64);
            double[] r = FinishTimeFairness.ratios(jobs, entitled);
            assertThat(r).hasSize(ended);
            // ρ = JCT / (runtime · max(1, D̄/E)), D̄ ≤ all GPUs asked: ρ ≥ JCT / (runtime · max(1, ΣGPUs/E)).
            double cap = Math.max(1, jobs.stream().mapToInt(JobOutcome::gpus).sum() / entitled);
            int k = 0;
            for (JobOutcome o : jobs) {
                if (o.end() < 0) continue;
                assertThat(r[k]).isPositive().isLessThanOrEqualTo((double) o.jct() / o.runtime() + 1e-9)
                        .isGreaterThanOrEqualTo((double) o.jct() / (o.runtime() * cap) - 1e-9);
                k++;
            }
        }
    }
}

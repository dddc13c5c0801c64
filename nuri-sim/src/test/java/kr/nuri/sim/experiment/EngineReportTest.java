package kr.nuri.sim.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Found by trying the simulator (issue 17): a run of seconds printed "JCT mean 0.01 h". Units follow the scale. */
class EngineReportTest {
    @Test
    void durationsArePrintedInTheUnitTheirScaleCallsFor() {
        assertThat(EngineReport.spread(30, 20, 50, 59)).isEqualTo("mean 30.00 s  p50 20.00 s  p95 50.00 s  p99 59.00 s");
        assertThat(EngineReport.spread(600, 300, 1200, 1800)).isEqualTo("mean 10.00 min  p50 5.00 min  p95 20.00 min  p99 30.00 min");
        assertThat(EngineReport.spread(22_000, 5_724, 43_992, 134_208)).isEqualTo("mean 6.11 h  p50 1.59 h  p95 12.22 h  p99 37.28 h");
    }
}

package kr.nuri.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import kr.nuri.core.config.EngineConfig;
import kr.nuri.core.fleet.FleetBuilder;
import kr.nuri.core.job.JobSpec;
import kr.nuri.core.tenancy.QuotaSpec;
import kr.nuri.core.tenancy.TenantSpec;
import kr.nuri.sim.metrics.Stats;
import kr.nuri.sim.metrics.Summary;
import kr.nuri.sim.workload.GavelWorkload;
import org.junit.jupiter.api.Test;

class SimulationTest {
    /** One 8-GPU node, one project with all of it. */
    private static EngineConfig oneNode() {
        var fleet = new FleetBuilder("one").site("s").block("b", "H100", "o").racks(1, 1, 8).build();
        return EngineConfig.of(fleet, List.of(new TenantSpec("root", null, 1, List.of()),
                new TenantSpec("p", "root", 1, List.of(new QuotaSpec("H100", 8, -1, -1)))));
    }

    @Test
    void aJobThatWaitsForAnotherHasTheFormulaeOfTheBook() {
        Summary s = new Simulation(oneNode(), 60).run(List.of(
                new Arrival(0, JobSpec.builder("a", "p").gpus(8).walltime(1000).runtime(100).build()),
                new Arrival(10, JobSpec.builder("b", "p").gpus(8).walltime(1000).runtime(50).build())));
        // a: 0 → 100 (JCT 100, delay 0); b waits for a: 100 → 150 (JCT 140, delay 90).
        assertThat(s.completed()).isEqualTo(2);
        assertThat(s.meanJct()).isEqualTo(120.0);
        assertThat(s.meanQueueingDelay()).isEqualTo(45.0);
        assertThat(s.p99QueueingDelay()).isEqualTo(90);
        assertThat(s.makespan()).isEqualTo(150);
        // 8 GPUs × (100 + 50) s over 8 GPUs × 150 s.
        assertThat(s.utilisation()).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void gpuSharesRunTogetherOnTheEngineWhileCpuAllows() {
        var fleet = new FleetBuilder("share").site("s").block("b", "T4", "o").rack("r").node("n", 2, 8_000, 65_536).build();
        EngineConfig config = EngineConfig.of(fleet, List.of(new TenantSpec("root", null, 1, List.of()),
                new TenantSpec("p", "root", 1, List.of(new QuotaSpec("T4", 100, -1, -1)))))
                .withAssertions(kr.nuri.core.config.AssertionLevel.FULL);
        List<Arrival> jobs = new java.util.ArrayList<>();
        // Six half-GPU shares of 1 core: two per GPU run at once (4), the other 2 wait 100 s.
        for (int i = 0; i < 6; i++) {
            jobs.add(new Arrival(0, JobSpec.builder("s" + i, "p").share(500).cpuMilli(1_000).walltime(1_000).runtime(100).build()));
        }
        // A CPU-only job of 5 cores: 4 are left while the four shares run, so it starts at 100 with the next shares.
        jobs.add(new Arrival(0, JobSpec.builder("cpu", "p").gang(1, 0).cpuMilli(5_000).walltime(1_000).runtime(50).build()));
        Summary s = new Simulation(config, 60).run(jobs);
        assertThat(s.completed()).isEqualTo(7);
        assertThat(s.makespan()).isEqualTo(200);
        assertThat(s.p99QueueingDelay()).isEqualTo(100);
        assertThat(s.meanQueueingDelay()).isCloseTo(300.0 / 7, within(1e-9));
    }

    @Test
    void aWhatIfChangeTakesEffectAtItsTime() {
        var fleet = new FleetBuilder("one").site("s").block("b", "H100", "o").racks(1, 1, 8).build();
        EngineConfig half = EngineConfig.of(fleet, List.of(new TenantSpec("root", null, 1, List.of()),
                new TenantSpec("p", "root", 1, List.of(new QuotaSpec("H100", 4, 0, -1)))));
        List<Arrival> job = List.of(new Arrival(0, JobSpec.builder("a", "p").gpus(8).walltime(1000).runtime(100).build()));
        Simulation without = new Simulation(half, 60);
        without.run(job);
        assertThat(without.outcomes().get(0).firstStart()).as("8 GPUs on a quota of 4: never").isEqualTo(-1);
        Simulation with = new Simulation(half, 60);
        with.change(new kr.nuri.core.command.Command.SetQuota(300, "p", "H100", 8, 0, -1));
        with.change(new kr.nuri.core.command.Command.SetQuota(300, "nobody", "H100", 8, 0, -1));
        with.run(job);
        // The quota grows at 300; the next full pass (every 60 s) starts the job.
        assertThat(with.outcomes().get(0).firstStart()).isBetween(300L, 360L);
        assertThat(with.refusedChanges()).singleElement().asString().contains("nobody");
    }

    @Test
    void allocationPerHourIntegratesWhatRan() {
        Simulation sim = new Simulation(oneNode(), 60);
        sim.run(List.of(new Arrival(1800, JobSpec.builder("a", "p").gpus(4).walltime(10_000).runtime(3600).build())));
        // 4 GPUs from 0:30 to 1:30: half of each of the first two hours.
        assertThat(sim.allocatedByHour()).containsExactly(2.0, 2.0);
        assertThat(sim.outcomes().get(0).gpuSeconds()).isEqualTo(4.0 * 3600);
        assertThat(sim.rejected()).isEmpty();
        sim = new Simulation(oneNode(), 60);
        sim.run(List.of(new Arrival(0, JobSpec.builder("b", "nope").gpus(1).walltime(60).runtime(60).build())));
        assertThat(sim.rejected()).singleElement().asString().contains("job b");
    }

    @Test
    void aJobRunningPastItsWalltimeIsEndedThereAndDoesNotCountAsCompleted() {
        Summary s = new Simulation(oneNode(), 60).run(List.of(
                new Arrival(0, JobSpec.builder("long", "p").gpus(4).walltime(100).runtime(500).build())));
        assertThat(s.completed()).isZero();
        assertThat(s.makespan()).isEqualTo(100);
        assertThat(s.utilisation()).isCloseTo(0.5, within(1e-9));
    }

    @Test
    void percentilesAreNearestRank() {
        long[] v = {5, 1, 4, 2, 3};
        assertThat(Stats.percentile(v, 0.5)).isEqualTo(3);
        assertThat(Stats.percentile(v, 0.2)).isEqualTo(1);
        assertThat(Stats.percentile(v, 0.21)).isEqualTo(2);
        assertThat(Stats.percentile(v, 1.0)).isEqualTo(5);
        assertThat(Stats.mean(v)).isEqualTo(3.0);
    }

    @Test
    void gavelMixHasItsPublishedMeansAndTheSameSeedGivesTheSameRun() {
        assertThat(GavelWorkload.meanGpus()).isCloseTo(1.9, within(1e-12));
        // 0.8 · 60(10^3 − 10^1.5)/(1.5 ln 10) + 0.2 · 60(10^4 − 10^3)/ln 10
        assertThat(GavelWorkload.meanDuration()).isCloseTo(60_364, within(5.0));
        var config = oneNode();
        var arrivals = GavelWorkload.generate(300, 0.8, 8, List.of("p"), 7);
        Summary first = new Simulation(config, 300).run(arrivals);
        Summary again = new Simulation(config, 300).run(GavelWorkload.generate(300, 0.8, 8, List.of("p"), 7));
        assertThat(again).isEqualTo(first);
        assertThat(first.completed()).isEqualTo(300);
        // The measured GPU-time is exactly the work offered (every job ran its runtime once): utilisation is that work
        // over the node's 8 GPUs for the whole makespan.
        double work = arrivals.stream().mapToDouble(a -> a.spec().totalGpus() * (double) a.spec().runtime()).sum();
        assertThat(first.utilisation()).isCloseTo(work / (8.0 * first.makespan()), within(1e-12));
    }
}

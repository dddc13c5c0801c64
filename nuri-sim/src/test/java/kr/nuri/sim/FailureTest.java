package kr.nuri.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import kr.nuri.core.config.EngineConfig;
import kr.nuri.core.fleet.FleetBuilder;
import kr.nuri.core.fleet.Health;
import kr.nuri.core.job.JobSpec;
import kr.nuri.core.tenancy.QuotaSpec;
import kr.nuri.core.tenancy.TenantSpec;
import kr.nuri.sim.metrics.FleetFragmentation;
import kr.nuri.sim.metrics.JobOutcome;
import kr.nuri.sim.metrics.Summary;
import kr.nuri.sim.workload.GavelWorkload;
import org.junit.jupiter.api.Test;

class FailureTest {
    /** 4 nodes of 8 GPUs, one project with all of them. */
    private static EngineConfig fourNodes() {
        var fleet = new FleetBuilder("four").site("s").block("b", "H100", "o").racks(1, 4, 8).build();
        return EngineConfig.of(fleet, List.of(new TenantSpec("root", null, 1, List.of()),
                new TenantSpec("p", "root", 1, List.of(new QuotaSpec("H100", 32, -1, -1)))));
    }

    @Test
    void failuresEndRunsWhichRequeueAndFinishAndTheSameSeedGivesTheSameRun() {
        List<Arrival> arrivals = GavelWorkload.generate(400, 0.9, 32, List.of("p"), 3);
        // A node fails every ~200 h on average: with 4 nodes, every ~50 h somewhere, against jobs of up to 167 h.
        Simulation sim = new Simulation(fourNodes(), 300);
        sim.failures(new FailureModel(200, 2, 9));
        Summary s = sim.run(arrivals);
        assertThat(sim.failures()).isPositive();
        assertThat(sim.interruptedRuns()).isPositive();
        assertThat(sim.lostGpuSeconds()).isPositive();
        // Every job requeued after a failure and finished in the end.
        assertThat(s.completed()).isEqualTo(400);
        assertThat(sim.engine().state().queue().size()).isZero();
        // The work lost is held GPU-time beyond the work offered.
        double offered = arrivals.stream().mapToDouble(a -> a.spec().totalGpus() * (double) a.spec().runtime()).sum();
        double held = sim.outcomes().stream().mapToDouble(JobOutcome::gpuSeconds).sum();
        assertThat(held).isCloseTo(offered + sim.lostGpuSeconds(), org.assertj.core.api.Assertions.within(1e-6 * held));

        Simulation again = new Simulation(fourNodes(), 300);
        again.failures(new FailureModel(200, 2, 9));
        assertThat(again.run(GavelWorkload.generate(400, 0.9, 32, List.of("p"), 3))).isEqualTo(s);
        assertThat(again.failures()).isEqualTo(sim.failures());
        assertThat(again.engine().state().hash()).isEqualTo(sim.engine().state().hash());

        Simulation none = new Simulation(fourNodes(), 300);
        Summary clean = none.run(arrivals);
        assertThat(none.failures()).isZero();
        assertThat(s.meanJct()).as("failures cost time").isGreaterThan(clean.meanJct());
    }

    @Test
    void checkpointsBoundTheWorkAFailureLoses() {
        List<Arrival> arrivals = GavelWorkload.generate(300, 0.9, 32, List.of("p"), 8);
        Simulation scratch = new Simulation(fourNodes(), 300);
        scratch.failures(new FailureModel(100, 2, 5));
        scratch.run(arrivals);
        Simulation kept = new Simulation(fourNodes(), 300);
        kept.failures(new FailureModel(100, 2, 5));
        kept.checkpointEvery(1800);
        Summary s = kept.run(arrivals);
        assertThat(s.completed()).isEqualTo(300);
        assertThat(kept.interruptedRuns()).isPositive();
        // A failure loses at most what its run did since the last checkpoint: under 30 min on its GPUs (Gavel: at most 8).
        assertThat(kept.lostGpuSeconds()).isLessThan(kept.interruptedRuns() * 1800.0 * 8);
        double offered = arrivals.stream().mapToDouble(a -> a.spec().totalGpus() * (double) a.spec().runtime()).sum();
        double held = kept.outcomes().stream().mapToDouble(JobOutcome::gpuSeconds).sum();
        assertThat(held).isCloseTo(offered + kept.lostGpuSeconds(), org.assertj.core.api.Assertions.within(1e-6 * held));
        assertThat(kept.lostGpuSeconds()).as("checkpoints keep work").isLessThan(scratch.lostGpuSeconds());
        assertThatThrownBy(() -> kept.checkpointEvery(-1)).hasMessageContaining("checkpoint interval -1 s");
    }

    @Test
    void aDownNodeTakesNoWorkAndEveryNodeIsUpOnceRepairsAreDone() {
        List<Arrival> arrivals = GavelWorkload.generate(200, 0.7, 32, List.of("p"), 5);
        Simulation sim = new Simulation(fourNodes(), 300);
        sim.failures(new FailureModel(20, 3, 2));
        List<String> violations = new ArrayList<>();
        Set<Integer> seenDown = new HashSet<>();
        sim.sampleEvery(600, (time, state) -> {
            for (int n = 0; n < state.fleet().nodeCount(); n++) {
                if (state.capacity().health(n) != Health.DOWN) continue;
                seenDown.add(n);
                if (!state.running().onNode(n).isEmpty()) violations.add("t=" + time + ": node " + n + " is down and runs jobs");
            }
        });
        sim.run(arrivals);
        assertThat(seenDown).isNotEmpty();
        assertThat(violations).isEmpty();
        var capacity = sim.engine().state().capacity();
        for (int n = 0; n < 4; n++) assertThat(capacity.health(n)).as("node " + n).isEqualTo(Health.UP);
    }

    @Test
    void aJobThatAskedNotToRequeueEndsWithItsNode() {
        var fleet = new FleetBuilder("one").site("s").block("b", "H100", "o").racks(1, 1, 8).build();
        EngineConfig one = EngineConfig.of(fleet, List.of(new TenantSpec("root", null, 1, List.of()),
                new TenantSpec("p", "root", 1, List.of(new QuotaSpec("H100", 8, -1, -1)))));
        Simulation sim = new Simulation(one, 60);
        // MTBF of 1 h on one node against a job of 100 h: it fails long before the end.
        sim.failures(new FailureModel(1, 1, 4));
        sim.run(List.of(new Arrival(0, JobSpec.builder("once", "p").gpus(8).walltime(400_000).runtime(360_000).requeue(false).build())));
        JobOutcome o = sim.outcomes().get(0);
        assertThat(o.completed()).isFalse();
        assertThat(o.end()).isPositive().isLessThan(360_000);
        assertThat(sim.interruptedRuns()).isEqualTo(1);
    }

    @Test
    void aModelNeedsPositiveTimes() {
        assertThatThrownBy(() -> new FailureModel(0, 4, 1)).hasMessageContaining("MTBF 0.0 hours");
        assertThatThrownBy(() -> new FailureModel(100, -1, 1)).hasMessageContaining("repair time -1.0 hours");
        assertThatThrownBy(() -> new FailureModel(Double.NaN, 4, 1)).hasMessageContaining("MTBF NaN");
    }

    @Test
    void fragmentationCountsIdleGpusTheMixCannotUse() {
        // Mix: half the jobs want 8 GPUs on a node, half want 1. A node with 4 GPUs free serves the 1-GPU tasks
        // but not the 8-GPU ones: 0.5 × 4 = 2 fragmented GPUs. A whole free node serves both; a full node has none.
        var config = fourNodes();
        List<Arrival> arrivals = List.of(
                new Arrival(0, JobSpec.builder("big", "p").gpus(8).walltime(1000).runtime(1000).build()),
                new Arrival(0, JobSpec.builder("half", "p").gpus(4).walltime(1000).runtime(1000).build()),
                new Arrival(0, JobSpec.builder("late", "p").gpus(8).walltime(1000).runtime(10).build()),
                new Arrival(0, JobSpec.builder("one", "p").gpus(1).walltime(1000).runtime(10).build()));
        // The mix is per member: 8, 4, 8, 1 → shares 8: 1/2, 4: 1/4, 1: 1/4.
        FleetFragmentation f = new FleetFragmentation(config.fleet(), arrivals);
        Simulation sim = new Simulation(config, 60);
        sim.sampleEvery(100, f);
        sim.run(arrivals);
        FleetFragmentation.Sample first = f.samples().get(0);
        assertThat(first.time()).isZero();
        // At 0, after that second's arrivals (best fit): big on node 0, half and one on node 1 (3 left), late on
        // node 2. Node 1's 3 free GPUs serve neither 8 nor 4: (1/2 + 1/4) × 3.
        assertThat(first.idleGpus()).isEqualTo(11);
        assertThat(first.fragmentedGpus()).isEqualTo(2.25);
        FleetFragmentation.Sample later = f.samples().get(1);
        // At 100: big (8) and half (4) run; late and one finished. Nodes: 0 free, 4 free, 8, 8 → the 4-free node
        // cannot serve the 8-GPU tasks (share 1/2): 2 fragmented GPUs.
        assertThat(later.time()).isEqualTo(100);
        assertThat(later.idleGpus()).isEqualTo(20);
        assertThat(later.fragmentedGpus()).isEqualTo(2.0);
    }
}

package kr.nuri.sim.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import kr.nuri.core.job.JobSpec;
import kr.nuri.sim.Arrival;
import kr.nuri.sim.metrics.JobOutcome;
import org.junit.jupiter.api.Test;

/** philly-vc's policies, each Nuri's engine with a queue order, on hand-computed timelines and a random mix. */
class PhillyPoliciesTest {
    private static Arrival job(String id, long submit, int gpus, long duration) {
        int per = Math.min(gpus, Philly.GPUS_PER_NODE);
        return new Arrival(submit, JobSpec.builder(id, "vc").gang(gpus / per, per).priorityClass(Philly.CLASS.name())
                .runtime(duration).walltime(duration).build());
    }

    private static PhillyExperiments.RunResult run(String policy, int nodes, List<Arrival> jobs) {
        return PhillyExperiments.simulate(policy, "vc", Philly.vcCluster("vc", nodes, policy), jobs, 600, 1);
    }

    private static JobOutcome outcome(PhillyExperiments.RunResult r, String id) {
        return r.outcomes().stream().filter(o -> o.id().equals(id)).findFirst().orElseThrow();
    }

    /** One 8-GPU node: a long 8-GPU job runs; a long and a short 8-GPU job wait behind it. */
    private static final List<Arrival> THREE = List.of(job("a", 0, 8, 100), job("long", 10, 8, 100), job("short", 20, 8, 10));

    @Test
    void fifoKeepsSubmitOrderSjfTakesTheShortFirst() {
        var fifo = run("fifo", 1, THREE);
        assertThat(outcome(fifo, "long").end()).isEqualTo(200);
        assertThat(outcome(fifo, "short").end()).isEqualTo(210);
        var sjf = run("sjf", 1, THREE);
        assertThat(outcome(sjf, "short").end()).isEqualTo(110);
        assertThat(outcome(sjf, "long").end()).isEqualTo(210);
        assertThat(sjf.summary().preemptions()).isZero();
    }

    @Test
    void srtfPreemptsForAShorterJobWhichResumesWithItsProgress() {
        var r = run("srtf", 1, List.of(job("a", 0, 8, 100), job("b", 50, 8, 10)));
        // b (10 s) preempts a (50 s left) at 50; a resumes at 60 with its 50 s to go.
        assertThat(outcome(r, "b").end()).isEqualTo(60);
        assertThat(outcome(r, "a").end()).isEqualTo(110);
        assertThat(r.summary().preemptions()).isEqualTo(1);
        // Both of a's runs count: 8 GPUs × (50 + 50) s.
        assertThat(outcome(r, "a").gpuSeconds()).isEqualTo(8.0 * 100);
        assertThat(outcome(r, "b").gpuSeconds()).isEqualTo(8.0 * 10);
        // A job with less time left than the newcomer needs is not preempted.
        var kept = run("srtf", 1, List.of(job("a", 0, 8, 100), job("b", 50, 8, 80)));
        assertThat(kept.summary().preemptions()).isZero();
        assertThat(outcome(kept, "b").firstStart()).isEqualTo(100);
    }

    @Test
    void everyPolicyFinishesEveryJobThatFitsAndNeverOversubscribes() {
        SplittableRandom random = new SplittableRandom(11);
        List<Arrival> jobs = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            int gpus = new int[] {1, 2, 4, 8, 16, 32}[random.nextInt(6)];
            jobs.add(job("j" + i, random.nextLong(0, 20_000), gpus, random.nextLong(1, 3_000)));
        }
        jobs.sort(java.util.Comparator.comparingLong(Arrival::time));
        for (String policy : PhillyExperiments.VC_POLICIES) {
            var r = run(policy, 4, jobs);
            TreeMap<Long, Long> delta = new TreeMap<>();
            for (JobOutcome o : r.outcomes()) {
                long duration = jobs.stream().filter(a -> a.spec().id().equals(o.id())).findFirst().orElseThrow().spec().runtime();
                assertThat(o.completed()).as(policy + " " + o.id()).isTrue();
                assertThat(o.firstStart()).isGreaterThanOrEqualTo(o.submit());
                assertThat(o.gpuSeconds()).as(policy + " " + o.id() + ": progress is kept, so held = work")
                        .isEqualTo((double) o.gpus() * duration);
                if (!policy.equals("srtf")) {
                    assertThat(o.end() - o.firstStart()).as(policy + " " + o.id() + " runs without a break").isEqualTo(duration);
                    delta.merge(o.firstStart(), (long) o.gpus(), Long::sum);
                    delta.merge(o.end(), (long) -o.gpus(), Long::sum);
                }
            }
            long held = 0;
            for (long d : delta.values()) {
                held += d;
                assertThat(held).as(policy + ": GPUs held at once").isLessThanOrEqualTo(32);
            }
        }
        assertThat(run("srtf", 4, jobs).summary().preemptions()).as("srtf preempts in this mix").isPositive();
        srtfNeverOversubscribes(jobs);
    }

    /**
     * Under srtf a job's run is broken by preemptions, so [first start, end) is not when it held GPUs: sample what the
     * running jobs hold every 10 s of virtual time instead (from their placements, not the capacity index), with the
     * engine's own invariant checks on every event too.
     */
    private static void srtfNeverOversubscribes(List<Arrival> jobs) {
        var config = Philly.vcCluster("vc", 4, "srtf").withAssertions(kr.nuri.core.config.AssertionLevel.FULL);
        kr.nuri.sim.Simulation sim = new kr.nuri.sim.Simulation(config, 600);
        sim.checkpointEvery(1);
        long[] samples = {0, 0};
        sim.sampleEvery(10, (time, state) -> {
            long total = 0;
            java.util.Map<Integer, Long> perNode = new java.util.HashMap<>();
            for (var j : state.running().byDeadline()) {
                for (int i = 0; i < j.nodes().length; i++) {
                    total += j.gpus()[i];
                    perNode.merge(j.nodes()[i], (long) j.gpus()[i], Long::sum);
                }
            }
            assertThat(total).as("srtf: GPUs held at t=" + time).isLessThanOrEqualTo(32);
            perNode.forEach((n, g) -> assertThat(g).as("srtf: GPUs held on node " + n + " at t=" + time).isLessThanOrEqualTo(8));
            samples[0]++;
            if (total > 0) samples[1]++;
        });
        sim.run(jobs);
        assertThat(sim.preemptions()).as("srtf preempts in this mix").isPositive();
        assertThat(samples[1]).as("samples with GPUs in use").isGreaterThan(1_000);
    }
}

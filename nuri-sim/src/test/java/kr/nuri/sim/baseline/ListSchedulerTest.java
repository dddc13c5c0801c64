package kr.nuri.sim.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import kr.nuri.core.job.JobSpec;
import kr.nuri.sim.Arrival;
import kr.nuri.sim.metrics.JobOutcome;
import org.junit.jupiter.api.Test;

class ListSchedulerTest {
    private static Arrival job(String id, long submit, int gpus, long duration) {
        return new Arrival(submit, JobSpec.builder(id, "p").gpus(gpus).runtime(duration).walltime(duration).build());
    }

    /** One 8-GPU node: a long 8-GPU job runs; a long and a short 8-GPU job wait behind it. */
    private static final List<Arrival> THREE = List.of(job("a", 0, 8, 100), job("long", 10, 8, 100), job("short", 20, 8, 10));

    private static long end(ListScheduler.Result r, String id) {
        return r.outcomes().stream().filter(o -> o.id().equals(id)).findFirst().orElseThrow().end();
    }

    @Test
    void fifoKeepsSubmitOrderSjfTakesTheShortFirst() {
        ListScheduler.Result fifo = new ListScheduler("fifo", 1, 8).run(THREE);
        assertThat(end(fifo, "long")).isEqualTo(200);
        assertThat(end(fifo, "short")).isEqualTo(210);
        ListScheduler.Result sjf = new ListScheduler("sjf", 1, 8).run(THREE);
        assertThat(end(sjf, "short")).isEqualTo(110);
        assertThat(end(sjf, "long")).isEqualTo(210);
        assertThat(sjf.allocatedGpuSeconds()).isEqualTo(8.0 * 210);
    }

    @Test
    void srtfPreemptsForAShorterJobAndResumesWithItsProgress() {
        ListScheduler.Result r = new ListScheduler("srtf", 1, 8).run(List.of(job("a", 0, 8, 100), job("b", 50, 8, 10)));
        // b (10 s left) preempts a (50 s left) at 50; a resumes at 60 with 50 s to go.
        assertThat(end(r, "b")).isEqualTo(60);
        assertThat(end(r, "a")).isEqualTo(110);
        assertThat(r.preemptions()).isEqualTo(1);
        assertThat(r.allocatedGpuSeconds()).isEqualTo(8.0 * 110);
        // Both of a's runs count: 8 GPUs × (50 + 50) s.
        assertThat(r.outcomes().get(0).gpuSeconds()).isEqualTo(8.0 * 100);
        assertThat(r.outcomes().get(1).gpuSeconds()).isEqualTo(8.0 * 10);
    }

    @Test
    void aGangNeedsWholeNodesAndTheClusterIsNeverOversubscribed() {
        SplittableRandom random = new SplittableRandom(11);
        List<Arrival> jobs = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            int gpus = new int[] {1, 2, 4, 8, 12, 16, 32}[random.nextInt(7)];
            jobs.add(job("j" + i, random.nextLong(0, 20_000), gpus, random.nextLong(1, 3_000)));
        }
        jobs.add(job("huge", 5, 64, 10)); // larger than the 4 × 8 GPUs: never starts
        for (String policy : ListScheduler.NAMES) {
            ListScheduler.Result r = new ListScheduler(policy, 4, 8).run(jobs);
            java.util.TreeMap<Long, Long> delta = new java.util.TreeMap<>();
            for (JobOutcome o : r.outcomes()) {
                if (o.id().equals("huge")) {
                    assertThat(o.firstStart()).as(policy).isEqualTo(-1);
                    continue;
                }
                assertThat(o.completed()).as(policy + " " + o.id()).isTrue();
                assertThat(o.firstStart()).isGreaterThanOrEqualTo(o.submit());
                if (!policy.equals("srtf")) {
                    assertThat(o.end() - o.firstStart()).as("runs without a break").isEqualTo(
                            jobs.stream().filter(a -> a.spec().id().equals(o.id())).findFirst().orElseThrow().spec().runtime());
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
    }
}

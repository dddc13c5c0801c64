package kr.nuri.core.schedule;

import kr.nuri.core.policy.QueueOrder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import kr.nuri.core.World;
import kr.nuri.core.command.Command;
import kr.nuri.core.config.SchedulerSettings;
import kr.nuri.core.engine.Engine;
import kr.nuri.core.job.Job;
import kr.nuri.core.job.JobSpec;
import kr.nuri.core.job.JobState;
import kr.nuri.core.job.Outcome;
import org.junit.jupiter.api.Test;

/** The queue orders other than fair share: fifo, sjf and srtf, each on the small test fleet. */
class QueueOrderTest {
    private static World world(String order) {
        return World.small(SchedulerSettings.DEFAULT.withQueueOrder(order).withReservations(0));
    }

    /** Fills all 32 H100 nodes with 8-GPU jobs of i1 (walltime 1000 + 100k, so f-0 ends first). */
    static void fill(World w, boolean preemptible) {
        w.apply(new Command.SetQuota(w.now, "i1", "H100", 256, -1, -1));
        for (int k = 0; k < 32; k++) {
            w.submit(JobSpec.builder("f-" + k, "i1").gpus(8).models("H100").walltime(1000 + 100L * k).preemptible(preemptible).build());
        }
        assertThat(w.engine.state().capacity().freeGpus(0, true)).isZero();
    }

    /** Ends the running job with the earliest deadline, at its deadline; one H100 node frees. */
    private static void freeOneNode(World w) {
        Job first = w.engine.state().running().byDeadline().first();
        w.at(first.deadline()).finish(first.id());
    }

    @Test
    void fifoServesTheEarliestSubmissionWhateverItsProjectUsed() {
        World w = world("fifo");
        // a1 has used GPUs before; under fair share b1 would go first (see SchedulingScenarioTest).
        w.submit(JobSpec.builder("a1-warm", "a1").gpus(8).models("H100").build());
        w.at(50).finish("a1-warm");
        fill(w, false);
        w.at(60).submit(JobSpec.builder("a1-early", "a1").gpus(8).models("H100").build());
        w.submit(JobSpec.builder("b1-late", "b1").gpus(8).models("H100").build());
        freeOneNode(w);
        assertThat(w.job("a1-early").state()).isEqualTo(JobState.RUNNING);
        assertThat(w.job("b1-late").state()).isEqualTo(JobState.PENDING);
    }

    @Test
    void sjfServesTheShortestWalltimeFirstAndSubmissionBreaksTies() {
        World w = world("sjf");
        fill(w, false);
        w.at(10).submit(JobSpec.builder("long", "a1").gpus(8).models("H100").walltime(7200).build());
        w.submit(JobSpec.builder("short", "b1").gpus(8).models("H100").walltime(600).build());
        w.submit(JobSpec.builder("short-too", "a2").gpus(8).models("H100").walltime(600).build());
        freeOneNode(w);
        assertThat(w.job("short").state()).isEqualTo(JobState.RUNNING);
        assertThat(w.job("short-too").state()).isEqualTo(JobState.PENDING);
        freeOneNode(w);
        assertThat(w.job("short-too").state()).isEqualTo(JobState.RUNNING);
        assertThat(w.job("long").state()).isEqualTo(JobState.PENDING);
    }

    @Test
    void srtfPreemptsOnlyJobsOfItsClassWithMoreTimeLeft() {
        World w = world("srtf");
        fill(w, true); // f-k: walltime 1000 + 100k, all started at 0
        // At t=900 f-0 has 100 s left, f-31 has 3,200 s left. A 500-s job may preempt only jobs with more than 500 s left.
        w.at(900).submit(JobSpec.builder("quick", "a1").gpus(8).models("H100").walltime(500).build());
        assertThat(w.job("quick").state()).isEqualTo(JobState.RUNNING);
        Job victim = w.engine.state().jobs().stream().filter(j -> j.lastOutcome() == Outcome.PREEMPTED).findFirst().orElseThrow();
        assertThat(w.engine.state().jobs().stream().filter(j -> j.lastOutcome() == Outcome.PREEMPTED)).hasSize(1);
        assertThat(victim.walltimeLeft(900)).as("the victim's walltime left").isGreaterThan(500);
        // The victim keeps its place and, in srtf, its rank is the walltime it has left: 900 s were served.
        assertThat(new QueueOrder.ShortestRemainingTimeFirst().key(victim)).isEqualTo(victim.walltime() - 900);

        // A job that needs more time than every running job has left preempts nothing.
        w.submit(JobSpec.builder("slow", "a1").gpus(8).models("H100").walltime(100_000).build());
        assertThat(w.job("slow").state()).isEqualTo(JobState.PENDING);
        assertThat(w.engine.state().jobs().stream().filter(j -> j.lastOutcome() == Outcome.PREEMPTED)).hasSize(1);
    }

    @Test
    void srtfLeavesNonPreemptibleJobsAlone() {
        World w = world("srtf");
        fill(w, false);
        w.at(900).submit(JobSpec.builder("quick", "a1").gpus(8).models("H100").walltime(10).build());
        assertThat(w.job("quick").state()).isEqualTo(JobState.PENDING);
        assertThat(w.engine.count(JobState.RUNNING)).isEqualTo(32);
    }

    @Test
    void aRestoredEngineRanksWaitingJobsAsTheOriginal() {
        World w = world("srtf");
        fill(w, true);
        w.at(900).submit(JobSpec.builder("quick", "a1").gpus(8).models("H100").walltime(500).build());
        w.submit(JobSpec.builder("mid", "b1").gpus(8).models("H100").walltime(2_000).build());
        Engine twin = new Engine(w.config);
        twin.restore(w.engine.snapshot());
        assertThat(twin.stateHash()).isEqualTo(w.engine.stateHash());
        // The preempted job's rank counts its 900 s served; the restored queue must agree, and so decide alike.
        for (int k = 0; k < 4; k++) {
            Job first = w.engine.state().running().byDeadline().first();
            w.at(first.deadline()).finish(first.id());
            twin.apply(new Command.JobFinished(first.deadline(), first.id(), true));
            assertThat(twin.stateHash()).as("after finishing " + first.id()).isEqualTo(w.engine.stateHash());
        }
    }

    @Test
    void anUnknownOrderIsNamedWithTheKnownOnes() {
        assertThatThrownBy(() -> World.small(SchedulerSettings.DEFAULT.withQueueOrder("lifo")))
                .hasMessageContaining("scheduler.queueOrder").hasMessageContaining("'lifo'").hasMessageContaining("fair-share")
                .hasMessageContaining("srtf");
    }
}

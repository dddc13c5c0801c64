package kr.nuri.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import kr.nuri.core.World;
import kr.nuri.core.command.Command;
import kr.nuri.core.job.JobSpec;
import kr.nuri.core.job.JobState;
import kr.nuri.core.job.Outcome;
import kr.nuri.core.job.PendingReason;
import org.junit.jupiter.api.Test;

/**
 * The operator's verbs of Slurm habit (issue 17): a held job keeps its place and is not considered until released; a
 * requeued job goes back to the queue at its old place; replay and snapshots keep both.
 */
class HoldJobTest {

    @Test
    void aHeldJobWaitsInItsPlaceUntilReleasedAndARequeuedJobRunsAgain() {
        World w = World.small(); // a1's quota 64 H100
        w.submit(JobSpec.builder("running", "a1").gang(8, 8).models("H100").walltime(3600).build());
        w.submit(JobSpec.builder("first", "a1").gang(8, 8).models("H100").walltime(3600).build());
        w.submit(JobSpec.builder("second", "a1").gang(8, 8).models("H100").walltime(3600).build());
        assertThat(w.job("first").state()).isEqualTo(JobState.PENDING);

        assertThat(w.apply(new Command.HoldJob(w.now, "first", true)).accepted()).isTrue();
        assertThat(w.verdict("first").reason()).isEqualTo(PendingReason.HELD);
        assertThat(w.apply(new Command.HoldJob(w.now, "first", true)).rejection().message()).contains("held already");
        assertThat(w.apply(new Command.HoldJob(w.now, "running", true)).rejection().message()).contains("only a waiting job is held");
        w.at(100).finish("running");
        assertThat(w.job("second").state()).as("the held job's turn passes to the next").isEqualTo(JobState.RUNNING);
        assertThat(w.job("first").state()).isEqualTo(JobState.PENDING);
        Engine restored = new Engine(w.config);
        restored.restore(w.engine.snapshot());
        assertThat(restored.stateHash()).as("a snapshot keeps the hold").isEqualTo(w.engine.stateHash());
        assertThat(restored.verdict(restored.job("first")).reason()).isEqualTo(PendingReason.HELD);

        assertThat(w.apply(new Command.HoldJob(w.now, "first", false)).accepted()).isTrue();
        assertThat(w.apply(new Command.HoldJob(w.now, "first", false)).rejection().message()).contains("not held");
        w.at(200).finish("second");
        assertThat(w.job("first").state()).as("released, it starts when GPUs free").isEqualTo(JobState.RUNNING);

        w.at(300);
        assertThat(w.apply(new Command.RequeueJob(w.now, "first")).accepted()).isTrue();
        assertThat(w.job("first").runs()).as("requeued, it started again at once").isEqualTo(2);
        assertThat(w.job("first").state()).isEqualTo(JobState.RUNNING);
        assertThat(w.job("first").lastOutcome()).isEqualTo(Outcome.REQUEUED);
        assertThat(w.apply(new Command.RequeueJob(w.now, "second")).rejection().code()).isEqualTo(Rejection.Code.JOB_NOT_RUNNING);

        // A held job cancelled leaves no trace in the queue.
        w.submit(JobSpec.builder("gone", "a1").gang(8, 8).models("H100").walltime(3600).build());
        w.apply(new Command.HoldJob(w.now, "gone", true));
        assertThat(w.apply(new Command.CancelJob(w.now, "gone")).accepted()).isTrue();
        assertThat(w.job("gone").state()).isEqualTo(JobState.CANCELLED);
        assertThat(w.replayed().stateHash()).isEqualTo(w.engine.stateHash());
    }
}

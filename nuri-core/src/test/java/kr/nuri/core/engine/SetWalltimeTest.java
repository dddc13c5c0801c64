package kr.nuri.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import kr.nuri.core.World;
import kr.nuri.core.award.AwardSpec;
import kr.nuri.core.command.Command;
import kr.nuri.core.job.JobSpec;
import kr.nuri.core.job.JobState;
import kr.nuri.core.job.Outcome;
import org.junit.jupiter.api.Test;

/**
 * Issue 17, "nuri update job ID --time T": a running job's walltime moves its deadline (and what its award holds for it),
 * within its class, its tenant's policy and its award's budget; replay and snapshots keep it.
 */
class SetWalltimeTest {

    @Test
    void aRunningJobsWalltimeMovesItsDeadlineWithinItsLimitsAndItsAward() {
        World w = World.small();
        w.grant(new AwardSpec("grant", "a1", AwardSpec.Kind.BUDGET, "H100", 8L * 10 * 3600, 0, 0, 1_000_000)); // 80 GPU-hours
        w.submit(JobSpec.builder("j", "a1").gpus(8).models("H100").award("grant").walltime(4 * 3600).build());
        assertThat(w.job("j").state()).isEqualTo(JobState.RUNNING);
        w.at(3600);
        assertThat(w.apply(new Command.SetWalltime(w.now, "j", 3000)).rejection().message()).contains("has run 3600 s already");
        assertThat(w.apply(new Command.SetWalltime(w.now, "j", 11 * 3600)).rejection().code()).isEqualTo(Rejection.Code.BUDGET_EXHAUSTED);
        assertThat(w.apply(new Command.SetWalltime(w.now, "j", 15 * 86_400)).rejection().field()).isEqualTo("walltime");
        assertThat(w.apply(new Command.SetWalltime(w.now, "j", 10 * 3600)).accepted()).as("80 GPU-hours: exactly the award").isTrue();
        assertThat(w.job("j").deadline()).isEqualTo(10 * 3600);
        assertThat(w.engine.state().awards().headroom(0)).isZero();

        Engine restored = new Engine(w.config);
        restored.restore(w.engine.snapshot());
        assertThat(restored.stateHash()).as("a snapshot keeps the new walltime").isEqualTo(w.engine.stateHash());
        assertThat(restored.job("j").deadline()).isEqualTo(10 * 3600);

        assertThat(w.apply(new Command.SetWalltime(w.now, "j", 2 * 3600)).accepted()).as("shorter").isTrue();
        w.at(2 * 3600).tick();
        assertThat(w.job("j").state()).isEqualTo(JobState.TIMEOUT);
        assertThat(w.job("j").lastOutcome()).isEqualTo(Outcome.TIMEOUT);
        assertThat(w.job("j").gpuSeconds()).as("charged its new walltime").isEqualTo(8L * 2 * 3600);
        assertThat(w.replayed().stateHash()).isEqualTo(w.engine.stateHash());
    }
}

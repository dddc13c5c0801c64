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
 * What a site's cluster manager reports (issue 18): the run's outcome and how long it held its GPUs there. The engine
 * charges the site's time, requeues a node failure per the job's policy, and holds a job the site refused.
 */
class SiteReportTest {

    @Test
    void aSiteReportEndsTheRunWithItsOutcomeAndIsChargedTheSitesTime() {
        World w = World.small();
        w.submit(JobSpec.builder("done", "a1").gang(1, 8).models("H100").walltime(3600).build());
        w.at(100);
        Command.JobFinished report = new Command.JobFinished(w.now, "done", true, Outcome.COMPLETED, 42, "slurm 7: COMPLETED");
        assertThat(w.apply(report).accepted()).isTrue();
        assertThat(w.job("done").state()).isEqualTo(JobState.COMPLETED);
        assertThat(w.job("done").gpuSeconds()).as("8 GPUs × the site's 42 s, not the 100 s until the report").isEqualTo(8 * 42);

        w.submit(JobSpec.builder("late", "a1").gang(1, 8).models("H100").walltime(60).build());
        w.at(w.now + 30);
        assertThat(w.apply(new Command.JobFinished(w.now, "late", false, Outcome.TIMEOUT, 500, "slurm 8: TIMEOUT")).accepted()).isTrue();
        assertThat(w.job("late").gpuSeconds()).as("never beyond the walltime, nor beyond now").isEqualTo(8 * 30);
        assertThat(w.job("late").state()).isEqualTo(JobState.TIMEOUT);
        assertThat(w.replayed().stateHash()).isEqualTo(w.engine.stateHash());
    }

    @Test
    void aNodeFailureTheSiteReportsRequeuesPerTheJobsPolicy() {
        World w = World.small();
        w.submit(JobSpec.builder("again", "a1").gang(2, 8).models("H100").walltime(3600).build());
        w.submit(JobSpec.builder("once", "a1").gang(2, 8).models("H100").walltime(3600).requeue(false).build());
        w.at(50);
        w.apply(new Command.JobFinished(w.now, "again", false, Outcome.NODE_FAILURE, 49, "slurm 9: NODE_FAIL"));
        w.apply(new Command.JobFinished(w.now, "once", false, Outcome.NODE_FAILURE, 49, "slurm 10: NODE_FAIL"));
        assertThat(w.job("again").runs()).as("requeued and started again").isEqualTo(2);
        assertThat(w.job("again").lastOutcome()).isEqualTo(Outcome.NODE_FAILURE);
        assertThat(w.job("once").state().isFinal()).as("not requeued: it ends").isTrue();
        assertThat(w.job("once").lastOutcome()).isEqualTo(Outcome.NODE_FAILURE);
    }

    @Test
    void aSiteMayNotReportADecisionOfTheEngineNorANegativeTime() {
        World w = World.small();
        w.submit(JobSpec.builder("j", "a1").gang(1, 8).models("H100").walltime(3600).build());
        assertThat(w.apply(new Command.JobFinished(w.now, "j", false, Outcome.PREEMPTED, 1, null)).rejection().field()).isEqualTo("outcome");
        assertThat(w.apply(new Command.JobFinished(w.now, "j", true, Outcome.COMPLETED, -5, null)).rejection().field()).isEqualTo("ranSeconds");
        assertThat(w.job("j").state()).isEqualTo(JobState.RUNNING);
    }

    @Test
    void aRunTheSiteRefusedGoesBackHeldNotStartedAgain() {
        World w = World.small();
        w.submit(JobSpec.builder("refused", "a1").gang(1, 8).models("H100").walltime(3600).build());
        assertThat(w.apply(new Command.RequeueJob(w.now, "refused", "site s1 refused it: Invalid node name specified", true)).accepted()).isTrue();
        assertThat(w.job("refused").state()).isEqualTo(JobState.PENDING);
        assertThat(w.verdict("refused").reason()).isEqualTo(PendingReason.HELD);
        assertThat(w.job("refused").lastOutcome()).isEqualTo(Outcome.REQUEUED);
        assertThat(w.replayed().stateHash()).isEqualTo(w.engine.stateHash());
    }
}

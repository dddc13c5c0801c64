package kr.nuri.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import kr.nuri.core.World;
import kr.nuri.core.command.Command;
import kr.nuri.core.job.JobSpec;
import kr.nuri.core.job.JobState;
import kr.nuri.core.job.Outcome;
import org.junit.jupiter.api.Test;

/**
 * Tenancy finding 4, in part: a project or an organisation is retired at runtime by a journaled command. Its subtree
 * takes no new jobs; its running and waiting jobs go on, or are cancelled, by choice; it can be reinstated.
 */
class RetireTenantTest {
    private static JobSpec job(String id, String project, int gpus) {
        return JobSpec.builder(id, project).gpus(gpus).models("H100").walltime(3600).build();
    }

    @Test
    void aRetiredOrganisationTakesNoNewJobsAndItsJobsGoOnOrAreCancelledByChoice() {
        World w = World.small();
        w.submit(job("run", "a1", 8));
        w.submit(JobSpec.builder("wait", "a2").gang(32, 8).models("H100").preemptible(true).walltime(3600).build()); // all 256 H100: waits
        assertThat(w.job("run").state()).isEqualTo(JobState.RUNNING);
        assertThat(w.job("wait").state()).isEqualTo(JobState.PENDING);
        assertThat(w.apply(new Command.RetireTenant(0, "org-a", true, false)).accepted()).isTrue();
        Result r = w.submit(job("new", "a1", 8));
        assertThat(r.rejection().code()).isEqualTo(Rejection.Code.TENANT_RETIRED);
        assertThat(r.rejection().message()).contains("a1 belongs to org-a, which is retired");
        assertThat(w.job("run").state()).as("its jobs go on").isEqualTo(JobState.RUNNING);
        assertThat(w.submit(job("other", "b1", 8)).accepted()).as("other tenants are not touched").isTrue();
        // Retiring it with its jobs cancels them, waiting and running, and nobody else's.
        assertThat(w.apply(new Command.RetireTenant(0, "org-a", true, true)).accepted()).isTrue();
        assertThat(w.job("run").lastOutcome()).isEqualTo(Outcome.CANCELLED);
        assertThat(w.job("wait").state().isFinal()).isTrue();
        assertThat(w.job("other").state()).isEqualTo(JobState.RUNNING);
        // Reinstated, it takes jobs again.
        assertThat(w.apply(new Command.RetireTenant(0, "org-a", false, false)).accepted()).isTrue();
        assertThat(w.submit(job("again", "a1", 8)).accepted()).isTrue();
        assertThat(w.replayed().stateHash()).isEqualTo(w.engine.stateHash());
    }

    @Test
    void theRootAndUnknownTenantsAreRefused() {
        World w = World.small();
        long before = w.engine.stateHash();
        assertThat(w.apply(new Command.RetireTenant(0, "nation", true, false)).rejection().message()).contains("root");
        assertThat(w.apply(new Command.RetireTenant(0, "nobody", true, false)).rejection().field()).isEqualTo("tenant");
        assertThat(w.engine.stateHash()).isEqualTo(before);
    }
}

package kr.nuri.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import kr.nuri.core.World;
import kr.nuri.core.job.JobSpec;
import kr.nuri.core.job.JobState;
import kr.nuri.core.job.Outcome;
import org.junit.jupiter.api.Test;

/**
 * Tenancy finding 7, found by trying the product: with kaist's preemptible 2,048-GPU job borrowing, a 1-GPU
 * non-preemptible kaist job got "QUOTA_EXCEEDED: a non-preemptible job may not borrow: kaist has -1026 H100 GPUs of its
 * own quota left … Maybe submit it preemptible?" and waited. A project's guaranteed job reclaims its own quota from its
 * own borrowing jobs as from anyone's; no count is negative.
 */
class OwnBorrowerTest {

    @Test
    void aProjectsGuaranteedJobReclaimsItsQuotaFromItsOwnBorrower() {
        World w = World.small(); // 256 H100; a1's quota 64, a2 32, b1 32, i1 128 (one pool under nation)
        // a1 borrows the whole fleet's H100 with one preemptible gang.
        w.submit(JobSpec.builder("borrower", "a1").gang(32, 8).models("H100").preemptible(true).walltime(86_400).build());
        assertThat(w.job("borrower").state()).isEqualTo(JobState.RUNNING);
        assertThat(w.job("borrower").borrowed()).isTrue();
        w.at(3600);
        // Its own guaranteed (non-preemptible) 8-GPU job: within a1's quota, so it reclaims from a1's borrower.
        w.submit(JobSpec.builder("mine", "a1").gpus(8).models("H100").walltime(3600).build());
        assertThat(w.job("mine").state()).as(w.verdict("mine").toString()).isEqualTo(JobState.RUNNING);
        assertThat(w.job("mine").borrowed()).isFalse();
        assertThat(w.job("borrower").lastOutcome()).isEqualTo(Outcome.PREEMPTED);
        int a1 = w.engine.state().tenants().index("a1");
        assertThat(w.engine.state().quota().ownGuaranteedUse(a1, 0)).isEqualTo(8);
        assertThat(w.engine.state().quota().ownBorrowed(a1, 0)).isZero();
        assertThat(w.replayed().stateHash()).isEqualTo(w.engine.stateHash());
    }

    @Test
    void withFreeGpusItStartsBesideItsOwnBorrowerAndTheRefusalNeverCountsBelowZero() {
        World w = World.small();
        w.submit(JobSpec.builder("borrower", "a1").gang(12, 8).models("H100").preemptible(true).walltime(86_400).build());
        assertThat(w.job("borrower").borrowed()).isTrue(); // 96 > 64
        w.submit(JobSpec.builder("mine", "a1").gpus(8).models("H100").walltime(3600).build());
        assertThat(w.job("mine").state()).as("free GPUs: no one preempted").isEqualTo(JobState.RUNNING);
        assertThat(w.job("borrower").state()).isEqualTo(JobState.RUNNING);
        // a1's guaranteed work now fills its quota: one more non-preemptible job is refused, counting right, pointing right.
        w.submit(JobSpec.builder("full", "a1").gang(7, 8).models("H100").walltime(3600).build());
        w.submit(JobSpec.builder("more", "a1").gpus(8).models("H100").walltime(3600).build());
        assertThat(w.job("more").state()).isEqualTo(JobState.PENDING);
        assertThat(w.verdict("more").detail()).contains("has 0 H100 GPUs of its own quota left").doesNotContainPattern("has -[0-9]");
        assertThat(w.verdict("more").detail()).contains("Maybe submit it preemptible?");
    }
}

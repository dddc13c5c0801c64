package kr.nuri.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import kr.nuri.core.World;
import kr.nuri.core.award.AwardSpec;
import kr.nuri.core.command.Command;
import kr.nuri.core.engine.Result;
import kr.nuri.core.job.Job;
import kr.nuri.core.job.JobSpec;
import kr.nuri.core.job.JobState;
import kr.nuri.core.job.Outcome;
import org.junit.jupiter.api.Test;

/**
 * Tenancy finding 1, found by trying the product: a project of SK, within its quota, ran on KISTI's
 * {@code kisti6-h200-r1-n1}, a Samsung project's job on NAICC's nodes, both {@code borrowed: false}; quota was per GPU
 * model across the whole fleet, so {@code isolated: true} confined nothing. Now a pool is an owner's GPUs of one model:
 * a job runs on its line's pools, borrows only from pools whose owners lend to it (never across an isolated tenant),
 * is borrowed exactly when it runs on another owner's GPUs without a guarantee there, and owners reclaim per pool.
 */
class OwnedPoolsTest {

    private static String blocks(World w, Job j) {
        var fleet = w.engine.state().fleet();
        return String.join(",", Arrays.stream(j.nodes()).mapToObj(n -> fleet.blockName(fleet.blockOfNode(n))).distinct().sorted().toList());
    }

    @Test
    void aProjectRunsOnItsOwnersGpusAndNeverAcrossAnIsolatedTenant() {
        World w = World.owned();
        // i1 (industry) fills its 128 H100 on h3; a preemptible job more must not borrow the public sector's idle H100.
        w.submit(JobSpec.builder("i-own", "i1").gang(16, 8).models("H100").walltime(86_400).build());
        assertThat(w.job("i-own").state()).isEqualTo(JobState.RUNNING);
        assertThat(blocks(w, w.job("i-own"))).isEqualTo("h3");
        assertThat(w.job("i-own").borrowed()).isFalse();
        w.submit(JobSpec.builder("i-more", "i1").gpus(8).models("H100").preemptible(true).priorityClass("scavenger").walltime(3600).build());
        assertThat(w.job("i-more").state()).as("128 public H100 are idle, but public is isolated").isEqualTo(JobState.PENDING);
        // a1 within its quota runs on its organisation's h1, not on h2 (org-b's) nor h3 (industry's).
        w.submit(JobSpec.builder("a-own", "a1").gang(4, 8).models("H100").walltime(86_400).build());
        assertThat(blocks(w, w.job("a-own"))).isEqualTo("h1");
        assertThat(w.job("a-own").borrowed()).isFalse();
        assertThat(w.replayed().stateHash()).isEqualTo(w.engine.stateHash());
    }

    @Test
    void borrowingAnotherOwnersGpusIsBorrowedAndTheOwnerReclaimsThem() {
        World w = World.owned();
        // A gang runs inside one pool: 96 H100 is more than any pool a1 may run on.
        Result big = w.submit(JobSpec.builder("a-big", "a1").gang(12, 8).models("H100").walltime(86_400).build());
        assertThat(big.accepted()).isFalse();
        assertThat(big.rejection().message()).contains("the largest pool it may run on", "64");
        // 64 H100 is a1's quota (32) and a2's idle 32: non-preemptible, it may not borrow, so it waits.
        w.submit(JobSpec.builder("a-wait", "a1").gang(8, 8).models("H100").walltime(86_400).build());
        assertThat(w.job("a-wait").state()).isEqualTo(JobState.PENDING);
        w.apply(new Command.CancelJob(w.now, "a-wait"));
        // Preemptible, it borrows: first its organisation's own 64 (a2's idle quota), then org-b's h2, flagged borrowed.
        w.submit(JobSpec.builder("a-own", "a1").gang(8, 8).models("H100").preemptible(true).walltime(86_400).build());
        assertThat(blocks(w, w.job("a-own"))).isEqualTo("h1");
        w.submit(JobSpec.builder("a-lent", "a1").gang(8, 8).models("H100").preemptible(true).walltime(86_400).build());
        Job lent = w.job("a-lent");
        assertThat(lent.state()).isEqualTo(JobState.RUNNING);
        assertThat(blocks(w, lent)).as("org-b's GPUs, lent inside the public sector").isEqualTo("h2");
        assertThat(lent.borrowed()).isTrue();
        assertThat(w.engine.state().fleet().poolName(lent.pool())).isEqualTo("H100@org-b");
        // org-b's own project wants its GPUs back: reclaim on its pool.
        w.at(3600);
        w.submit(JobSpec.builder("b-own", "b1").gang(4, 8).models("H100").walltime(3600).build());
        assertThat(w.job("b-own").state()).as(w.verdict("b-own").toString()).isEqualTo(JobState.RUNNING);
        assertThat(blocks(w, w.job("b-own"))).isEqualTo("h2");
        assertThat(w.job("a-lent").lastOutcome()).isEqualTo(Outcome.PREEMPTED);
        assertThat(w.job("a-own").state()).as("a1's job on its own pool is not reclaimed by org-b").isEqualTo(JobState.RUNNING);
        assertThat(w.replayed().stateHash()).isEqualTo(w.engine.stateHash());
    }

    @Test
    void guaranteesAreClaimsOnPoolsTheLineOwnsAndNeverExceedThem() {
        World w = World.owned();
        Result r = w.apply(new Command.SetQuota(0, "i1", "GB200", 8, -1, -1));
        assertThat(r.accepted()).isFalse();
        assertThat(r.rejection().field()).isEqualTo("model");
        assertThat(r.rejection().message()).contains("'i1' owns no GB200", "GB200@org-a");
        r = w.apply(new Command.SetQuota(0, "b1", "H100", 65, -1, -1));
        assertThat(r.accepted()).isFalse();
        assertThat(r.rejection().message()).contains("pool H100@org-b has 64 GPUs", "short by 1");
        r = w.apply(new Command.SetQuota(0, "a1", "H100@org-b", 8, -1, -1));
        assertThat(r.accepted()).isFalse();
        assertThat(r.rejection().message()).contains("belongs to org-b", "dedicated award");
        // A dedicated award on org-a's GB200 for b1: refused while org-a's quotas claim all 144, granted once a2 gives 16 up.
        AwardSpec award = new AwardSpec("b1-gb200", "b1", AwardSpec.Kind.DEDICATED, "GB200@org-a", 0, 16, 0, 86_400);
        r = w.grant(award);
        assertThat(r.accepted()).isFalse();
        assertThat(r.rejection().message()).contains("GB200@org-a has 144 GPUs", "short by 16");
        assertThat(w.apply(new Command.SetQuota(0, "a2", "GB200", 56, -1, -1)).accepted()).isTrue();
        assertThat(w.grant(award).accepted()).isTrue();
        w.submit(JobSpec.builder("b-gb", "b1").gang(4, 4).models("GB200").walltime(3600).build());
        Job j = w.job("b-gb");
        assertThat(j.state()).as(w.verdict("b-gb").toString()).isEqualTo(JobState.RUNNING);
        assertThat(j.borrowed()).as("its award guarantees it there").isFalse();
        assertThat(w.replayed().stateHash()).isEqualTo(w.engine.stateHash());
    }
}

package kr.nuri.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import kr.nuri.core.World;
import kr.nuri.core.award.AwardSpec;
import kr.nuri.core.command.Command;
import kr.nuri.core.job.JobSpec;
import kr.nuri.core.job.JobState;
import kr.nuri.core.tenancy.TenantPolicy;
import org.junit.jupiter.api.Test;

/**
 * Tenancy findings 2 and 6, found by trying the product. With its award expired, a sovereign team's job that named it
 * waited forever while the same job without {@code --award} ran at once: awards gated nothing. And any user could take
 * the top priority class ({@code inference}, 300) with a 30-day walltime. A tenant's policy now says which classes its
 * subtree may use, for how long, and whether its jobs must charge an award; it is set by a journaled command.
 */
class TenantPolicyTest {
    private static final long DAY = 86_400;

    private static Result policy(World w, String tenant, TenantPolicy p) {
        return w.apply(new Command.SetTenantPolicy(w.now, tenant, p));
    }

    private static JobSpec.Builder job(String id, String project) {
        return JobSpec.builder(id, project).gpus(8).models("H100");
    }

    @Test
    void aProjectMayUseOnlyTheClassesItsPolicyAllowsForAsLongAsItAllows() {
        World w = World.small();
        assertThat(policy(w, "public", TenantPolicy.of(null, null, Map.of("training", 7 * DAY, "scavenger", 0L))).accepted()).isTrue();
        // Inherited from public by org-a's project a1:
        Result r = w.submit(job("top", "a1").priorityClass("inference").walltime(30 * DAY).build());
        assertThat(r.accepted()).isFalse();
        assertThat(r.rejection().code()).isEqualTo(Rejection.Code.CLASS_NOT_ALLOWED);
        assertThat(r.rejection().field()).isEqualTo("priorityClass");
        assertThat(r.rejection().message()).contains("a1", "inference", "[scavenger, training]");
        r = w.submit(job("long", "a1").priorityClass("training").walltime(8 * DAY).build());
        assertThat(r.rejection().code()).isEqualTo(Rejection.Code.WALLTIME_TOO_LONG);
        assertThat(r.rejection().message()).contains("604800");
        assertThat(w.submit(job("ok", "a1").priorityClass("training").walltime(7 * DAY).build()).accepted()).isTrue();
        assertThat(w.submit(job("scav", "a1").priorityClass("scavenger").walltime(2 * DAY).build()).accepted()).as("0: the class's own").isTrue();
        // Industry sets nothing: every class, as before.
        assertThat(w.submit(job("ind", "i1").priorityClass("inference").walltime(30 * DAY).build()).accepted()).isTrue();
        // A child's own policy wins over its parent's.
        assertThat(policy(w, "a2", TenantPolicy.of(null, null, Map.of("inference", DAY))).accepted()).isTrue();
        assertThat(w.submit(job("serve", "a2").priorityClass("inference").build()).accepted()).isTrue();
        assertThat(w.replayed().stateHash()).as("the policy is journaled and replayed").isEqualTo(w.engine.stateHash());
    }

    @Test
    void aPolicyNamingAnUnknownClassOrTooLongAWalltimeIsRefused() {
        World w = World.small();
        long before = w.engine.stateHash();
        Result r = policy(w, "public", TenantPolicy.of(null, null, Map.of("gold", 0L)));
        assertThat(r.rejection().field()).isEqualTo("classes");
        assertThat(r.rejection().message()).contains("gold", "inference");
        r = policy(w, "public", TenantPolicy.of(null, null, Map.of("training", 15 * DAY)));
        assertThat(r.rejection().field()).isEqualTo("classes.training");
        assertThat(r.rejection().message()).contains("1209600");
        r = policy(w, "nobody", TenantPolicy.of(true, null, null));
        assertThat(r.rejection().field()).isEqualTo("tenant");
        assertThat(w.engine.stateHash()).isEqualTo(before);
    }

    @Test
    void inAnAwardRequiredTenantAJobChargesTheAwardThatCoversItAndNoneIsARefusal() {
        World w = World.small();
        assertThat(policy(w, "org-a", TenantPolicy.of(true, false, null)).accepted()).isTrue();
        // No award covers a1: the job that ran at once before is refused, saying why.
        Result r = w.submit(job("free", "a1").build());
        assertThat(r.rejection().code()).isEqualTo(Rejection.Code.AWARD_REQUIRED);
        assertThat(r.rejection().message()).contains("a1", "no active award");
        // An expired award named: refused at once, not a job that waits forever.
        w.grant(new AwardSpec("old", "org-a", AwardSpec.Kind.BUDGET, "H100", 1_000 * 3600L, 0, 0, DAY));
        w.at(2 * DAY);
        r = w.submit(job("late", "a1").award("old").build());
        assertThat(r.accepted()).isFalse();
        assertThat(r.rejection().message()).contains("old", "ended");
        assertThat(w.submit(job("late2", "a1").build()).rejection().code()).isEqualTo(Rejection.Code.AWARD_REQUIRED);
        // One active award covers it (granted to org-a, above a1): a job naming none charges it.
        w.grant(new AwardSpec("h1-2027", "org-a", AwardSpec.Kind.BUDGET, "H100", 100 * 3600L, 0, DAY, 100 * DAY));
        r = w.submit(job("covered", "a1").walltime(3600).build());
        assertThat(r.accepted()).isTrue();
        assertThat(w.job("covered").spec().award()).isEqualTo("h1-2027");
        assertThat(w.job("covered").state()).isEqualTo(JobState.RUNNING);
        // A job that could never fit the budget left is refused, naming it.
        r = w.submit(job("huge", "a1").award("h1-2027").walltime(20 * 3600).build());
        assertThat(r.rejection().code()).isEqualTo(Rejection.Code.BUDGET_EXHAUSTED);
        assertThat(r.rejection().message()).contains("h1-2027", "100 GPU-hours left", "160");
        // Two awards cover it: the job must name one.
        w.grant(new AwardSpec("extra", "a1", AwardSpec.Kind.BUDGET, null, 100 * 3600L, 0, DAY, 100 * DAY));
        r = w.submit(job("which", "a1").walltime(3600).build());
        assertThat(r.rejection().message()).contains("h1-2027", "extra", "--award");
        // b1 (org-b) sets nothing: it runs without an award as before.
        assertThat(w.submit(job("b", "b1").build()).accepted()).isTrue();
        assertThat(w.replayed().stateHash()).isEqualTo(w.engine.stateHash());
    }

    @Test
    void aPolicyMayLetPreemptibleJobsRunWithoutAnAward() {
        World w = World.small();
        assertThat(policy(w, "org-a", TenantPolicy.of(true, true, null)).accepted()).isTrue();
        assertThat(w.submit(job("plain", "a1").build()).rejection().code()).isEqualTo(Rejection.Code.AWARD_REQUIRED);
        Result r = w.submit(job("scav", "a1").priorityClass("scavenger").build());
        assertThat(r.accepted()).isTrue();
        assertThat(w.job("scav").spec().award()).isNull();
    }
}

package kr.nuri.core.schedule;

import java.util.function.Supplier;
import kr.nuri.core.award.AwardBook;
import kr.nuri.core.award.AwardSpec;
import kr.nuri.core.job.Job;
import kr.nuri.core.job.PendingReason;
import kr.nuri.core.state.State;
import kr.nuri.core.tenancy.QuotaBook;

/**
 * {@code quota}, the admission rule: the award's window and GPU-hour budget (GPUs × walltime must fit what is left after
 * the running jobs' commitments), then hierarchical quota with borrowing and lending limits as Kueue's ClusterQueues
 * and cohorts admit workloads ({@link QuotaBook}); only preemptible jobs may borrow.
 */
public final class QuotaAdmission implements Admission {
    private final State state;

    public QuotaAdmission(State state) {
        this.state = state;
    }

    @Override
    public Verdicts.Verdict entitlement(Job job, long now) {
        if (job.award() < 0) return null;
        AwardBook awards = state.awards();
        AwardSpec a = awards.get(job.award());
        if (!a.activeAt(now)) {
            return new Verdicts.Verdict(PendingReason.AWARD_NOT_ACTIVE, "award " + a.id() + " is valid from t=" + a.from() + " to t=" + a.to(),
                    a.from() > now ? a.from() : -1);
        }
        long need = (long) job.totalGpus() * job.walltime();
        if (awards.headroom(job.award()) < need) {
            return new Verdicts.Verdict(PendingReason.BUDGET_EXHAUSTED, "award " + a.id() + " has " + awards.headroom(job.award()) / 3600
                    + " GPU-hours left after running jobs; this job may use " + need / 3600 + " (GPUs × walltime)", -1);
        }
        return null;
    }

    @Override
    public Standing standing(Job job, int m, int gpus) {
        QuotaBook quota = state.quota();
        if (quota.available(job.project(), m) < gpus) return Standing.OVER_QUOTA;
        if (quota.withinOwnQuota(job.project(), m, gpus)) return Standing.OWN;
        return job.preemptible() ? Standing.BORROWS : Standing.MAY_NOT_BORROW;
    }

    @Override
    public Supplier<String> refusal(Job job, int m, int gpus, Standing standing, boolean share) {
        QuotaBook quota = state.quota();
        String project = state.tenants().name(job.project());
        String model = state.fleet().pools().get(m);
        if (standing == Standing.OVER_QUOTA) {
            long available = quota.available(job.project(), m);
            return () -> project + " may start " + Math.max(0, available) + " more " + model + " GPUs (borrowing included); the job needs "
                    + gpus + (share ? " (a share counts as one)" : "");
        }
        if (share) return () -> "a non-preemptible job may not borrow: " + project + " has no " + model + " GPU of its own quota left. Maybe submit it preemptible?";
        long left = Math.max(0, quota.subtreeQuota(job.project(), m) - quota.ownGuaranteedUse(job.project(), m));
        return () -> "a non-preemptible job may not borrow: " + project + " has " + left + " " + model
                + " GPUs of its own quota left, the job needs " + gpus + ". Maybe submit it preemptible?";
    }

    @Override
    public boolean admits(int project, int m, long gpus, boolean mayBorrow) {
        return state.quota().admits(project, m, gpus, mayBorrow);
    }

    @Override
    public boolean withinOwn(int project, int m, long gpus) {
        return state.quota().withinOwnQuota(project, m, gpus);
    }
}

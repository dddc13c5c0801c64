package kr.nuri.server.usage;

import kr.nuri.core.job.Job;
import kr.nuri.core.job.JobState;
import kr.nuri.core.state.StateView;

/**
 * GPU-seconds as every view shows them, by the engine's one charge rule ({@link Job#chargeFor}): finished runs as
 * charged, running jobs up to {@code now} (never past their walltime). A job, its project and ancestors, its award
 * and {@code /usage} then agree to the GPU-second at any moment. The running part is summed once per request
 * ({@link #at}), one pass over the running jobs, however many tenants or awards the answer lists.
 */
public final class Charges {
    private final StateView state;
    private final long[] runningByTenant;
    private final long[] runningByAward;

    private Charges(StateView state, long[] runningByTenant, long[] runningByAward) {
        this.state = state;
        this.runningByTenant = runningByTenant;
        this.runningByAward = runningByAward;
    }

    /** The running jobs' charges up to {@code now}, per tenant subtree and per award. */
    public static Charges at(StateView s, long now) {
        long[] byTenant = new long[s.tenants().size()];
        long[] byAward = new long[s.awards().size()];
        for (Job j : s.running().byDeadline()) {
            long c = running(j, now);
            for (int t = j.project(); t >= 0; t = s.tenants().parent(t)) byTenant[t] += c;
            if (j.award() >= 0) byAward[j.award()] += c;
        }
        return new Charges(s, byTenant, byAward);
    }

    /** What a running job's current run has used by {@code now}; 0 for a job not running. */
    public static long running(Job j, long now) {
        return j.state() == JobState.RUNNING ? j.chargeFor(now) : 0;
    }

    public static long ofJob(Job j, long now) {
        return j.gpuSeconds() + running(j, now);
    }

    /** A tenant's subtree. */
    public long ofTenant(int t) {
        return state.chargedGpuSeconds(t) + runningByTenant[t];
    }

    public long ofAward(int a) {
        return state.awards().used(a) + runningByAward[a];
    }
}

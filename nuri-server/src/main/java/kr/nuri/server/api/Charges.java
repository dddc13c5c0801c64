package kr.nuri.server.api;

import kr.nuri.core.job.Job;
import kr.nuri.core.job.JobState;
import kr.nuri.core.state.State;

/**
 * GPU-seconds as every view shows them, by the engine's one charge rule ({@link Job#chargeFor}): finished runs as
 * charged, running jobs up to {@code now} (never past their walltime). A job, its project and ancestors, its award
 * and {@code /usage} then agree to the GPU-second at any moment.
 */
final class Charges {
    private Charges() {}

    /** What a running job's current run has used by {@code now}; 0 for a job not running. */
    static long running(Job j, long now) {
        return j.state() == JobState.RUNNING ? j.chargeFor(now) : 0;
    }

    static long ofJob(Job j, long now) {
        return j.gpuSeconds() + running(j, now);
    }

    /** A tenant's subtree. */
    static long ofTenant(State s, int t, long now) {
        long sum = s.chargedGpuSeconds(t);
        for (Job j : s.running().byDeadline()) {
            if (s.tenants().isWithin(j.project(), t)) sum += running(j, now);
        }
        return sum;
    }

    static long ofAward(State s, int a, long now) {
        long sum = s.awards().used(a);
        for (Job j : s.running().byDeadline()) {
            if (j.award() == a) sum += running(j, now);
        }
        return sum;
    }
}

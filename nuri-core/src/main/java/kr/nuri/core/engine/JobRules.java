package kr.nuri.core.engine;

import kr.nuri.core.award.AwardSpec;
import kr.nuri.core.command.Command;
import kr.nuri.core.engine.Rejection.Code;
import kr.nuri.core.job.Job;
import kr.nuri.core.job.JobState;
import kr.nuri.core.job.Outcome;
import kr.nuri.core.job.PriorityClass;
import kr.nuri.core.state.State;

/** The rules of acting on a job once submitted: cancel, hold and release, requeue, a new walltime, a completion. */
final class JobRules {
    private final State state;

    JobRules(State state) {
        this.state = state;
    }

    static Rejection unknownJob(String id) {
        return Rejection.of(Code.UNKNOWN_JOB, "jobId", id, "no job '" + id + "'. Maybe check the id with 'nuri queue'?");
    }

    Rejection cancel(Command.CancelJob c) {
        Job j = state.job(c.jobId());
        if (j == null) return unknownJob(c.jobId());
        return j.state().isFinal() ? Rejection.of(Code.JOB_ALREADY_FINISHED, "jobId", c.jobId(),
                "job " + c.jobId() + " already ended (" + j.state() + "); nothing to cancel") : null;
    }

    /** A hold asks a waiting job not held; a release a held one. */
    Rejection hold(Command.HoldJob c) {
        Job j = state.job(c.jobId());
        if (j == null) return unknownJob(c.jobId());
        if (c.hold()) {
            return j.state() != JobState.PENDING || j.held() ? Rejection.of(Code.INVALID_VALUE, "jobId", c.jobId(), "job " + c.jobId() + " is "
                    + (j.held() ? "held already" : j.state() + ": only a waiting job is held")) : null;
        }
        return !j.held() ? Rejection.of(Code.INVALID_VALUE, "jobId", c.jobId(), "job " + c.jobId() + " is not held") : null;
    }

    /** How a site may say a run ended (preemption and requeue are the engine's own decisions). */
    private static final java.util.Set<Outcome> SITE_OUTCOMES = java.util.EnumSet.of(Outcome.COMPLETED,
            Outcome.FAILED, Outcome.TIMEOUT, Outcome.CANCELLED, Outcome.NODE_FAILURE);

    Rejection requeue(Command.RequeueJob c) {
        Job j = state.job(c.jobId());
        if (j == null) return unknownJob(c.jobId());
        return j.state() != JobState.RUNNING ? Rejection.of(Code.JOB_NOT_RUNNING, "jobId", c.jobId(), "job " + c.jobId() + " is " + j.state()
                + ": only a running job is requeued") : null;
    }

    Rejection finished(Command.JobFinished c) {
        Job j = state.job(c.jobId());
        if (j == null) return unknownJob(c.jobId());
        if (c.outcome() != null && !SITE_OUTCOMES.contains(c.outcome())) {
            return Rejection.of(Code.INVALID_VALUE, "outcome", c.outcome(), "a run ends on its own as one of " + SITE_OUTCOMES);
        }
        if (c.ranSeconds() < -1) return Rejection.of(Code.INVALID_VALUE, "ranSeconds", c.ranSeconds(), "must be 0 or more (-1: until now)");
        return j.state() != JobState.RUNNING ? Rejection.of(Code.JOB_NOT_RUNNING, "jobId", c.jobId(),
                "job " + c.jobId() + " is " + j.state() + ", not RUNNING. Maybe it was preempted or requeued?") : null;
    }

    /**
     * A new walltime: within the job's class and its tenant's policy, past what a running job has run, and, for a running
     * job charging a budget, within what its award has left for the GPUs × time it adds.
     */
    Rejection walltime(Command.SetWalltime c) {
        Job j = state.job(c.jobId());
        if (j == null) return unknownJob(c.jobId());
        if (j.state().isFinal()) {
            return Rejection.of(Code.JOB_ALREADY_FINISHED, "jobId", c.jobId(), "job " + c.jobId() + " already ended (" + j.state() + ")");
        }
        PriorityClass pc = state.config().classes().get(j.priorityClass());
        if (c.walltime() <= 0 || c.walltime() > pc.maxWalltime()) {
            return Rejection.of(Code.WALLTIME_TOO_LONG, "walltime", c.walltime(), "a walltime in class " + pc.name() + " is 1 to "
                    + pc.maxWalltime() + " s");
        }
        long limit = state.policies().effective(j.project()).maxWalltime(pc.name());
        if (limit > 0 && c.walltime() > limit) {
            return Rejection.of(Code.WALLTIME_TOO_LONG, "walltime", c.walltime(), "project " + j.spec().project() + " may ask for at most " + limit
                    + " s in class " + pc.name());
        }
        if (j.state() == JobState.RUNNING) {
            long ran = c.time() - j.startTime();
            if (c.walltime() <= ran) {
                return Rejection.of(Code.INVALID_VALUE, "walltime", c.walltime(), "job " + c.jobId() + " has run " + ran + " s already. Maybe cancel"
                        + " it instead?");
            }
            int a = j.award();
            long more = (long) j.totalGpus() * (c.walltime() - j.walltime());
            if (a >= 0 && more > 0 && state.awards().get(a).kind() == AwardSpec.Kind.BUDGET && state.awards().headroom(a) < more) {
                return Rejection.of(Code.BUDGET_EXHAUSTED, "walltime", c.walltime(), "award " + state.awards().get(a).id() + " has "
                        + state.awards().headroom(a) / 3600 + " GPU-hours left for new work; this adds " + more / 3600 + ". Maybe ask its programme"
                        + " manager for a top-up?");
            }
        }
        return null;
    }
}

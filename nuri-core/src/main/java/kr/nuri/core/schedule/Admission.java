package kr.nuri.core.schedule;

import java.util.function.Supplier;
import kr.nuri.core.job.Job;

/**
 * An admission rule: what a job must pass before it is placed, whatever the free GPUs. Named in a fleet file as
 * {@code scheduler: {admission: NAME}} and made by {@link Policies}. A pass asks {@link #admits} and
 * {@link #withinOwn} for its quick skips, and {@link #entitled} and {@link #standing} for each job it tries.
 */
public interface Admission {
    /** A job's standing on one GPU model. */
    enum Standing {
        /** Inside its own (guaranteed) quota. */
        OWN,
        /** Admitted only by borrowing what others lend (preemptible jobs). */
        BORROWS,
        /** Not even by borrowing. */
        OVER_QUOTA,
        /** A non-preemptible job that would have to borrow. */
        MAY_NOT_BORROW
    }

    /**
     * Null when the job's entitlement (its award's window and budget, when it names one) lets it start now, else why
     * not: the verdict to record.
     */
    Verdicts.Verdict entitlement(Job job, long now);

    /** The job's standing on model {@code m} for {@code gpus} GPUs. */
    Standing standing(Job job, int m, int gpus);

    /**
     * Why a standing refuses the job, formatted only when read; {@code share} words it for a node-fit job (a share
     * counts as one GPU).
     */
    Supplier<String> refusal(Job job, int m, int gpus, Standing standing, boolean share);

    /** The pass's quick test: whether a project could start {@code gpus} more GPUs of model {@code m} (borrowing if allowed). */
    boolean admits(int project, int m, long gpus, boolean mayBorrow);

    /** Whether {@code gpus} more GPUs of model {@code m} stay inside the project's own quota (it may then reclaim what it lent). */
    boolean withinOwn(int project, int m, long gpus);
}

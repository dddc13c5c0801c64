package kr.nuri.core.schedule;

import java.util.function.Supplier;
import kr.nuri.core.job.Job;
import kr.nuri.core.job.PendingReason;
import kr.nuri.core.util.Paged;

/**
 * The scheduler's latest verdict on each waiting job: why it waits, the explanation (formatted only when read) and
 * the estimated start. Derived data the scheduler owns, not state: not in the state hash, not journaled, recomputed
 * by the next pass after a restore. Indexed by the job's submit sequence; a job never examined reads as
 * {@link PendingReason#PRIORITY} with no estimate.
 */
public final class Verdicts {
    /** A verdict as read. */
    public record Verdict(PendingReason reason, String detail, long estimatedStart) { }

    private static final Supplier<String> NONE = () -> "";
    private final Paged.Refs<PendingReason> reasons = new Paged.Refs<>();
    private final Paged.Refs<Supplier<String>> details = new Paged.Refs<>();
    private final Paged.Longs estimates = new Paged.Longs(-1);

    /** The verdict on a job (meaningful while it waits). */
    public Verdict of(Job job) {
        return new Verdict(reason(job), detail(job), estimatedStart(job));
    }

    public PendingReason reason(Job job) {
        PendingReason r = reasons.get(job.seq());
        return r == null ? PendingReason.PRIORITY : r;
    }

    /** A human-readable explanation of the reason. */
    public String detail(Job job) {
        Supplier<String> d = details.get(job.seq());
        return d == null ? "" : d.get();
    }

    /** Estimated start time, or -1 when none could be computed. */
    public long estimatedStart(Job job) {
        return estimates.get(job.seq());
    }

    void set(Job job, PendingReason reason, String detail, long estimatedStart) {
        set(job, reason, () -> detail, estimatedStart);
    }

    /** Records a verdict whose explanation is formatted only when someone reads it. */
    void set(Job job, PendingReason reason, Supplier<String> detail, long estimatedStart) {
        reasons.set(job.seq(), reason);
        details.set(job.seq(), detail);
        estimates.set(job.seq(), estimatedStart);
    }

    /**
     * Records why a job waits, from a start attempt: its estimated start stays while the reason does (the next full pass
     * revises it), else it has none. An event's pass computes no estimates: without this, every job it looked at lost its
     * estimate until the next full pass.
     */
    void refuse(Job job, PendingReason reason, Supplier<String> detail) {
        long keep = reason == reasons.get(job.seq()) ? estimates.get(job.seq()) : -1;
        set(job, reason, detail, keep);
    }

    /** Keeps the reason and its explanation, with a new estimated start. */
    void setEstimatedStart(Job job, long estimatedStart) {
        estimates.set(job.seq(), estimatedStart);
    }

    /**
     * Sets a fluid estimate, holding the one a job had ({@code before}) while the new one stays within
     * {@link #tolerance} of it and it has not passed: an estimate moves when what it depends on moved enough to matter,
     * not with every pass's small reshuffles (measured on {@code national}: without this, an estimated job's estimate
     * moved 781 times while it waited, 61% of the moves over an hour).
     */
    void settle(Job job, long before, long estimate, long now) {
        boolean hold = before >= now && estimate >= 0 && Math.abs(estimate - before) <= tolerance(before - now);
        estimates.set(job.seq(), hold ? before : estimate);
    }

    /** How far an estimate {@code ahead} seconds out may drift before it is moved: a quarter of the wait, at least 30 min. */
    static long tolerance(long ahead) {
        return Math.max(1800, ahead / 4);
    }

    /** Forgets the verdict (the job started: when it waits again, it starts over as never examined). */
    void clear(Job job) {
        reasons.set(job.seq(), null);
        details.set(job.seq(), null);
        estimates.set(job.seq(), -1);
    }

    static Supplier<String> none() { return NONE; }
}

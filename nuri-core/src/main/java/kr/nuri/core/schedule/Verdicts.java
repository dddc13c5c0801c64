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
    /** What a shown estimate rested on: its pool (bits 44 and up) and the GPUs of waiting work ahead of the job there; -1 none. */
    private final Paged.Longs basis = new Paged.Longs(-1);
    private final Paged.Refs<Move> moves = new Paged.Refs<>();

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
     * moved 781 times while it waited, 61% of the moves over an hour). When it moves, why is kept ({@link #move}):
     * {@code eta} made the estimate and can say what it would have been had only the work ahead of the job changed.
     */
    void settle(Job job, long before, long estimate, long now, EtaProfile eta) {
        boolean hold = before >= now && estimate >= 0 && Math.abs(estimate - before) <= tolerance(before - now);
        if (hold) {
            estimates.set(job.seq(), before); // a start attempt in between may have dropped it
            return;
        }
        estimates.set(job.seq(), estimate);
        if (estimate < 0 || eta == null || eta.lastPool() < 0) {
            basis.set(job.seq(), -1);
            return;
        }
        long was = basis.get(job.seq());
        if (before >= 0 && estimate != before) moves.set(job.seq(), new Move(before, estimate, now, cause(was, before, estimate, now, eta)));
        basis.set(job.seq(), ((long) eta.lastPool() << 44) | Math.min(eta.lastAhead(), (1L << 44) - 1));
    }

    /**
     * Why an estimate moved from {@code before} to {@code estimate}. The move splits in two: what the work ahead changed
     * (the estimate now against the one with the work ahead as it was, everything running as it is now) and what the
     * rest changed (the running jobs' ends, free GPUs); the larger part names the cause.
     */
    private static MoveCause cause(long was, long before, long estimate, long now, EtaProfile eta) {
        if (before < now) return MoveCause.PASSED;
        if (eta.lastQuotaBlocked()) return MoveCause.QUOTA;
        boolean later = estimate > before;
        if (was < 0 || (int) (was >>> 44) != eta.lastPool()) return later ? MoveCause.RELEASES_LATER : MoveCause.RELEASES_EARLIER;
        long asWas = eta.whenWithAhead(was & ((1L << 44) - 1), now);
        long byAhead = asWas < 0 ? 0 : estimate - asWas;
        long byRest = asWas < 0 ? estimate - before : asWas - before;
        if (Math.abs(byAhead) >= Math.abs(byRest)) return byAhead > 0 ? MoveCause.MORE_AHEAD : MoveCause.LESS_AHEAD;
        return byRest > 0 ? MoveCause.RELEASES_LATER : MoveCause.RELEASES_EARLIER;
    }

    /** Why a waiting job's estimated start moved. */
    public enum MoveCause {
        MORE_AHEAD("more waiting work now ranks ahead of it: arrivals of a higher class, or projects ahead of its own in fair share"),
        LESS_AHEAD("less waiting work ranks ahead of it: jobs ahead of it started or left, or fell behind its project in fair share"),
        RELEASES_LATER("the GPUs it waits for are expected to free later: jobs started on them, or nodes went down"),
        RELEASES_EARLIER("the GPUs it waits for are expected to free sooner: running jobs ended before their walltime, or nodes came back"),
        PASSED("its estimate passed without a start: the jobs it waited for ran to their walltime, or work ahead took the GPUs"),
        QUOTA("its project's quota: its own running jobs' ends, or the quota, changed");

        private final String text;

        MoveCause(String text) { this.text = text; }

        public String text() { return text; }
    }

    /** The last move of a waiting job's estimated start: from, to, when (virtual or server time) and why. */
    public record Move(long from, long to, long at, MoveCause cause) { }

    /** The last move of the job's estimated start since it last waited, or null when it has not moved. */
    public Move move(Job job) {
        return moves.get(job.seq());
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
        basis.set(job.seq(), -1);
        moves.set(job.seq(), null);
    }

    static Supplier<String> none() { return NONE; }
}

package kr.nuri.core.schedule;

import java.util.function.Consumer;
import java.util.function.Supplier;
import kr.nuri.core.event.Event;
import kr.nuri.core.fleet.Fleet;
import kr.nuri.core.fleet.Level;
import kr.nuri.core.job.Job;
import kr.nuri.core.job.JobSpec;
import kr.nuri.core.job.PendingReason;
import kr.nuri.core.schedule.fit.NodeFit;
import kr.nuri.core.state.State;

/**
 * One attempt to start a job now: its entitlement and quota standing per allowed model ({@link Admission}), then
 * placement: a gang by the {@link GangPlacement}, a node-fit job by the {@link NodeFit} policy. It emits the start,
 * or records why the job waits (the most telling reason over its models).
 *
 * <p>Measured hot path: gang placements that failed are remembered per pass generation and shape while free
 * capacity has not grown ({@link kr.nuri.core.state.Capacity#growth}): a gang at least as large as one that failed
 * fails too.
 */
final class Starter {
    private static final int LEVEL_COUNT = Level.values().length;
    private final State state;
    private final Admission admission;
    private final GangPlacement placement;
    private final NodeFit nodeFit;
    private final Backfill backfill;
    private final Verdicts verdicts;
    /** Set when the only way to start was to borrow and borrowing was not allowed yet. */
    private boolean deferredToBorrow;
    private long generation = 1;
    private final long[] memoGeneration;
    private final long[] memoGrowth;
    private final int[] memoMembers;
    private final PendingReason[] memoReason;
    private PendingReason lastFailure;
    /** The attempt's yield rule, or null. */
    private YieldRule yields;

    Starter(State state, Admission admission, GangPlacement placement, NodeFit nodeFit, Backfill backfill, Verdicts verdicts) {
        this.state = state;
        this.verdicts = verdicts;
        this.admission = admission;
        this.placement = placement;
        this.nodeFit = nodeFit;
        this.backfill = backfill;
        int keys = state.fleet().poolCount() * (state.fleet().maxGpusPerNode() + 1) * 2 * LEVEL_COUNT * 2;
        memoGeneration = new long[keys];
        memoGrowth = new long[keys];
        memoMembers = new int[keys];
        memoReason = new PendingReason[keys];
    }

    /** Forgets the failed placements remembered so far (a new pass or decision). */
    void newGeneration() { generation++; }

    /** Whether the last {@link #tryStart} held back a start that would borrow (no verdict was recorded). */
    boolean deferredToBorrow() { return deferredToBorrow; }

    /** Tries to start a job now, borrowing if it must, wherever it fits (a preemption or a reservation made room for it). */
    boolean tryStart(Job job, long now, Consumer<Event> emit) {
        return tryStart(job, now, emit, true, null);
    }

    /**
     * Tries to start a job now. With {@code mayBorrow == false}, a start that would borrow is deferred:
     * it returns false with {@link #deferredToBorrow} set and no verdict. A preemptible job does not start on a model
     * it yields ({@link YieldRule}; null = none).
     */
    boolean tryStart(Job job, long now, Consumer<Event> emit, boolean mayBorrow, YieldRule yields) {
        deferredToBorrow = false;
        this.yields = yields;
        JobSpec spec = job.spec();
        if (spec.nodeFit()) return tryStartNodeFit(job, now, emit, mayBorrow);
        int total = job.totalGpus();
        if (!entitled(job, now)) return false;
        Fleet fleet = state.fleet();
        boolean useReserved = backfill.mayUseReserved(job, now);
        PendingReason reason = null;
        Supplier<String> detail = () -> "";
        for (int m : job.allowedPools()) {
            PendingReason r;
            Supplier<String> d;
            if (state.capacity().freeGpus(m, true) < total) {
                // Cheapest test first: without the GPUs, the quota does not matter yet.
                if (reason == null || PendingReason.INSUFFICIENT_CAPACITY.ordinal() > reason.ordinal()) {
                    reason = PendingReason.INSUFFICIENT_CAPACITY;
                    detail = noGpus(m, total);
                }
                continue;
            }
            Admission.Standing standing = admission.standing(job, m, total);
            int model = m;
            if (standing == Admission.Standing.OVER_QUOTA || standing == Admission.Standing.MAY_NOT_BORROW) {
                r = PendingReason.QUOTA_EXCEEDED;
                d = admission.refusal(job, m, total, standing, false);
            } else if (yields != null && yields.yields(job, m, standing == Admission.Standing.OWN)) {
                r = PendingReason.YIELDS_TO_WAITING_JOB;
                d = yields.why(m);
            } else {
                boolean own = standing == Admission.Standing.OWN;
                if (!own && !mayBorrow) {
                    deferredToBorrow = true;
                    continue;
                }
                Placement p = place(job, m, useReserved, true);
                if (p != null) {
                    emit.accept(new Event.JobStarted(now, job.id(), m, p.nodes(), p.gpus(), !own));
                    return true;
                }
                r = lastFailure;
                long reservedFrom = state.earliestReservationStart(job.id());
                if (!useReserved && reservedFrom != Long.MAX_VALUE && place(job, m, true, false) != null) {
                    r = PendingReason.BLOCKED_BY_RESERVATION;
                    d = () -> "it fits only on GPUs reserved from t=" + reservedFrom + " and its walltime would run past that";
                } else if (r == PendingReason.INSUFFICIENT_CAPACITY) {
                    d = noGpus(m, total);
                } else {
                    d = () -> "no " + spec.level().label() + " has " + spec.members() + " nodes with " + spec.gpusPerMember()
                            + " free " + fleet.pools().get(model) + " GPUs each";
                }
            }
            if (reason == null || r.ordinal() > reason.ordinal()) {
                reason = r;
                detail = d;
            }
        }
        if (deferredToBorrow) return false; // phase 1 decides, borrowing allowed
        verdicts.refuse(job, reason, detail);
        return false;
    }

    private boolean entitled(Job job, long now) {
        Verdicts.Verdict refused = admission.entitlement(job, now);
        if (refused == null) return true;
        verdicts.set(job, refused.reason(), refused.detail(), refused.estimatedStart());
        return false;
    }

    private Supplier<String> noGpus(int m, int total) {
        long free = state.capacity().freeGpus(m, true);
        String model = state.fleet().pools().get(m);
        return () -> free + " " + model + " GPUs free, the job needs " + total;
    }

    /**
     * {@link #tryStart} for a node-fit job: the award, then quota per allowed model (a share counts as one GPU, a
     * CPU-only job as none), then one {@link NodeFit} search over the nodes of every model the quota admits.
     */
    private boolean tryStartNodeFit(Job job, long now, Consumer<Event> emit, boolean mayBorrow) {
        JobSpec spec = job.spec();
        int total = job.totalGpus();
        if (!entitled(job, now)) return false;
        int[] allowed = job.allowedPools();
        int[] admitted = new int[allowed.length];
        int count = 0;
        PendingReason reason = null;
        Supplier<String> detail = () -> "";
        for (int m : allowed) {
            if (total > 0) {
                Admission.Standing standing = admission.standing(job, m, total);
                if (standing == Admission.Standing.OVER_QUOTA || standing == Admission.Standing.MAY_NOT_BORROW) {
                    reason = PendingReason.QUOTA_EXCEEDED;
                    detail = admission.refusal(job, m, total, standing, true);
                    continue;
                }
                if (standing == Admission.Standing.BORROWS && !mayBorrow) {
                    deferredToBorrow = true;
                    continue;
                }
            }
            if (yields != null && job.preemptible() && yields.yields(job, m, total == 0 || admission.standing(job, m, total) == Admission.Standing.OWN)) {
                reason = PendingReason.YIELDS_TO_WAITING_JOB;
                detail = yields.why(m);
                continue;
            }
            admitted[count++] = m;
        }
        if (count > 0) {
            boolean useReserved = backfill.mayUseReserved(job, now);
            NodeFit.Choice c = nodeFit.place(spec, job.seq(), admitted, count, useReserved);
            if (c != null) {
                int m = state.fleet().poolOfNode(c.node());
                boolean borrowed = total > 0 && !admission.withinOwn(job.project(), m, total);
                emit.accept(new Event.JobStarted(now, job.id(), m, new int[] {c.node()}, new int[] {spec.sharing() ? 0 : spec.gpusPerMember()},
                        borrowed, spec.sharing() ? new int[] {c.slot()} : null));
                return true;
            }
            long reservedFrom = state.earliestReservationStart(job.id());
            if (!useReserved && reservedFrom != Long.MAX_VALUE && nodeFit.place(spec, job.seq(), admitted, count, true) != null) {
                reason = PendingReason.BLOCKED_BY_RESERVATION;
                detail = () -> "it fits only on nodes reserved from t=" + reservedFrom + " and its walltime would run past that";
            } else {
                reason = PendingReason.INSUFFICIENT_CAPACITY;
                String gpu = spec.sharing() ? spec.gpuMilli() + " thousandths of a GPU"
                        : spec.gpusPerMember() == 0 ? "no GPU" : spec.gpusPerMember() + " free GPUs";
                detail = () -> "no node has " + gpu + ", " + spec.cpuMilli() + " mCPU and " + spec.memoryMib() + " MiB free";
            }
        }
        if (deferredToBorrow) return false;
        verdicts.refuse(job, reason == null ? PendingReason.INSUFFICIENT_CAPACITY : reason, detail);
        return false;
    }

    /**
     * Places with the memo of shapes that did not fit (see the class comment). With {@code choose == false}, only
     * whether it fits ({@link GangPlacement#FITS} or null); the reason of a failure is left in {@link #lastFailure}.
     */
    private Placement place(Job job, int m, boolean useReserved, boolean choose) {
        JobSpec spec = job.spec();
        int key = ((m * (state.fleet().maxGpusPerNode() + 1) + spec.gpusPerMember()) * 2 + (spec.levelRequired() ? 1 : 0))
                * LEVEL_COUNT + spec.level().ordinal();
        key = key * 2 + (useReserved ? 1 : 0);
        long growth = state.capacity().growth();
        boolean valid = memoGeneration[key] == generation && memoGrowth[key] == growth;
        if (valid && spec.members() >= memoMembers[key]) {
            lastFailure = memoReason[key];
            return null;
        }
        Placement p = placement.place(m, spec.members(), spec.gpusPerMember(), spec.level(), spec.levelRequired(), useReserved, choose);
        if (p == null) {
            lastFailure = placement.lastFailure();
            if (!valid || spec.members() < memoMembers[key]) {
                memoGeneration[key] = generation;
                memoGrowth[key] = growth;
                memoMembers[key] = spec.members();
                memoReason[key] = lastFailure;
            }
        }
        return p;
    }
}

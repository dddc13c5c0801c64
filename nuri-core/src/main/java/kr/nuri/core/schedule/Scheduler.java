package kr.nuri.core.schedule;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import kr.nuri.core.config.SchedulerSettings;
import kr.nuri.core.event.Event;
import kr.nuri.core.fleet.Level;
import kr.nuri.core.job.Job;
import kr.nuri.core.job.JobState;
import kr.nuri.core.job.PendingReason;
import kr.nuri.core.job.PriorityClass;
import kr.nuri.core.policy.Preemption;
import kr.nuri.core.policy.QueueOrder;
import kr.nuri.core.state.PendingQueue;
import kr.nuri.core.state.Reservation;
import kr.nuri.core.state.State;
import kr.nuri.core.util.Paged;

/**
 * The scheduling pass: walks waiting jobs in order and emits what it decides as events.
 *
 * <p>The pass is the mechanism; the policies are named pieces ({@link Policies}): the {@link QueueOrder} (priority
 * class first, then fair share between projects, or one ranking of the class's waiting jobs by the order's key),
 * the {@link Admission} rule and the placements ({@link GangPlacement}, {@code fit/NodeFit}) that {@link Starter}
 * applies to each job, the {@link Preemption} rule {@link Preemptor} searches victims under, and the
 * {@link Backfill} policy that reserves for jobs blocked for lack of GPUs.
 *
 * <p>Waiting jobs sit in one FIFO per (class, project, GPU model, size class); a project's are walked merged, in
 * submit order ({@link ProjectFifos}). An event-triggered pass skips FIFOs whose jobs cannot fit in their model's free
 * GPUs or their project's remaining quota (unless it may still preempt or reclaim for them); it leaves a FIFO after
 * {@value #FIFO_PROBE_DEPTH} jobs in a row failed to start, a project after as many waited for their award, and stops
 * after {@code probeDepth} jobs failed for GPUs (Slurm's {@code default_queue_depth}); a full
 * pass (on Tick) visits every job and gives each one a pending reason and, where computable, an estimated
 * start. At most {@value #PREEMPTION_ATTEMPTS_PER_PASS} preemption searches run per pass.
 */
public final class Scheduler {
    private final State state;
    private final SchedulerSettings settings;
    private final QueueOrder queueOrder;
    private final Admission admission;
    private final Preemption preemption;
    private final Backfill backfill;
    private final Starter starter;
    private final Preemptor preemptor;
    private final Verdicts verdicts = new Verdicts();
    private final RuntimeRatios runtimes = new RuntimeRatios();
    /** Per waiting job (by submit sequence), the number of the pass that last examined it. */
    private final Paged.Longs examined = new Paged.Longs(-1);
    private final int[] classOrder;
    private final int[] classPriority;
    private final YieldRule yields;
    private final ProjectFifos fifos = new ProjectFifos();
    /**
     * Preemption searches are the expensive part of a pass: two per pass, of which at most one for a gang
     * (gang searches fail most often, on node-level fragmentation). Measured: more add cost, not preemptions.
     */
    static final int PREEMPTION_ATTEMPTS_PER_PASS = 2;
    /** An event-triggered pass leaves a FIFO after this many of its jobs in a row failed to start. */
    static final int FIFO_PROBE_DEPTH = 8;
    private long passes;

    /** The scheduler of a state with the policies its settings name, made by {@code policies}. */
    public Scheduler(State state, Policies policies) {
        this.state = state;
        this.settings = state.config().scheduler();
        this.queueOrder = state.queueOrder();
        GangPlacement placement = policies.create(Policies.GANG_PLACEMENT, new Policies.Context(settings, state, queueOrder, null));
        Policies.Context context = new Policies.Context(settings, state, queueOrder, placement);
        this.admission = policies.create(Policies.ADMISSION, context);
        this.preemption = policies.create(Policies.PREEMPTION, context);
        this.backfill = policies.create(Policies.BACKFILL, context);
        this.starter = new Starter(state, admission, placement, policies.create(Policies.NODE_FIT, context), backfill, verdicts);
        this.preemptor = new Preemptor(state, settings.maxVictims(), settings.preemptExemptSeconds(), preemption);
        List<PriorityClass> classes = state.config().classes();
        Integer[] order = new Integer[classes.size()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Arrays.sort(order, Comparator.comparingInt((Integer i) -> -classes.get(i).priority()).thenComparingInt(i -> i));
        classOrder = Arrays.stream(order).mapToInt(Integer::intValue).toArray();
        classPriority = classes.stream().mapToInt(PriorityClass::priority).toArray();
        this.yields = new YieldRule(state, classPriority);
    }

    /** The counters and limits of one pass, shared by the walks of every queue order. */
    private final class Walk {
        final long passId;
        final long now;
        final boolean full;
        final Consumer<Event> emit;
        final EtaProfile eta;
        final Set<String> confirmed = new HashSet<>();
        boolean borrowPhase;
        int examined;
        int started;
        int preemptions;
        int preemptionAttempts;
        boolean gangAttempted;
        int reservedProbes;
        int passMisses;
        int reserved;
        /** Jobs in a row that failed to start in the FIFO being walked. */
        int misses;
        /** Whether the job just visited waits for its award (then it was not counted a miss). */
        boolean waitsForAward;
        /** Under a global order: jobs an event-triggered pass skipped without trying (they could not fit). */
        int skipped;
        /** Under a global order: jobs phase 0 left for phase 1 because they could start only by borrowing. */
        final List<Job> deferred = new ArrayList<>();

        Walk(long passId, long now, boolean full, Consumer<Event> emit) {
            this.passId = passId;
            this.now = now;
            this.full = full;
            this.emit = emit;
            this.eta = full ? new EtaProfile(state, runtimes) : null;
        }

        boolean mayPreempt() { return preemptionAttempts < PREEMPTION_ATTEMPTS_PER_PASS; }

        boolean mayProbeReserved() { return reservedProbes < settings.probeDepth(); }

        /** Whether the pass may still look at reserved GPUs for this job: always for the reservation's holder. */
        boolean mayProbeReserved(Job job) { return mayProbeReserved() || state.reservations().containsKey(job.id()); }
    }

    /** The scheduler's verdicts on waiting jobs (derived data, not state). */
    public Verdicts verdicts() { return verdicts; }

    /** Told of a start the state replayed: the job's verdict is over. */
    public void started(Job job) { verdicts.clear(job); }

    /** A run of {@code job} is about to end as {@code outcome}, its GPUs held until {@code heldUntil} (for estimates: {@link RuntimeRatios}). */
    public void ending(Job job, kr.nuri.core.job.Outcome outcome, long heldUntil) {
        runtimes.ended(job, outcome, heldUntil);
    }

    /** Runs one pass at {@code now}; every decision goes to {@code emit}, which must replay it at once. */
    public PassStats pass(long now, boolean full, Consumer<Event> emit) {
        Walk w = new Walk(++passes, now, full, emit);
        starter.newGeneration();
        yields.reset();
        // Phase 0 starts only jobs inside their own quota; phase 1 lets preemptible jobs borrow what is left.
        // Otherwise a borrower would take GPUs freed for their owner's waiting jobs, and the owner would
        // reclaim them by preemption right after (Kueue likewise admits non-borrowing workloads first).
        for (int phase = 0; phase < 2; phase++) {
            w.borrowPhase = phase == 1;
            w.passMisses = 0;
            if (queueOrder.global()) {
                walkRanked(w);
            } else {
                walkFairShare(w);
            }
        }
        if (full) backfill.endFullPass(now, w.confirmed, emit);
        return new PassStats(w.examined, w.started, w.preemptions, w.reserved, full);
    }

    /**
     * The fair-share walk: class, then projects by fair share, then each project's waiting jobs in submit order
     * ({@link ProjectFifos}: its FIFOs per model and size class merged), leaving out the FIFOs that cannot fit.
     */
    private void walkFairShare(Walk w) {
        boolean full = w.full;
        double[] keys = FairShareOrder.keys(state, w.now);
        for (int c : classOrder) {
            for (int p : FairShareOrder.projects(state.queue(), c, keys)) {
                fifos.reset(state.queue(), c, p);
                for (int k = state.queue().modelCount(c, p) - 1; k >= 0; k--) {
                    int m = state.queue().model(c, p, k);
                    for (long slots = state.queue().slots(c, p, m); slots != 0; slots &= slots - 1) {
                        int slot = Long.numberOfTrailingZeros(slots);
                        long gpus = 1L << (slot >> 1);
                        boolean preemptibleJobs = (slot & 1) == 1;
                        if (w.borrowPhase && !preemptibleJobs) continue;
                        if (!full && !mayFit(c, p, m, gpus, preemptibleJobs && w.borrowPhase, w.mayPreempt(), w.mayProbeReserved())) {
                            if (admission.admits(p, m, gpus, preemptibleJobs && w.borrowPhase)) yields.gpus(m, classPriority[c]);
                            if (preemptibleJobs && !mayFit(c, p, m, gpus, true, true, true)) break;
                            continue;
                        }
                        fifos.add(m, slot);
                    }
                }
                int awardMisses = 0; // jobs in a row of this project that wait for their award
                while (fifos.advance()) {
                    Job job = fifos.job();
                    if (examined.get(job.seq()) == w.passId) continue;
                    if (!full && w.passMisses >= settings.probeDepth()) return;
                    if (!full && (fifos.misses() >= FIFO_PROBE_DEPTH || !mayFit(c, p, fifos.model(), job.totalGpus(),
                            fifos.preemptible() && w.borrowPhase, w.mayPreempt(), w.mayProbeReserved(job)))) {
                        fifos.drop();
                        continue;
                    }
                    if (!full && state.capacity().freeGpus(fifos.model(), false) < job.totalGpus()) w.reservedProbes++;
                    w.misses = fifos.misses();
                    visit(w, job);
                    if (!w.waitsForAward) {
                        awardMisses = 0;
                    } else if (++awardMisses >= FIFO_PROBE_DEPTH && !full) {
                        break; // a full pass sees the rest
                    }
                    fifos.misses(w.misses);
                }
            }
        }
    }

    /**
     * The walk of a global order (fifo, sjf, srtf): class, then every waiting job of the class by the order's
     * key. Phase 1 looks again only at the jobs phase 0 left to it (those that could start only by borrowing).
     */
    private void walkRanked(Walk w) {
        if (w.borrowPhase) {
            List<Job> later = List.copyOf(w.deferred);
            w.deferred.clear();
            for (Job job : later) {
                if (job.state() != JobState.PENDING || examined.get(job.seq()) == w.passId) continue;
                if (!w.full && w.passMisses >= settings.probeDepth()) return;
                visit(w, job);
            }
            return;
        }
        for (int c : classOrder) {
            var ranked = state.queue().rankedAfter(c, Long.MIN_VALUE, Long.MIN_VALUE);
            while (ranked.hasNext()) {
                PendingQueue.Ranked r = ranked.next();
                Job job = r.job();
                if (examined.get(job.seq()) == w.passId) continue;
                if (!w.full && w.passMisses >= settings.probeDepth()) return;
                if (!w.full && !mayFitAnyModel(c, job, w)) {
                    for (int m : job.allowedPools()) {
                        if (admission.admits(job.project(), m, job.totalGpus(), job.preemptible())) yields.gpus(m, job.priority());
                    }
                    // Skipping costs a quota and capacity check per job, not per FIFO as in the fair-share walk:
                    // bound it too, so a long backlog that cannot start is not walked on every event.
                    if (++w.skipped > (long) settings.probeDepth() * FIFO_PROBE_DEPTH) return;
                    continue;
                }
                visit(w, job);
                if (w.waitsForAward && !w.full && ++w.skipped > (long) settings.probeDepth() * FIFO_PROBE_DEPTH) return;
                ranked = state.queue().rankedAfter(c, r.key(), r.seq()); // the visit may have changed the queue
            }
        }
    }

    /** The ranked walk's quick test: whether some model the job allows passes {@link #mayFit}. */
    private boolean mayFitAnyModel(int c, Job job, Walk w) {
        boolean any = false;
        boolean unreserved = false;
        for (int m : job.allowedPools()) {
            if (mayFit(c, job.project(), m, job.totalGpus(), job.preemptible(), w.mayPreempt(), w.mayProbeReserved(job))) {
                any = true;
                unreserved |= state.capacity().freeGpus(m, false) >= job.totalGpus();
            }
        }
        if (any && !unreserved) w.reservedProbes++;
        return any;
    }

    /**
     * Decides one waiting job: start it; else preempt for it (within the pass's preemption budget); else
     * reserve for it (the first {@code reservations} blocked jobs) or estimate its start.
     */
    private void visit(Walk w, Job job) {
        long now = w.now;
        Consumer<Event> emit = w.emit;
        EtaProfile eta = w.eta;
        long before = verdicts.estimatedStart(job); // the estimate it had, for Verdicts.settle
        w.examined++;
        w.waitsForAward = false;
        if (starter.tryStart(job, now, emit, w.borrowPhase, yields)) {
            w.started++;
            w.misses = 0;
            w.passMisses = 0;
            return;
        }
        if (starter.deferredToBorrow()) { // phase 1 looks at it again
            if (queueOrder.global()) w.deferred.add(job);
            return;
        }
        examined.set(job.seq(), w.passId);
        // A job its award holds back (window or budget) is not a miss for GPUs: it spends no probe depth; the walks
        // bound these apart (a project is left after FIFO_PROBE_DEPTH of them in a row; a ranked walk counts them skipped).
        w.waitsForAward = verdicts.reason(job).waitsForAward();
        if (!w.waitsForAward) {
            w.misses++;
            w.passMisses++;
        }
        boolean forGpus = verdicts.reason(job).waitsForGpus();
        if (!job.spec().nodeFit()) {
            if (forGpus) yields.gpus(job);
            else if (verdicts.reason(job) == PendingReason.QUOTA_EXCEEDED) yields.quota(job);
        }
        if (job.spec().nodeFit()) {
            // Node by node: no preemption or reservation. The estimate is the fluid one on GPUs (a share needs at most
            // one), CPU and memory aside; a CPU-only job gets none.
            boolean quotaBlocked = verdicts.reason(job) == PendingReason.QUOTA_EXCEEDED;
            if (eta != null && job.totalGpus() > 0 && (forGpus || quotaBlocked)) verdicts.settle(job, before, eta.estimate(job, now, quotaBlocked), now, eta);
            return;
        }
        if (!forGpus && !mayReclaim(job)) {
            if (eta != null && verdicts.reason(job) == PendingReason.QUOTA_EXCEEDED) {
                verdicts.settle(job, before, eta.estimate(job, now, true), now, eta);
            }
            return;
        }
        boolean gang = job.spec().members() > 1;
        if (settings.preemption() && w.mayPreempt() && !(gang && w.gangAttempted)) {
            w.preemptionAttempts++;
            w.gangAttempted |= gang;
            if (preemptAndStart(job, now, emit)) {
                w.preemptions++;
                w.started++;
                w.misses = 0;
                return;
            }
        }
        if (!forGpus) {
            if (eta != null) verdicts.settle(job, before, eta.estimate(job, now, true), now, eta);
            return;
        }
        if (w.reserved < backfill.reservations()) {
            w.reserved++;
            backfill.reserve(job, now, w.full, w.confirmed, emit, verdicts);
            Reservation mine = state.reservations().get(job.id());
            if (mine != null && mine.start() <= now && starter.tryStart(job, now, emit)) {
                // It took the reservation over from a job behind it and fits now.
                w.started++;
                w.misses = 0;
                return;
            }
            if (eta != null) eta.estimate(job, now, false); // its demand comes before the jobs behind it
        } else if (eta != null) {
            verdicts.settle(job, before, eta.estimate(job, now, false), now, eta);
        }
    }

    /**
     * Whether a gang of {@code gpus} GPUs of model {@code m} for a project could start now: enough quota
     * (borrowing only for preemptible jobs) and enough free GPUs (reserved ones only while this pass may still
     * probe for short backfill jobs), or, while this pass may still preempt, jobs it could preempt or reclaim.
     */
    private boolean mayFit(int priorityClass, int project, int m, long gpus, boolean mayBorrow, boolean mayPreempt,
                           boolean mayProbeReserved) {
        boolean preempt = mayPreempt && settings.preemption();
        if (preempt && admission.withinOwn(project, m, gpus) && !state.running().borrowed(m).isEmpty()) {
            return true; // may reclaim what it lent
        }
        if (!admission.admits(project, m, gpus, mayBorrow)) return false;
        return state.capacity().freeGpus(m, mayProbeReserved) >= gpus
                || (gpus <= 1 && state.capacity().roomySharedSlots(m) > 0) // a share may fit a GPU others share
                || (preempt && state.running().preemptibleGpusBelow(Level.FLEET, m,
                        preemption.victimBound(classPriority[priorityClass])) > 0);
    }

    /**
     * Considers one newly submitted job on its own: start it if it fits without delaying a reservation, or
     * preempt for it, or give it a free reservation slot. The rest of the queue gets its turn on the next completion or Tick, since a submission
     * frees no GPUs for the jobs already waiting.
     */
    public PassStats consider(Job job, long now, Consumer<Event> emit) {
        starter.newGeneration();
        if (starter.tryStart(job, now, emit, true, yields.forSubmission(job))) return new PassStats(1, 1, 0, 0, false);
        if (job.spec().nodeFit()) return new PassStats(1, 0, 0, 0, false);
        if (settings.preemption() && (verdicts.reason(job).waitsForGpus() || mayReclaim(job)) && preemptAndStart(job, now, emit)) {
            return new PassStats(1, 1, 1, 0, false);
        }
        if (verdicts.reason(job).waitsForGpus() && state.reservations().size() < backfill.reservations()) {
            // A free reservation slot means no job ahead claimed one: protect this job from backfill now.
            backfill.reserve(job, now, false, new HashSet<>(), emit, verdicts);
            return new PassStats(1, 0, 0, 1, false);
        }
        return new PassStats(1, 0, 0, 0, false);
    }

    /** Ends victims to make room for a job and starts it; false when no preemption makes room. */
    private boolean preemptAndStart(Job job, long now, Consumer<Event> emit) {
        if (!preemptor.preemptFor(job, now, backfill.mayUseReserved(job, now), emit)) return false;
        if (!starter.tryStart(job, now, emit)) throw new IllegalStateException("job " + job.id() + " did not start after its preemption");
        return true;
    }

    /** A job refused for quota while inside its own quota waits for capacity it lent: it may reclaim it. */
    private boolean mayReclaim(Job job) {
        if (verdicts.reason(job) != PendingReason.QUOTA_EXCEEDED) return false;
        for (int m : job.allowedPools()) {
            if (admission.withinOwn(job.project(), m, job.totalGpus())) return true;
        }
        return false;
    }
}

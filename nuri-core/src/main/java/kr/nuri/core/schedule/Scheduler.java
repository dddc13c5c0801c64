package kr.nuri.core.schedule;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import kr.nuri.core.award.AwardBook;
import kr.nuri.core.award.AwardSpec;
import kr.nuri.core.config.QueueOrder;
import kr.nuri.core.config.SchedulerSettings;
import kr.nuri.core.event.Event;
import kr.nuri.core.fleet.Fleet;
import kr.nuri.core.fleet.Level;
import kr.nuri.core.job.Job;
import kr.nuri.core.job.JobSpec;
import kr.nuri.core.job.PendingReason;
import kr.nuri.core.job.PriorityClass;
import kr.nuri.core.state.PendingQueue;
import kr.nuri.core.state.Reservation;
import kr.nuri.core.state.State;
import kr.nuri.core.tenancy.QuotaBook;

/**
 * The scheduling pass: walks waiting jobs in order and emits what it decides as events.
 *
 * <p>Order: priority class (highest first), then, under the default {@link QueueOrder#FAIR_SHARE}, fair share (the
 * project with the least decayed usage per share first), then submit sequence; under fifo, sjf and srtf, one
 * ranking of all the class's waiting jobs by the order's key (see {@link PendingQueue#key}). For each job: award window and budget, quota with borrowing, then
 * all-or-nothing topology-aware placement. A job that cannot start for lack of GPUs may preempt (see
 * {@link Preemptor}); the first {@code reservations} such jobs get a reservation in a concrete domain at their
 * earliest start, and later jobs are backfilled only where they cannot delay it: on nodes outside every
 * reservation, or anywhere if they end (by walltime) before the earliest reservation starts.
 *
 * <p>Waiting jobs sit in one FIFO per (class, project, GPU model, size class). An event-triggered pass skips
 * FIFOs whose jobs cannot fit in their model's free GPUs or their project's remaining quota (unless it may
 * still preempt or reclaim for them); it leaves a FIFO after {@value #FIFO_PROBE_DEPTH} jobs in a row failed to
 * start and stops after {@code probeDepth} (Slurm's {@code default_queue_depth}); a full
 * pass (on Tick) visits every job and gives each one a pending reason and, where computable, an estimated
 * start. At most {@value #PREEMPTION_ATTEMPTS_PER_PASS} preemption searches run per pass.
 */
public final class Scheduler {
    private static final int LEVEL_COUNT = Level.values().length;
    private final State state;
    private final SchedulerSettings settings;
    private final Placer placer;
    private final NodePlacer nodePlacer;
    private final Preemptor preemptor;
    private final ReservationPlanner planner;
    private final int[] classOrder;
    private final int[] classPriority;
    private final QueueOrder queueOrder;
    /**
     * Preemption searches are the expensive part of a pass: two per pass, of which at most one for a gang
     * (gang searches fail most often, on node-level fragmentation). Measured: more add cost, not preemptions.
     */
    static final int PREEMPTION_ATTEMPTS_PER_PASS = 2;
    /** An event-triggered pass leaves a FIFO after this many of its jobs in a row failed to start. */
    static final int FIFO_PROBE_DEPTH = 8;
    private long passes;
    /** Set by tryStart when the only way to start was to borrow and borrowing was not allowed yet. */
    private boolean deferredToBorrow;
    private long generation = 1;
    private final long[] memoGeneration;
    private final long[] memoGrowth;
    private final int[] memoMembers;
    private final PendingReason[] memoReason;

    public Scheduler(State state) {
        this.state = state;
        this.settings = state.config().scheduler();
        this.placer = new Placer(state.capacity());
        this.nodePlacer = new NodePlacer(state);
        this.queueOrder = settings.queueOrder();
        this.preemptor = new Preemptor(state, settings.maxVictims(), settings.preemptExemptSeconds(), queueOrder == QueueOrder.SRTF);
        this.planner = new ReservationPlanner(state, placer);
        List<PriorityClass> classes = state.config().classes();
        Integer[] order = new Integer[classes.size()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Arrays.sort(order, Comparator.comparingInt((Integer i) -> -classes.get(i).priority()).thenComparingInt(i -> i));
        classOrder = Arrays.stream(order).mapToInt(Integer::intValue).toArray();
        classPriority = classes.stream().mapToInt(PriorityClass::priority).toArray();
        int keys = state.fleet().modelCount() * (state.fleet().maxGpusPerNode() + 1) * 2 * Level.values().length * 2;
        memoGeneration = new long[keys];
        memoGrowth = new long[keys];
        memoMembers = new int[keys];
        memoReason = new PendingReason[keys];
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
        /** Under a global order: jobs an event-triggered pass skipped without trying (they could not fit). */
        int skipped;
        /** Under a global order: jobs phase 0 left for phase 1 because they could start only by borrowing. */
        final List<Job> deferred = new ArrayList<>();

        Walk(long passId, long now, boolean full, Consumer<Event> emit) {
            this.passId = passId;
            this.now = now;
            this.full = full;
            this.emit = emit;
            this.eta = full ? new EtaProfile(state) : null;
        }

        boolean mayPreempt() { return preemptionAttempts < PREEMPTION_ATTEMPTS_PER_PASS; }

        boolean mayProbeReserved() { return reservedProbes < settings.probeDepth(); }
    }

    /** Runs one pass at {@code now}; every decision goes to {@code emit}, which must replay it at once. */
    public PassStats pass(long now, boolean full, Consumer<Event> emit) {
        Walk w = new Walk(++passes, now, full, emit);
        generation++;
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
        if (full) {
            for (String holder : List.copyOf(state.reservations().keySet())) {
                if (!w.confirmed.contains(holder)) emit.accept(new Event.ReservationReleased(now, holder));
            }
        }
        return new PassStats(w.examined, w.started, w.preemptions, w.reserved, full);
    }

    /** The fair-share walk: class, then projects by fair share, then each (model, size class) FIFO. */
    private void walkFairShare(Walk w) {
        int models = state.fleet().modelCount();
        boolean full = w.full;
        double[] keys = fairShareKeys(w.now);
        for (int c : classOrder) {
            for (int p : orderedProjects(c, keys)) {
                for (int m = 0; m < models; m++) {
                    if (!state.queue().has(c, p, m)) continue;
                    for (long slots = state.queue().slots(c, p, m); slots != 0; slots &= slots - 1) {
                        int slot = Long.numberOfTrailingZeros(slots);
                        int size = slot >> 1;
                        boolean preemptibleJobs = (slot & 1) == 1;
                        if (w.borrowPhase && !preemptibleJobs) continue;
                        if (!full && !mayFit(c, p, m, 1L << size, preemptibleJobs && w.borrowPhase, w.mayPreempt(), w.mayProbeReserved())) {
                            if (preemptibleJobs && !mayFit(c, p, m, 1L << size, true, true, true)) break;
                            continue;
                        }
                        w.misses = 0;
                        long cursor = Long.MIN_VALUE;
                        Job job;
                        while ((job = state.queue().next(c, p, m, size, preemptibleJobs, cursor)) != null) {
                            cursor = job.seq();
                            if (job.examinedInPass() == w.passId) continue;
                            if (!full && w.passMisses >= settings.probeDepth()) return;
                            if (!full && (w.misses >= FIFO_PROBE_DEPTH || !mayFit(c, p, m, job.totalGpus(), preemptibleJobs && w.borrowPhase,
                                    w.mayPreempt(), w.mayProbeReserved()))) {
                                break;
                            }
                            if (!full && state.capacity().freeGpus(m, false) < job.totalGpus()) w.reservedProbes++;
                            visit(w, job);
                        }
                    }
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
                if (job.state() != kr.nuri.core.job.JobState.PENDING || job.examinedInPass() == w.passId) continue;
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
                if (job.examinedInPass() == w.passId) continue;
                if (!w.full && w.passMisses >= settings.probeDepth()) return;
                if (!w.full && !mayFitAnyModel(c, job, w)) {
                    // Skipping costs a quota and capacity check per job, not per FIFO as in the fair-share walk:
                    // bound it too, so a long backlog that cannot start is not walked on every event.
                    if (++w.skipped > (long) settings.probeDepth() * FIFO_PROBE_DEPTH) return;
                    continue;
                }
                visit(w, job);
                ranked = state.queue().rankedAfter(c, r.key(), r.seq()); // the visit may have changed the queue
            }
        }
    }

    /** The ranked walk's quick test: whether some model the job allows passes {@link #mayFit}. */
    private boolean mayFitAnyModel(int c, Job job, Walk w) {
        boolean any = false;
        boolean unreserved = false;
        for (int m : job.allowedModels()) {
            if (mayFit(c, job.project(), m, job.totalGpus(), job.preemptible(), w.mayPreempt(), w.mayProbeReserved())) {
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
        w.examined++;
        if (tryStart(job, now, emit, w.borrowPhase)) {
            w.started++;
            w.misses = 0;
            w.passMisses = 0;
            return;
        }
        if (deferredToBorrow) { // phase 1 looks at it again
            if (queueOrder.global()) w.deferred.add(job);
            return;
        }
        job.markExamined(w.passId);
        w.misses++;
        w.passMisses++;
        boolean forGpus = waitsForGpus(job.reason());
        if (job.spec().nodeFit()) {
            // Node by node: no preemption or reservation. The estimate is the fluid one on GPUs (a share needs at most
            // one), CPU and memory aside; a CPU-only job gets none.
            boolean quotaBlocked = job.reason() == PendingReason.QUOTA_EXCEEDED;
            if (eta != null && job.totalGpus() > 0 && (forGpus || quotaBlocked)) job.setEstimatedStart(eta.estimate(job, now, quotaBlocked));
            return;
        }
        if (!forGpus && !mayReclaim(job)) {
            if (eta != null && job.reason() == PendingReason.QUOTA_EXCEEDED) {
                job.setEstimatedStart(eta.estimate(job, now, true));
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
            if (eta != null) job.setEstimatedStart(eta.estimate(job, now, true));
            return;
        }
        if (w.reserved < settings.reservations()) {
            w.reserved++;
            reserve(job, now, w.full, w.confirmed, emit);
            Reservation mine = state.reservations().get(job.id());
            if (mine != null && mine.start() <= now && tryStart(job, now, emit)) {
                // It took the reservation over from a job behind it and fits now.
                w.started++;
                w.misses = 0;
                return;
            }
            if (eta != null) eta.estimate(job, now, false); // its demand comes before the jobs behind it
        } else if (eta != null) {
            job.setEstimatedStart(eta.estimate(job, now, false));
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
        QuotaBook quota = state.quota();
        if (preempt && quota.withinOwnQuota(project, m, gpus) && !state.running().borrowed(m).isEmpty()) {
            return true; // may reclaim what it lent
        }
        if (!quota.admits(project, m, gpus, mayBorrow)) return false;
        return state.capacity().freeGpus(m, mayProbeReserved) >= gpus
                || (gpus <= 1 && state.capacity().roomySharedSlots(m) > 0) // a share may fit a GPU others share
                || (preempt && state.running().preemptibleGpusBelow(Level.FLEET, m,
                        Preemptor.victimBound(classPriority[priorityClass], queueOrder == QueueOrder.SRTF)) > 0);
    }

    /**
     * Considers one newly submitted job on its own: start it if it fits without delaying a reservation, or
     * preempt for it, or give it a free reservation slot. The rest of the queue gets its turn on the next completion or Tick, since a submission
     * frees no GPUs for the jobs already waiting.
     */
    public PassStats consider(Job job, long now, Consumer<Event> emit) {
        generation++;
        if (tryStart(job, now, emit)) return new PassStats(1, 1, 0, 0, false);
        if (job.spec().nodeFit()) return new PassStats(1, 0, 0, 0, false);
        if (settings.preemption() && (waitsForGpus(job.reason()) || mayReclaim(job)) && preemptAndStart(job, now, emit)) {
            return new PassStats(1, 1, 1, 0, false);
        }
        if (waitsForGpus(job.reason()) && state.reservations().size() < settings.reservations()) {
            // A free reservation slot means no job ahead claimed one: protect this job from backfill now.
            reserve(job, now, false, new HashSet<>(), emit);
            return new PassStats(1, 0, 0, 1, false);
        }
        return new PassStats(1, 0, 0, 0, false);
    }

    /** Ends victims to make room for a job and starts it; false when no preemption makes room. */
    private boolean preemptAndStart(Job job, long now, Consumer<Event> emit) {
        if (!preemptor.preemptFor(job, now, mayUseReserved(job, now), emit)) return false;
        if (!tryStart(job, now, emit)) throw new IllegalStateException("job " + job.id() + " did not start after its preemption");
        return true;
    }

    private static boolean waitsForGpus(PendingReason r) {
        return r == PendingReason.INSUFFICIENT_CAPACITY || r == PendingReason.NO_TOPOLOGY_DOMAIN
                || r == PendingReason.BLOCKED_BY_RESERVATION;
    }

    /** A job refused for quota while inside its own quota waits for capacity it lent: it may reclaim it. */
    private boolean mayReclaim(Job job) {
        if (job.reason() != PendingReason.QUOTA_EXCEEDED) return false;
        for (int m : job.allowedModels()) {
            if (state.quota().withinOwnQuota(job.project(), m, job.totalGpus())) return true;
        }
        return false;
    }

    /** The pass order: higher class, then the queue order (fair share, or the global order's key), then earlier submission. */
    private boolean ranksAhead(Job a, Job b, long now) {
        if (a.priority() != b.priority()) return a.priority() > b.priority();
        if (queueOrder.global()) {
            long ka = PendingQueue.key(queueOrder, a);
            long kb = PendingQueue.key(queueOrder, b);
            return ka != kb ? ka < kb : a.seq() < b.seq();
        }
        if (a.project() != b.project()) {
            double ka = state.fairShare().key(a.project(), now);
            double kb = state.fairShare().key(b.project(), now);
            if (ka != kb) return ka < kb;
            return a.project() < b.project();
        }
        return a.seq() < b.seq();
    }

    /** Fair-share keys of all tenants at {@code now}, computed once per pass. */
    private double[] fairShareKeys(long now) {
        double[] keys = new double[state.tenants().size()];
        for (int t = 0; t < keys.length; t++) {
            if (state.tenants().isLeaf(t)) keys[t] = state.fairShare().key(t, now);
        }
        return keys;
    }

    private int[] orderedProjects(int priorityClass, double[] keys) {
        int[] projects = state.queue().projects(priorityClass);
        // Insertion sort: a few dozen projects, sorted on every pass without boxing.
        for (int i = 1; i < projects.length; i++) {
            int p = projects[i];
            int j = i - 1;
            while (j >= 0 && (keys[projects[j]] > keys[p] || (keys[projects[j]] == keys[p] && projects[j] > p))) {
                projects[j + 1] = projects[j];
                j--;
            }
            projects[j + 1] = p;
        }
        return projects;
    }

    /** Whether a job may use reserved nodes: it holds the reservation, or it ends before any starts. */
    private boolean mayUseReserved(Job job, long now) {
        return state.reservations().containsKey(job.id())
                || now + job.walltime() <= state.earliestReservationStart(job.id());
    }

    private boolean tryStart(Job job, long now, Consumer<Event> emit) {
        return tryStart(job, now, emit, true);
    }

    /**
     * Tries to start a job now. With {@code mayBorrow == false}, a start that would borrow is deferred:
     * it returns false with {@link #deferredToBorrow} set and no verdict.
     */
    private boolean tryStart(Job job, long now, Consumer<Event> emit, boolean mayBorrow) {
        deferredToBorrow = false;
        JobSpec spec = job.spec();
        if (spec.nodeFit()) return tryStartNodeFit(job, now, emit, mayBorrow);
        int total = job.totalGpus();
        if (job.award() >= 0 && !awardAllows(job, now, total)) return false;
        QuotaBook quota = state.quota();
        Fleet fleet = state.fleet();
        boolean useReserved = mayUseReserved(job, now);
        PendingReason reason = null;
        java.util.function.Supplier<String> detail = () -> "";
        for (int m : job.allowedModels()) {
            PendingReason r;
            java.util.function.Supplier<String> d;
            if (state.capacity().freeGpus(m, true) < total) {
                // Cheapest test first: without the GPUs, the quota does not matter yet.
                if (reason == null || PendingReason.INSUFFICIENT_CAPACITY.ordinal() > reason.ordinal()) {
                    long free = capacity(m);
                    String model = fleet.models().get(m);
                    reason = PendingReason.INSUFFICIENT_CAPACITY;
                    detail = () -> free + " " + model + " GPUs free, the job needs " + total;
                }
                continue;
            }
            long available = quota.available(job.project(), m);
            boolean own = quota.withinOwnQuota(job.project(), m, total);
            int model = m;
            if (available < total) {
                r = PendingReason.QUOTA_EXCEEDED;
                d = () -> state.tenants().name(job.project()) + " may start " + Math.max(0, available) + " more "
                        + fleet.models().get(model) + " GPUs (borrowing included); the job needs " + total;
            } else if (!job.preemptible() && !own) {
                long left = quota.subtreeQuota(job.project(), m) - quota.own(job.project(), m);
                r = PendingReason.QUOTA_EXCEEDED;
                d = () -> "a non-preemptible job may not borrow: " + state.tenants().name(job.project()) + " has " + left
                        + " " + fleet.models().get(model) + " GPUs of its own quota left, the job needs " + total
                        + ". Maybe submit it preemptible?";
            } else {
                if (!own && !mayBorrow) {
                    deferredToBorrow = true;
                    continue;
                }
                Placement p = place(job, m, useReserved, true);
                if (p != null) {
                    emit.accept(new Event.JobStarted(now, job.id(), m, p.nodes(), p.gpus(), !own));
                    return true;
                }
                r = placer.lastFailure();
                long reservedFrom = state.earliestReservationStart(job.id());
                if (!useReserved && reservedFrom != Long.MAX_VALUE && place(job, m, true, false) != null) {
                    r = PendingReason.BLOCKED_BY_RESERVATION;
                    d = () -> "it fits only on GPUs reserved from t=" + reservedFrom + " and its walltime would run past that";
                } else if (r == PendingReason.INSUFFICIENT_CAPACITY) {
                    long free = capacity(m);
                    d = () -> free + " " + fleet.models().get(model) + " GPUs free, the job needs " + total;
                } else {
                    d = () -> "no " + spec.level().label() + " has " + spec.members() + " nodes with " + spec.gpusPerMember()
                            + " free " + fleet.models().get(model) + " GPUs each";
                }
            }
            if (reason == null || r.ordinal() > reason.ordinal()) {
                reason = r;
                detail = d;
            }
        }
        if (deferredToBorrow) return false; // phase 1 decides, borrowing allowed
        job.setVerdict(reason, detail, -1);
        return false;
    }

    /**
     * {@link #tryStart} for a node-fit job: the award, then quota per allowed model (a share counts as one GPU, a
     * CPU-only job as none), then one {@link NodePlacer} search over the nodes of every model the quota admits.
     */
    private boolean tryStartNodeFit(Job job, long now, Consumer<Event> emit, boolean mayBorrow) {
        JobSpec spec = job.spec();
        int total = job.totalGpus();
        if (job.award() >= 0 && !awardAllows(job, now, total)) return false;
        QuotaBook quota = state.quota();
        Fleet fleet = state.fleet();
        int[] allowed = job.allowedModels();
        int[] admitted = new int[allowed.length];
        int count = 0;
        PendingReason reason = null;
        java.util.function.Supplier<String> detail = () -> "";
        for (int m : allowed) {
            if (total > 0) {
                long available = quota.available(job.project(), m);
                boolean own = quota.withinOwnQuota(job.project(), m, total);
                String model = fleet.models().get(m);
                if (available < total) {
                    reason = PendingReason.QUOTA_EXCEEDED;
                    detail = () -> state.tenants().name(job.project()) + " may start " + Math.max(0, available) + " more " + model
                            + " GPUs (borrowing included); the job needs " + total + " (a share counts as one)";
                    continue;
                }
                if (!job.preemptible() && !own) {
                    reason = PendingReason.QUOTA_EXCEEDED;
                    detail = () -> "a non-preemptible job may not borrow: " + state.tenants().name(job.project()) + " has no "
                            + model + " GPU of its own quota left. Maybe submit it preemptible?";
                    continue;
                }
                if (!own && !mayBorrow) {
                    deferredToBorrow = true;
                    continue;
                }
            }
            admitted[count++] = m;
        }
        if (count > 0) {
            boolean useReserved = mayUseReserved(job, now);
            NodePlacer.Choice c = nodePlacer.place(spec, job.seq(), admitted, count, useReserved);
            if (c != null) {
                int m = fleet.modelOfNode(c.node());
                boolean borrowed = total > 0 && !quota.withinOwnQuota(job.project(), m, total);
                emit.accept(new Event.JobStarted(now, job.id(), m, new int[] {c.node()}, new int[] {spec.sharing() ? 0 : spec.gpusPerMember()},
                        borrowed, spec.sharing() ? new int[] {c.slot()} : null));
                return true;
            }
            long reservedFrom = state.earliestReservationStart(job.id());
            if (!useReserved && reservedFrom != Long.MAX_VALUE && nodePlacer.place(spec, job.seq(), admitted, count, true) != null) {
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
        job.setVerdict(reason == null ? PendingReason.INSUFFICIENT_CAPACITY : reason, detail, -1);
        return false;
    }

    /**
     * Places with a per-pass memo of shapes that did not fit: while free capacity has not grown (see
     * {@link kr.nuri.core.state.Capacity#growth}), a gang at least as large as one that failed fails too. With
     * {@code choose == false}, only whether it fits ({@link Placer#FITS} or null).
     */
    private Placement place(Job job, int m, boolean useReserved, boolean choose) {
        JobSpec spec = job.spec();
        int key = ((m * (state.fleet().maxGpusPerNode() + 1) + spec.gpusPerMember()) * 2 + (spec.levelRequired() ? 1 : 0))
                * LEVEL_COUNT + spec.level().ordinal();
        key = key * 2 + (useReserved ? 1 : 0);
        long growth = state.capacity().growth();
        boolean valid = memoGeneration[key] == generation && memoGrowth[key] == growth;
        if (valid && spec.members() >= memoMembers[key]) {
            placer.setLastFailure(memoReason[key]);
            return null;
        }
        Placement p = placer.place(m, spec.members(), spec.gpusPerMember(), spec.level(), spec.levelRequired(), useReserved, choose);
        if (p == null && (!valid || spec.members() < memoMembers[key])) {
            memoGeneration[key] = generation;
            memoGrowth[key] = growth;
            memoMembers[key] = spec.members();
            memoReason[key] = placer.lastFailure();
        }
        return p;
    }

    private long capacity(int m) {
        return state.capacity().freeGpus(m, true);
    }

    private boolean awardAllows(Job job, long now, int total) {
        AwardBook awards = state.awards();
        AwardSpec a = awards.get(job.award());
        if (!a.activeAt(now)) {
            job.setVerdict(PendingReason.AWARD_NOT_ACTIVE, "award " + a.id() + " is valid from t=" + a.from() + " to t=" + a.to(),
                    a.from() > now ? a.from() : -1);
            return false;
        }
        long need = (long) total * job.walltime();
        if (awards.headroom(job.award()) < need) {
            job.setVerdict(PendingReason.BUDGET_EXHAUSTED, "award " + a.id() + " has " + awards.headroom(job.award()) / 3600
                    + " GPU-hours left after running jobs; this job may use " + need / 3600 + " (GPUs × walltime)", -1);
            return false;
        }
        return true;
    }

    private void reserve(Job job, long now, boolean full, Set<String> confirmed, Consumer<Event> emit) {
        Reservation held = state.reservations().get(job.id());
        if (held == null) {
            // Only the top jobs hold reservations: take the slot of a holder this job ranks ahead of (a full
            // pass has seen every job, so any holder it did not confirm ranks behind). Release it first, so
            // that its nodes count for this job's plan.
            for (String holder : List.copyOf(state.reservations().keySet())) {
                if (state.reservations().size() < settings.reservations()) break;
                if (!confirmed.contains(holder) && (full || ranksAhead(job, state.job(holder), now))) {
                    emit.accept(new Event.ReservationReleased(now, holder));
                }
            }
            if (state.reservations().size() >= settings.reservations()) return;
        }
        Reservation plan = held != null && held.start() >= now && !full ? held : planner.plan(job, now);
        if (plan == null) {
            if (held != null) emit.accept(new Event.ReservationReleased(now, job.id()));
            job.setVerdict(job.reason(), job.reasonDetail() + "; no start found within the running jobs' walltimes", -1);
            return;
        }
        if (held == null || held.start() != plan.start() || !Arrays.equals(held.nodes(), plan.nodes())) {
            emit.accept(new Event.ReservationMade(now, job.id(), plan.start(), plan.model(), plan.nodes()));
        }
        confirmed.add(job.id());
        job.setVerdict(PendingReason.RESERVED, plan.nodes().length + " nodes of " + state.fleet().models().get(plan.model())
                + " reserved from t=" + plan.start() + " (was: " + job.reasonDetail() + ")", plan.start());
    }
}

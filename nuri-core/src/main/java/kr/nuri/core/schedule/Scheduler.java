package kr.nuri.core.schedule;

import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import kr.nuri.core.award.AwardBook;
import kr.nuri.core.award.AwardSpec;
import kr.nuri.core.config.SchedulerSettings;
import kr.nuri.core.event.Event;
import kr.nuri.core.fleet.Fleet;
import kr.nuri.core.job.Job;
import kr.nuri.core.job.JobSpec;
import kr.nuri.core.job.PendingReason;
import kr.nuri.core.job.PriorityClass;
import kr.nuri.core.state.Capacity;
import kr.nuri.core.state.Reservation;
import kr.nuri.core.state.State;
import kr.nuri.core.tenancy.QuotaBook;

/**
 * The scheduling pass: walks waiting jobs in order and emits what it decides as events.
 *
 * <p>Order: priority class (highest first), then fair share (the project with the least decayed usage per
 * share first), then submit sequence. For each job: award window and budget, quota with borrowing, then
 * all-or-nothing topology-aware placement. A job that cannot start for lack of GPUs may preempt (see
 * {@link Preemptor}); the first {@code reservations} such jobs get a reservation in a concrete domain at their
 * earliest start, and later jobs are backfilled only where they cannot delay it: on nodes outside every
 * reservation, or anywhere if they end (by walltime) before the earliest reservation starts.
 *
 * <p>An event-triggered pass stops after {@code probeDepth} jobs in a row fail to start, or at once when no
 * GPU is free and no running job is preemptible; a full pass (on Tick) visits every job and also gives
 * each one a pending reason and, where computable, an estimated start.
 */
public final class Scheduler {
    private final State state;
    private final SchedulerSettings settings;
    private final Placer placer;
    private final Preemptor preemptor;
    private final ReservationPlanner planner;
    private final int[] classOrder;

    public Scheduler(State state) {
        this.state = state;
        this.settings = state.config().scheduler();
        this.placer = new Placer(state.capacity());
        this.preemptor = new Preemptor(state, placer, settings.maxVictims());
        this.planner = new ReservationPlanner(state, placer);
        List<PriorityClass> classes = state.config().classes();
        Integer[] order = new Integer[classes.size()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Arrays.sort(order, Comparator.comparingInt((Integer i) -> -classes.get(i).priority()).thenComparingInt(i -> i));
        classOrder = Arrays.stream(order).mapToInt(Integer::intValue).toArray();
    }

    public Placer placer() {
        return placer;
    }

    /** Runs one pass at {@code now}; every decision goes to {@code emit}, which must replay it at once. */
    public PassStats pass(long now, boolean full, Consumer<Event> emit) {
        int examined = 0;
        int started = 0;
        int preemptions = 0;
        int misses = 0;
        int reserved = 0;
        Set<String> confirmed = new HashSet<>();
        EtaProfile eta = full ? new EtaProfile(state) : null;
        Capacity capacity = state.capacity();
        outer:
        for (int c : classOrder) {
            for (int p : orderedProjects(c, now)) {
                if (!full && !canStartAnything(p)) continue;
                long cursor = Long.MIN_VALUE;
                Job job;
                while ((job = state.queue().next(c, p, cursor)) != null) {
                    cursor = job.seq();
                    if (!full && (misses >= settings.probeDepth()
                            || (capacity.totalFree(true) == 0 && !(settings.preemption() && preemptor.anyCandidates())))) {
                        break outer;
                    }
                    examined++;
                    if (tryStart(job, now, emit)) {
                        started++;
                        misses = 0;
                        continue;
                    }
                    misses++;
                    if (!waitsForGpus(job.reason()) && !mayReclaim(job)) continue;
                    if (settings.preemption() && preemptor.preemptFor(job, now, mayUseReserved(job, now), emit)) {
                        preemptions++;
                        if (!tryStart(job, now, emit)) {
                            throw new IllegalStateException("job " + job.id() + " did not start after its preemption");
                        }
                        started++;
                        misses = 0;
                        continue;
                    }
                    if (!waitsForGpus(job.reason())) continue;
                    if (reserved < settings.reservations()) {
                        reserved++;
                        reserve(job, now, full, confirmed, emit);
                        if (eta != null) eta.estimate(job, now); // its demand comes before the jobs behind it
                    } else if (eta != null) {
                        job.setVerdict(job.reason(), job.reasonDetail(), eta.estimate(job, now));
                    }
                }
            }
        }
        if (full) {
            for (String holder : List.copyOf(state.reservations().keySet())) {
                if (!confirmed.contains(holder)) emit.accept(new Event.ReservationReleased(now, holder));
            }
        }
        return new PassStats(examined, started, preemptions, reserved, full);
    }

    /**
     * Considers one newly submitted job on its own: start it if it fits without delaying a reservation, or
     * preempt for it, or give it a free reservation slot. The rest of the queue gets its turn on the next completion or Tick, since a submission
     * frees no GPUs for the jobs already waiting.
     */
    public PassStats consider(Job job, long now, Consumer<Event> emit) {
        if (tryStart(job, now, emit)) return new PassStats(1, 1, 0, 0, false);
        if (settings.preemption() && (waitsForGpus(job.reason()) || mayReclaim(job))
                && preemptor.preemptFor(job, now, mayUseReserved(job, now), emit)) {
            if (!tryStart(job, now, emit)) throw new IllegalStateException("job " + job.id() + " did not start after its preemption");
            return new PassStats(1, 1, 1, 0, false);
        }
        if (waitsForGpus(job.reason()) && state.reservations().size() < settings.reservations()) {
            // A free reservation slot means no job ahead claimed one: protect this job from backfill now.
            reserve(job, now, false, new HashSet<>(), emit);
            return new PassStats(1, 0, 0, 1, false);
        }
        return new PassStats(1, 0, 0, 0, false);
    }

    /** Whether a project has quota left for any model, or may reclaim lent quota: else skip its jobs. */
    private boolean canStartAnything(int project) {
        QuotaBook quota = state.quota();
        for (int m = 0; m < state.fleet().modelCount(); m++) {
            if (quota.available(project, m) > 0) return true;
            if (!state.running().borrowed(m).isEmpty() && quota.withinOwnQuota(project, m, 1)) return true;
        }
        return false;
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

    private int[] orderedProjects(int priorityClass, long now) {
        int[] projects = state.queue().projects(priorityClass);
        if (projects.length < 2) return projects;
        double[] keys = new double[state.tenants().size()];
        for (int p : projects) keys[p] = state.fairShare().key(p, now);
        Integer[] boxed = Arrays.stream(projects).boxed().toArray(Integer[]::new);
        Arrays.sort(boxed, (a, b) -> keys[a] != keys[b] ? Double.compare(keys[a], keys[b]) : Integer.compare(a, b));
        return Arrays.stream(boxed).mapToInt(Integer::intValue).toArray();
    }

    /** Whether a job may use reserved nodes: it holds the reservation, or it ends before any starts. */
    private boolean mayUseReserved(Job job, long now) {
        return state.reservations().containsKey(job.id())
                || now + job.walltime() <= state.earliestReservationStart(job.id());
    }

    private boolean tryStart(Job job, long now, Consumer<Event> emit) {
        JobSpec spec = job.spec();
        int total = job.totalGpus();
        if (job.award() >= 0 && !awardAllows(job, now, total)) return false;
        QuotaBook quota = state.quota();
        Fleet fleet = state.fleet();
        boolean useReserved = mayUseReserved(job, now);
        PendingReason reason = null;
        String detail = "";
        for (int m : job.allowedModels()) {
            PendingReason r;
            String d;
            if (state.capacity().freeGpus(m, true) < total) {
                // Cheapest test first: without the GPUs, the quota does not matter yet.
                if (reason == null || PendingReason.INSUFFICIENT_CAPACITY.ordinal() > reason.ordinal()) {
                    reason = PendingReason.INSUFFICIENT_CAPACITY;
                    detail = capacity(m) + " " + fleet.models().get(m) + " GPUs free, the job needs " + total;
                }
                continue;
            }
            long available = quota.available(job.project(), m);
            boolean own = quota.withinOwnQuota(job.project(), m, total);
            if (available < total) {
                r = PendingReason.QUOTA_EXCEEDED;
                d = state.tenants().name(job.project()) + " may start " + Math.max(0, available) + " more "
                        + fleet.models().get(m) + " GPUs (borrowing included); the job needs " + total;
            } else if (!job.preemptible() && !own) {
                r = PendingReason.QUOTA_EXCEEDED;
                d = "a non-preemptible job may not borrow: " + state.tenants().name(job.project()) + " has "
                        + (quota.subtreeQuota(job.project(), m) - quota.own(job.project(), m)) + " " + fleet.models().get(m)
                        + " GPUs of its own quota left, the job needs " + total + ". Maybe submit it preemptible?";
            } else {
                Placement p = placer.place(m, spec.members(), spec.gpusPerMember(), spec.level(), spec.levelRequired(), useReserved);
                if (p != null) {
                    emit.accept(new Event.JobStarted(now, job.id(), m, p.nodes(), p.gpus(), !own));
                    return true;
                }
                r = placer.lastFailure();
                if (!useReserved && !state.reservations().isEmpty()
                        && placer.place(m, spec.members(), spec.gpusPerMember(), spec.level(), spec.levelRequired(), true) != null) {
                    r = PendingReason.BLOCKED_BY_RESERVATION;
                    d = "it fits only on GPUs reserved from t=" + state.earliestReservationStart(job.id())
                            + " and its walltime would run past that";
                } else if (r == PendingReason.INSUFFICIENT_CAPACITY) {
                    d = capacity(m) + " " + fleet.models().get(m) + " GPUs free, the job needs " + total;
                } else {
                    d = "no " + spec.level().label() + " has " + spec.members() + " nodes with " + spec.gpusPerMember()
                            + " free " + fleet.models().get(m) + " GPUs each";
                }
            }
            if (reason == null || r.ordinal() > reason.ordinal()) {
                reason = r;
                detail = d;
            }
        }
        job.setVerdict(reason, detail, -1);
        return false;
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
        Reservation plan = held != null && held.start() >= now && !full ? held : planner.plan(job, now);
        if (plan == null) {
            if (held != null) emit.accept(new Event.ReservationReleased(now, job.id()));
            job.setVerdict(job.reason(), job.reasonDetail() + "; no start found within the running jobs' walltimes", -1);
            return;
        }
        if (held == null) {
            // Only the top jobs hold reservations: drop those of jobs this pass has not reached.
            for (String holder : List.copyOf(state.reservations().keySet())) {
                if (state.reservations().size() < settings.reservations()) break;
                if (!confirmed.contains(holder)) emit.accept(new Event.ReservationReleased(now, holder));
            }
        }
        if (held == null || held.start() != plan.start() || !Arrays.equals(held.nodes(), plan.nodes())) {
            emit.accept(new Event.ReservationMade(now, job.id(), plan.start(), plan.model(), plan.nodes()));
        }
        confirmed.add(job.id());
        job.setVerdict(PendingReason.RESERVED, plan.nodes().length + " nodes of " + state.fleet().models().get(plan.model())
                + " reserved from t=" + plan.start() + " (was: " + job.reasonDetail() + ")", plan.start());
    }
}

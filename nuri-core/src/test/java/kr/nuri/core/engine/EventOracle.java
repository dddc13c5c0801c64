package kr.nuri.core.engine;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import kr.nuri.core.config.EngineConfig;
import kr.nuri.core.event.Event;
import kr.nuri.core.job.Job;
import kr.nuri.core.job.JobSpec;
import kr.nuri.core.job.Outcome;
import kr.nuri.core.job.PriorityClass;
import kr.nuri.core.state.State;
import kr.nuri.core.tenancy.TenantSpec;

/**
 * An accounting and preemption oracle rebuilt from the event stream alone, with none of the engine's code:
 * invariant 4 of DESIGN.md (GPU-hours charged = Σ GPUs × time held, per job, project and its ancestors, model and
 * award) from each run's start and end events and the job's spec, and the rules every preemption must obey
 * (victims preemptible, past their exempt time, of a lower class or running on borrowed quota or, under srtf,
 * of the same class; at most {@code maxVictims} per start; the job they were ended for starts in the same
 * command). It also counts what the stream exercised, so a test can fail when a path went unvisited.
 */
final class EventOracle {
    private final EngineConfig config;
    private final Map<String, String> parentOf = new HashMap<>();
    private final Map<String, Run> jobs = new HashMap<>();
    final Map<String, Long> chargedByTenant = new HashMap<>();
    final Map<Integer, Long> chargedByModel = new HashMap<>();
    final Map<String, Long> chargedByAward = new HashMap<>();
    long charged;
    long starts;
    long preemptions;
    long reclaims;
    long timeouts;
    long reservations;
    long requeues;

    /** What the oracle knows of a job: from its JobSubmitted, and its run from JobStarted. */
    private static final class Run {
        String project;
        String award;
        long gpus;
        long walltime;
        int priority;
        boolean preemptible;
        boolean running;
        long start;
        int model;
        boolean borrowed;
        long charged;
    }

    EventOracle(EngineConfig config) {
        this.config = config;
        for (TenantSpec t : config.tenants()) parentOf.put(t.name(), t.parent());
    }

    private PriorityClass classOf(String name) {
        return config.classes().stream().filter(c -> c.name().equalsIgnoreCase(name)).findFirst().orElseThrow();
    }

    /** Takes the events one command produced, in order. */
    void command(List<Event> events) {
        Map<String, Integer> victimsFor = new HashMap<>();
        Set<String> startedHere = new HashSet<>();
        for (Event e : events) {
            switch (e) {
                case Event.JobSubmitted s -> submitted(s.spec());
                case Event.JobStarted s -> {
                    Run r = jobs.get(s.jobId());
                    long held = 0;
                    for (int g : s.gpus()) held += g;
                    if (s.slots() == null && held != r.gpus) {
                        throw new AssertionError("job " + s.jobId() + " started holding " + held + " GPUs, its spec asks for " + r.gpus);
                    }
                    r.running = true;
                    r.start = s.time();
                    r.model = s.pool();
                    r.borrowed = s.borrowed();
                    starts++;
                    startedHere.add(s.jobId());
                    Integer victims = victimsFor.get(s.jobId());
                    if (victims != null && victims > config.scheduler().maxVictims()) {
                        throw new AssertionError("job " + s.jobId() + " ended " + victims + " jobs to start; the bound is " + config.scheduler().maxVictims());
                    }
                }
                case Event.JobEnded x -> ended(x, victimsFor);
                case Event.ReservationMade m -> reservations++;
                case Event.TenantCreated c -> parentOf.putIfAbsent(c.name(), c.parent());
                case Event.WalltimeSet t -> jobs.get(t.jobId()).walltime = t.walltime();
                default -> { }
            }
        }
        for (String job : victimsFor.keySet()) {
            if (!startedHere.contains(job)) throw new AssertionError("jobs were preempted for " + job + ", which did not start");
        }
    }

    private void submitted(JobSpec spec) {
        PriorityClass pc = classOf(spec.priorityClass());
        Run r = new Run();
        r.project = spec.project();
        r.award = spec.award();
        r.gpus = spec.totalGpus(); // a share of a GPU counts as the GPU it sits on
        r.walltime = spec.walltime() > 0 ? spec.walltime() : pc.defaultWalltime();
        r.priority = pc.priority();
        r.preemptible = spec.preemptible() != null ? spec.preemptible() : pc.preemptible();
        jobs.put(spec.id(), r);
    }

    private void ended(Event.JobEnded x, Map<String, Integer> victimsFor) {
        Run r = jobs.get(x.jobId());
        if (x.requeued()) requeues++;
        if (!r.running) return;
        r.running = false;
        long held = Math.max(0, Math.min(x.heldUntil(), r.start + r.walltime) - r.start);
        long charge = r.gpus * held;
        r.charged += charge;
        charged += charge;
        for (String t = r.project; t != null; t = parentOf.get(t)) chargedByTenant.merge(t, charge, Long::sum);
        chargedByModel.merge(r.model, charge, Long::sum);
        if (r.award != null) chargedByAward.merge(r.award, charge, Long::sum);
        if (x.outcome() == Outcome.TIMEOUT) timeouts++;
        if (x.outcome() == Outcome.PREEMPTED) preempted(x, r, victimsFor);
    }

    private void preempted(Event.JobEnded x, Run victim, Map<String, Integer> victimsFor) {
        preemptions++;
        String cause = x.cause();
        if (!cause.startsWith("preempted by ")) throw new AssertionError("preemption of " + x.jobId() + " without its cause: " + cause);
        String forJob = cause.substring("preempted by ".length());
        Run beneficiary = jobs.get(forJob);
        victimsFor.merge(forJob, 1, Integer::sum);
        long exempt = config.scheduler().preemptExemptSeconds();
        if (!victim.preemptible) throw new AssertionError(x.jobId() + " was preempted for " + forJob + " but is not preemptible");
        if (x.time() - victim.start < exempt) {
            throw new AssertionError(x.jobId() + " was preempted after " + (x.time() - victim.start) + " s, inside its exempt time of " + exempt);
        }
        boolean lower = victim.priority < beneficiary.priority;
        boolean srtfPeer = config.scheduler().policies().preemption().equals("remaining-time") && victim.priority == beneficiary.priority;
        if (!lower && !srtfPeer) {
            if (!victim.borrowed) {
                throw new AssertionError(x.jobId() + " (priority " + victim.priority + ", not borrowed) was preempted for " + forJob
                        + " (priority " + beneficiary.priority + ")");
            }
            reclaims++;
        }
    }

    /** The engine's figures equal the oracle's, to the GPU-second. */
    void compare(kr.nuri.core.state.StateView state) {
        check("GPU-seconds charged in all", charged, state.chargedGpuSeconds());
        for (int t = 0; t < state.tenants().size(); t++) {
            String name = state.tenants().name(t);
            check("GPU-seconds charged to " + name, chargedByTenant.getOrDefault(name, 0L), state.chargedGpuSeconds(t));
        }
        for (int m = 0; m < state.fleet().poolCount(); m++) {
            check("GPU-seconds charged on " + state.fleet().poolName(m), chargedByModel.getOrDefault(m, 0L), state.chargedGpuSecondsOfModel(m));
        }
        for (int a = 0; a < state.awards().size(); a++) {
            String id = state.awards().get(a).id();
            check("GPU-seconds charged to award " + id, chargedByAward.getOrDefault(id, 0L), state.awards().used(a));
        }
        for (Job j : state.jobs()) check("GPU-seconds charged to job " + j.id(), jobs.get(j.id()).charged, j.gpuSeconds());
    }

    private static void check(String what, long expected, long actual) {
        if (expected != actual) throw new AssertionError(what + ": the events say " + expected + ", the engine says " + actual);
    }
}

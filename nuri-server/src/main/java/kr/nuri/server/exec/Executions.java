package kr.nuri.server.exec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import kr.nuri.config.NuriConfig;
import kr.nuri.config.SiteBackend;
import kr.nuri.core.engine.Engine;
import kr.nuri.core.event.Event;
import kr.nuri.core.fleet.Fleet;
import kr.nuri.core.job.Job;
import kr.nuri.server.journal.AuditLog;
import kr.nuri.server.loop.EngineLoop;
import tools.jackson.databind.json.JsonMapper;

/**
 * The sites' executors, and the routing between them and the engine: after a batch is durable, each start at a site with
 * a cluster manager is launched there, and each run the engine ended there is stopped. Sites without one run virtually
 * ({@link kr.nuri.core.execution.VirtualExecution}).
 */
public final class Executions implements EngineLoop.Subscriber, AutoCloseable {
    private final Map<String, SiteExecutor> bySite;
    private final Map<String, SiteBackend> backends;
    /** The runs launched at a site that have not ended, by job: the site and the run (engine thread only). */
    private final Map<String, Run> running = new HashMap<>();

    private record Run(SiteExecutor site, int run) {}

    private Executions(Map<String, SiteExecutor> bySite, Map<String, SiteBackend> backends) {
        this.bySite = bySite;
        this.backends = backends;
    }

    /** The executors the configuration names (none: every site is virtual); {@code epoch}: the journal's, tagging its runs. */
    public static Executions of(NuriConfig config, JsonMapper json, LongSupplier clockMillis, AuditLog audit, SiteMetrics metrics, long epoch) {
        Map<String, SiteExecutor> bySite = new HashMap<>();
        for (SiteBackend b : config.backends().values()) bySite.put(b.site(), new SlurmExecutor(b, json, clockMillis, audit, metrics, epoch));
        return new Executions(bySite, config.backends());
    }

    /** Whether a site's cluster manager (not virtual execution) runs this job's current run. */
    public boolean executesElsewhere(Job job, Engine engine) {
        return !bySite.isEmpty() && job.nodes() != null && job.nodes().length > 0 && executor(engine.state().fleet(), job.nodes()[0]) != null;
    }

    /** The site's id of a running job's run (Slurm's job id), or null. */
    public String siteJobId(String jobId) {
        for (SiteExecutor e : bySite.values()) {
            String id = e.externalId(jobId);
            if (id != null) return id;
        }
        return null;
    }

    /** Whether any site executes for real. */
    public boolean any() { return !bySite.isEmpty(); }

    /** Sites whose cluster manager does not answer now. */
    public List<String> unreachable() {
        return bySite.values().stream().filter(e -> !e.reachable()).map(SiteExecutor::site).sorted().toList();
    }

    /**
     * Why a job waiting for GPUs also waits for a site that does not answer: the site and the GPUs of the job's pools it
     * holds back (drained while out of contact, {@link SiteContact}), or null when no such site holds any.
     */
    public String unreachableHolding(Job job, kr.nuri.core.state.StateView state) {
        List<String> silent = unreachable();
        if (silent.isEmpty()) return null;
        Map<String, Long> held = new java.util.TreeMap<>();
        for (int pool : job.allowedPools()) heldIn(pool, silent, state).forEach((site, gpus) -> held.merge(site, gpus, Long::sum));
        if (held.isEmpty()) return null;
        List<String> parts = new java.util.ArrayList<>();
        held.forEach((site, gpus) -> parts.add("site " + site + " (" + gpus + " GPUs this job may use)"));
        return String.join(", ", parts) + " does not answer: its cluster manager is out of contact, and its nodes take no work until"
                + " contact returns";
    }

    /** A pool's GPUs that silent sites hold back, by site, as of a version of the pool's capacity. */
    private record Held(kr.nuri.core.state.Capacity capacity, long version, List<String> silent, Map<String, Long> bySite) { }

    /** Per pool, what silent sites hold back: a list of jobs asks it once per pool, not once per job and node. */
    private final Map<Integer, Held> heldByPool = new java.util.concurrent.ConcurrentHashMap<>();

    private Map<String, Long> heldIn(int pool, List<String> silent, kr.nuri.core.state.StateView state) {
        var capacity = state.capacity();
        long version = capacity.modelVersion(pool);
        Held h = heldByPool.get(pool);
        if (h != null && h.capacity() == capacity && h.version() == version && h.silent().equals(silent)) return h.bySite();
        var fleet = state.fleet();
        Map<String, Long> bySite = new HashMap<>();
        for (int n : fleet.nodesOfPool(pool)) {
            String site = fleet.siteName(fleet.siteOfNode(n));
            if (silent.contains(site) && capacity.health(n) != kr.nuri.core.fleet.Health.UP) bySite.merge(site, (long) fleet.nodeGpus(n), Long::sum);
        }
        heldByPool.put(pool, new Held(capacity, version, silent, bySite));
        return bySite;
    }

    /** Starts every executor, handing each the runs the journal says are running at its site (before the loop runs). */
    public void start(EngineLoop loop, Engine engine) {
        Map<SiteExecutor, List<Dispatch>> bySiteRunning = new HashMap<>();
        for (Job j : engine.state().running().byDeadline()) {
            SiteExecutor e = executor(engine.state().fleet(), j.nodes()[0]);
            if (e == null) continue;
            running.put(j.id(), new Run(e, j.runs()));
            bySiteRunning.computeIfAbsent(e, k -> new ArrayList<>()).add(dispatch(engine, j, j.nodes(), j.gpus(), j.runs(), e));
        }
        Feedback feedback = loop::submit;
        for (SiteExecutor e : bySite.values()) e.start(feedback, bySiteRunning.getOrDefault(e, List.of()));
    }

    @Override
    public Runnable prepare(long firstSeq, List<Event> events, Engine engine) {
        if (bySite.isEmpty()) return () -> { };
        Fleet fleet = engine.state().fleet();
        // The run each start in this batch began: the job's runs now, less the starts of it later in the batch.
        Map<String, Integer> later = new HashMap<>();
        for (Event e : events) if (e instanceof Event.JobStarted s) later.merge(s.jobId(), 1, Integer::sum);
        List<Runnable> acts = new ArrayList<>();
        for (Event e : events) {
            switch (e) {
                case Event.JobStarted s -> {
                    int left = later.merge(s.jobId(), -1, Integer::sum);
                    SiteExecutor x = executor(fleet, s.nodes()[0]);
                    if (x == null) continue;
                    Job j = engine.job(s.jobId());
                    int run = j.runs() - left;
                    running.put(s.jobId(), new Run(x, run));
                    Dispatch d = dispatch(engine, j, s.nodes(), s.gpus(), run, x);
                    acts.add(() -> x.launch(d));
                }
                case Event.JobEnded x -> {
                    Run r = running.remove(x.jobId());
                    if (r != null) acts.add(() -> r.site().stop(x.jobId(), r.run(), x.cause()));
                }
                default -> { }
            }
        }
        return () -> acts.forEach(Runnable::run);
    }

    private Dispatch dispatch(Engine engine, Job j, int[] nodes, int[] gpus, int run, SiteExecutor x) {
        Fleet fleet = engine.state().fleet();
        SiteBackend b = backends.get(x.site());
        List<String> names = new ArrayList<>(nodes.length);
        boolean whole = true;
        for (int i = 0; i < nodes.length; i++) {
            names.add(b.slurmName(fleet.nodeName(nodes[i])));
            whole &= gpus[i] > 0 && gpus[i] == fleet.nodeGpus(nodes[i]);
        }
        return new Dispatch(j.id(), run, j.spec().user(), j.spec().name(), names, gpus.clone(), whole, j.walltime(), j.spec().runtime(),
                j.spec().launch());
    }

    private SiteExecutor executor(Fleet fleet, int node) {
        return bySite.get(fleet.siteName(fleet.siteOfNode(node)));
    }

    @Override
    public void close() {
        bySite.values().forEach(SiteExecutor::close);
    }
}

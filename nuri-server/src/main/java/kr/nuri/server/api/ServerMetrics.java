package kr.nuri.server.api;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import kr.nuri.core.job.Job;
import kr.nuri.core.job.JobState;
import kr.nuri.core.schedule.PassStats;
import kr.nuri.core.state.StateView;
import kr.nuri.server.loop.LoopMetrics;

/** Prometheus metrics: the loop's timings as they happen, per-tenant gauges read at scrape time. */
public final class ServerMetrics implements LoopMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Timer journal = Timer.builder("nuri.journal.append").description("Durable append of one group of events")
            .publishPercentiles(0.5, 0.99).serviceLevelObjectives(Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(20))
            .register(registry);
    private final Timer sync = Timer.builder("nuri.journal.sync").description("Commit of an append, its log synced to disk")
            .publishPercentiles(0.5, 0.99).register(registry);
    private final Counter events = Counter.builder("nuri.journal.events").description("Events appended").register(registry);
    private final Timer passFull = passTimer("full");
    private final Timer passIncremental = passTimer("incremental");
    private final Counter started = Counter.builder("nuri.jobs.started").description("Job starts (restarts included)").register(registry);
    private final Counter preemptions = Counter.builder("nuri.jobs.preempted").description("Jobs ended by preemption").register(registry);
    private final Counter authFailures = Counter.builder("nuri.auth.failures").description("Requests refused for a missing, unknown, "
            + "revoked or expired token").register(registry);
    private final MultiGauge nodes = MultiGauge.builder("nuri.nodes").description("Nodes by health and allocation (idle, mixed, allocated)")
            .register(registry);
    /** Timers by (method, route template, status) and by priority class: bounded label sets, never a job or a raw path. */
    private final Map<String, Timer> httpTimers = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, Timer> waitTimers = new java.util.concurrent.ConcurrentHashMap<>();

    {
        new io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics().bindTo(registry);
        new io.micrometer.core.instrument.binder.jvm.JvmGcMetrics().bindTo(registry);
        new io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics().bindTo(registry);
        new io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics().bindTo(registry);
        new io.micrometer.core.instrument.binder.system.ProcessorMetrics().bindTo(registry);
        new io.micrometer.core.instrument.binder.system.UptimeMetrics().bindTo(registry);
    }

    /** One HTTP request, by method, route template (not the path: no per-job labels) and status. */
    void http(String method, String route, int status, double millis) {
        httpTimers.computeIfAbsent(method + " " + route + " " + status, k -> Timer.builder("nuri.http.requests")
                .description("HTTP requests by method, route and status").tags("method", method, "route", route, "status", Integer.toString(status))
                .register(registry)).record(Duration.ofNanos((long) (millis * 1_000_000)));
    }

    void authFailure() {
        authFailures.increment();
    }

    /** How long a job waited for its first start, by priority class. */
    void waited(String priorityClass, long seconds) {
        waitTimers.computeIfAbsent(priorityClass, c -> Timer.builder("nuri.jobs.wait").description("Wait from submission to first start, by priority class")
                .tag("class", c).publishPercentileHistogram().minimumExpectedValue(Duration.ofSeconds(1))
                .maximumExpectedValue(Duration.ofDays(30)).register(registry)).record(Duration.ofSeconds(seconds));
    }
    private final Timer requests = Timer.builder("nuri.engine.request").description("Queue wait + engine + durable append")
            .publishPercentiles(0.5, 0.99).register(registry);
    private final MultiGauge pending = MultiGauge.builder("nuri.queue.depth").description("Pending jobs per tenant and GPU model").register(registry);
    private final MultiGauge allocated = MultiGauge.builder("nuri.gpus.allocated").description("GPUs allocated per tenant and pool (an owner's GPUs of one model), with the GPU model").register(registry);
    private final MultiGauge free = MultiGauge.builder("nuri.gpus.free").description("Free GPUs per pool (an owner's GPUs of one model), with the GPU model").register(registry);

    private Timer passTimer(String kind) {
        return Timer.builder("nuri.scheduling.pass").tag("kind", kind).description("One scheduling pass")
                .publishPercentiles(0.5, 0.99).register(registry);
    }

    /** The registry, for the meters other parts of the server keep (the sites' executors). */
    public io.micrometer.core.instrument.MeterRegistry registry() { return registry; }

    public void gauge(String name, String description, java.util.function.Supplier<Number> value) {
        Gauge.builder(name, value).description(description).register(registry);
    }

    @Override
    public void journalAppend(long nanos, int n) {
        journal.record(Duration.ofNanos(nanos));
        events.increment(n);
    }

    @Override
    public void journalSync(long nanos) {
        sync.record(Duration.ofNanos(nanos));
    }

    @Override
    public void pass(long nanos, PassStats stats) {
        (stats.full() ? passFull : passIncremental).record(Duration.ofNanos(nanos));
        started.increment(stats.started());
        preemptions.increment(stats.preemptions());
    }

    @Override
    public void request(long nanos) {
        requests.record(Duration.ofNanos(nanos));
    }

    /** Reads the per-tenant gauges from the engine; call on the engine thread. */
    void refresh(StateView s) {
        Map<String, long[]> depth = new HashMap<>();
        for (Job j : s.jobs()) {
            if (j.state() != JobState.PENDING) continue;
            java.util.Set<String> models = new java.util.TreeSet<>();
            for (int p : j.allowedPools()) models.add(s.fleet().models().get(s.fleet().modelOfPool(p)));
            String model = models.size() == 1 ? models.iterator().next() : "any";
            depth.computeIfAbsent(s.tenants().name(j.project()) + "\t" + model, k -> new long[1])[0]++;
        }
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        depth.forEach((k, v) -> {
            String[] p = k.split("\t");
            rows.add(MultiGauge.Row.of(Tags.of("tenant", p[0], "model", p[1]), v[0]));
        });
        pending.register(rows, true);
        List<MultiGauge.Row<?>> alloc = new ArrayList<>();
        for (int t = 0; t < s.tenants().size(); t++) {
            for (int m = 0; m < s.fleet().poolCount(); m++) {
                long used = s.quota().used(t, m);
                if (used > 0 || s.quota().subtreeQuota(t, m) > 0) {
                    alloc.add(MultiGauge.Row.of(Tags.of("tenant", s.tenants().name(t), "model", modelOf(s, m), "pool", s.fleet().poolName(m)), used));
                }
            }
        }
        allocated.register(alloc, true);
        List<MultiGauge.Row<?>> freeRows = new ArrayList<>();
        for (int m = 0; m < s.fleet().poolCount(); m++) {
            freeRows.add(MultiGauge.Row.of(Tags.of("model", modelOf(s, m), "pool", s.fleet().poolName(m)), s.capacity().freeGpus(m, true)));
        }
        free.register(freeRows, true);
        Map<String, long[]> byHealth = new HashMap<>();
        for (int n = 0; n < s.fleet().nodeCount(); n++) {
            int gpus = s.fleet().nodeGpus(n);
            int f = s.capacity().free(n);
            String allocation = f == gpus ? "idle" : f == 0 ? "allocated" : "mixed";
            byHealth.computeIfAbsent(s.capacity().health(n).name() + "\t" + allocation, k -> new long[1])[0]++;
        }
        List<MultiGauge.Row<?>> nodeRows = new ArrayList<>();
        byHealth.forEach((k, v) -> {
            String[] p = k.split("\t");
            nodeRows.add(MultiGauge.Row.of(Tags.of("health", p[0], "allocation", p[1]), v[0]));
        });
        nodes.register(nodeRows, true);
    }

    String scrape() {
        return registry.scrape();
    }

    private static String modelOf(StateView s, int pool) {
        return s.fleet().models().get(s.fleet().modelOfPool(pool));
    }
}

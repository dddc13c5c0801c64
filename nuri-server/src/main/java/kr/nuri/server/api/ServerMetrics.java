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
import kr.nuri.core.state.State;
import kr.nuri.server.loop.LoopMetrics;

/** Prometheus metrics: the loop's timings as they happen, per-tenant gauges read at scrape time. */
public final class ServerMetrics implements LoopMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Timer journal = Timer.builder("nuri.journal.append").description("Durable append of one group of events")
            .publishPercentiles(0.5, 0.99).serviceLevelObjectives(Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(20))
            .register(registry);
    private final Timer sync = Timer.builder("nuri.journal.sync").description("Sync to disk within an append (embedded H2)")
            .publishPercentiles(0.5, 0.99).register(registry);
    private final Counter events = Counter.builder("nuri.journal.events").description("Events appended").register(registry);
    private final Timer passFull = passTimer("full");
    private final Timer passIncremental = passTimer("incremental");
    private final Counter started = Counter.builder("nuri.jobs.started").register(registry);
    private final Counter preemptions = Counter.builder("nuri.jobs.preempted").register(registry);
    private final Timer requests = Timer.builder("nuri.engine.request").description("Queue wait + engine + durable append")
            .publishPercentiles(0.5, 0.99).register(registry);
    private final MultiGauge pending = MultiGauge.builder("nuri.queue.depth").description("Pending jobs per tenant and GPU model").register(registry);
    private final MultiGauge allocated = MultiGauge.builder("nuri.gpus.allocated").description("GPUs allocated per tenant and GPU model").register(registry);
    private final MultiGauge free = MultiGauge.builder("nuri.gpus.free").description("Free GPUs per GPU model").register(registry);

    private Timer passTimer(String kind) {
        return Timer.builder("nuri.scheduling.pass").tag("kind", kind).description("One scheduling pass")
                .publishPercentiles(0.5, 0.99).register(registry);
    }

    public void gauge(String name, java.util.function.Supplier<Number> value) {
        Gauge.builder(name, value).register(registry);
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
    void refresh(State s) {
        Map<String, long[]> depth = new HashMap<>();
        for (Job j : s.jobs()) {
            if (j.state() != JobState.PENDING) continue;
            String model = j.allowedModels().length == 1 ? s.fleet().models().get(j.allowedModels()[0]) : "any";
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
            for (int m = 0; m < s.fleet().modelCount(); m++) {
                long used = s.quota().used(t, m);
                if (used > 0 || s.quota().subtreeQuota(t, m) > 0) {
                    alloc.add(MultiGauge.Row.of(Tags.of("tenant", s.tenants().name(t), "model", s.fleet().models().get(m)), used));
                }
            }
        }
        allocated.register(alloc, true);
        List<MultiGauge.Row<?>> freeRows = new ArrayList<>();
        for (int m = 0; m < s.fleet().modelCount(); m++) {
            freeRows.add(MultiGauge.Row.of(Tags.of("model", s.fleet().models().get(m)), s.capacity().freeGpus(m, true)));
        }
        free.register(freeRows, true);
    }

    String scrape() {
        return registry.scrape();
    }
}

package kr.nuri.server.exec;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Per site: submissions, failures by kind, dispatch latency (start decided → running at the site) and its first part
 * (→ submission accepted), how late a run's end is seen, last contact.
 */
public final class SiteMetrics {
    private final MeterRegistry registry;
    private final Map<String, AtomicLong> lastContact = new ConcurrentHashMap<>();

    public SiteMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void submitted(String site) {
        Counter.builder("nuri.site.submissions").description("Runs submitted to a site's cluster manager").tag("site", site)
                .register(registry).increment();
    }

    /** {@code kind}: unreachable (retried) or refused (the job is held). */
    void failed(String site, String kind) {
        Counter.builder("nuri.site.failures").description("Calls to a site's cluster manager that failed, by kind")
                .tag("site", site).tag("kind", kind).register(registry).increment();
    }

    void unreachable(String site) {
        Counter.builder("nuri.site.unreachable").description("Times a site's cluster manager stopped answering").tag("site", site)
                .register(registry).increment();
    }

    void dispatched(String site, long nanos) {
        latency("nuri.site.dispatch", "From the engine's start to the site running the job", site, Duration.ofNanos(nanos));
    }

    /** From the engine's start to Slurm's job id: the sender's queue and the submission call. */
    void submittedIn(String site, long nanos) {
        latency("nuri.site.submit", "From the engine's start to the site accepting the submission", site, Duration.ofNanos(nanos));
    }

    /** From a run's end at the site (its clock, whole seconds) to Nuri seeing it: the poll's delay, to about a second. */
    void endSeen(String site, long millis) {
        latency("nuri.site.end.seen", "From a run's end at the site (whole seconds) to Nuri reading it", site,
                Duration.ofMillis(Math.max(0, millis)));
    }

    /** A per-site latency with its median and p99, up to ten minutes. */
    private void latency(String name, String description, String site, Duration d) {
        Timer.builder(name).description(description).tag("site", site).publishPercentiles(0.5, 0.99)
                .maximumExpectedValue(Duration.ofMinutes(10)).register(registry).record(d);
    }

    void contact(String site, long atMillis) {
        lastContact.computeIfAbsent(site, s -> {
            AtomicLong v = new AtomicLong();
            Gauge.builder("nuri.site.last.contact", v, a -> a.get() / 1000.0).description("When the site last answered (epoch seconds)")
                    .tag("site", s).register(registry);
            return v;
        }).set(atMillis);
    }
}

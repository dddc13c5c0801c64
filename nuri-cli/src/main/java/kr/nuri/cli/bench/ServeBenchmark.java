package kr.nuri.cli.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import kr.nuri.config.NuriConfig;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpMethod;
import kr.nuri.core.config.AssertionLevel;
import kr.nuri.server.NuriServer;
import kr.nuri.server.ServerOptions;
import kr.nuri.server.loop.LoopSettings;

/**
 * {@code nuri bench serve}: submissions per second and their latency over HTTP on loopback, with the
 * durable journal (group commit), on the embedded SQLite database or on PostgreSQL. Closed loop: each of
 * {@code clients} virtual threads submits, waits for the acknowledgement, submits again. Client and
 * server share the machine, so the figures are a floor.
 */
public final class ServeBenchmark {
    /** Benchmark settings. {@code dbUrl} null = embedded SQLite in a temporary directory. */
    public record Options(String dbUrl, String dbUser, String dbPassword, int clients, int warmupSeconds, int seconds, long seed,
                          long tickMillis) {}

    private final NuriConfig config;
    private final Options o;
    private final PrintStream out;

    public ServeBenchmark(NuriConfig config, Options o, PrintStream out) {
        this.config = config;
        this.o = o;
        this.out = out;
    }

    public void run() throws Exception {
        Path dir = Files.createTempDirectory("nuri-bench-serve");
        String schema = null;
        String url = o.dbUrl();
        if (url != null) {
            schema = "nuri_bench_" + ProcessHandle.current().pid();
            try (Connection c = DriverManager.getConnection(url, o.dbUser(), o.dbPassword())) {
                c.createStatement().execute("CREATE SCHEMA " + schema);
            }
            url = url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        }
        ServerOptions options = new ServerOptions(config, "127.0.0.1", 0, url, o.dbUser(), o.dbPassword(), dir,
                new LoopSettings(o.tickMillis(), LoopSettings.DEFAULT.checkpointEvery(), LoopSettings.DEFAULT.snapshotEvery(),
                        LoopSettings.DEFAULT.queueCapacity(), LoopSettings.DEFAULT.leaseRenewMillis()), AssertionLevel.OFF, 15_000);
        try (NuriServer server = NuriServer.start(options)) {
            out.printf("server: %s on %s, fleet %s%n", server.url(), url == null ? "embedded SQLite (" + dir + ")" : url,
                    config.engine().fleet().name());
            measure(server.url(), server.firstToken());
        } finally {
            if (schema != null) {
                try (Connection c = DriverManager.getConnection(o.dbUrl(), o.dbUser(), o.dbPassword())) {
                    c.createStatement().execute("DROP SCHEMA " + schema + " CASCADE");
                }
            }
        }
    }

    /**
     * Drives the server with Jetty's asynchronous client: each of {@code clients} closed loops keeps one
     * submission in flight, and sends the next when the answer arrives. (A thread per client costs the
     * shared cores more than the server spends on the request.)
     */
    private void measure(String base, String token) throws Exception {
        List<String> projects = config.engine().projects();
        HttpClient http = new HttpClient();
        http.setMaxConnectionsPerDestination(o.clients());
        http.start();
        try {
            AtomicBoolean recording = new AtomicBoolean(false);
            AtomicBoolean stop = new AtomicBoolean(false);
            AtomicLong errors = new AtomicLong();
            long[][] latencies = new long[o.clients()][];
            int[] counts = new int[o.clients()];
            java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(o.clients());
            for (int c = 0; c < o.clients(); c++) {
                latencies[c] = new long[1 << 16];
                new ClientLoop(c, http, base, token, projects, recording, stop, errors, latencies, counts, done).next();
            }
            out.printf("warming up %d s with %d clients%n", o.warmupSeconds(), o.clients());
            Thread.sleep(o.warmupSeconds() * 1_000L);
            recording.set(true);
            long t0 = System.nanoTime();
            Thread.sleep(o.seconds() * 1_000L);
            recording.set(false);
            double elapsed = (System.nanoTime() - t0) / 1e9;
            stop.set(true);
            done.await(30, java.util.concurrent.TimeUnit.SECONDS);
            int total = Arrays.stream(counts).sum();
            long[] all = new long[total];
            int k = 0;
            for (int c = 0; c < o.clients(); c++) {
                System.arraycopy(latencies[c], 0, all, k, counts[c]);
                k += counts[c];
            }
            Arrays.sort(all);
            out.printf("machine: %d cores, Java %s (client and server share it)%n", Runtime.getRuntime().availableProcessors(), Runtime.version());
            out.printf("submissions: %,d in %.1f s, errors %d%n", total, elapsed, errors.get());
            out.printf("latency: p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms%n", pct(all, 0.50), pct(all, 0.99), pct(all, 0.999),
                    all.length == 0 ? 0 : all[all.length - 1] / 1e6);
            ContentResponse metrics = http.newRequest(base + "/metrics").headers(h -> h.put("Authorization", "Bearer " + token)).send();
            for (String line : metrics.getContentAsString().split("\n")) {
                if (line.startsWith("nuri_journal_append_seconds{") || line.startsWith("nuri_journal_sync_seconds{")
                        || line.startsWith("nuri_engine_request_seconds{") || line.startsWith("nuri_journal_append_seconds_count")
                        || line.startsWith("nuri_journal_events_total")) {
                    out.println("server " + line);
                }
            }
            out.printf("submissions_per_s=%.0f%n", total / elapsed);
        } finally {
            http.stop();
        }
    }

    /** One closed-loop client: submit, wait for the answer, record its latency, submit again. */
    private final class ClientLoop {
        private final int client;
        private final HttpClient http;
        private final String url;
        private final String auth;
        private final List<String> projects;
        private final AtomicBoolean recording;
        private final AtomicBoolean stop;
        private final AtomicLong errors;
        private final long[][] latencies;
        private final int[] counts;
        private final java.util.concurrent.CountDownLatch done;
        private final SplittableRandom rnd;
        private int n;

        ClientLoop(int client, HttpClient http, String base, String token, List<String> projects, AtomicBoolean recording,
                   AtomicBoolean stop, AtomicLong errors, long[][] latencies, int[] counts, java.util.concurrent.CountDownLatch done) {
            this.client = client;
            this.http = http;
            this.url = base + "/api/v1/jobs";
            this.auth = "Bearer " + token;
            this.projects = projects;
            this.recording = recording;
            this.stop = stop;
            this.errors = errors;
            this.latencies = latencies;
            this.counts = counts;
            this.done = done;
            this.rnd = new SplittableRandom(o.seed() * 1_000 + client);
        }

        void next() {
            if (stop.get()) {
                done.countDown();
                return;
            }
            int gpus = List.of(1, 2, 4, 8).get(rnd.nextInt(4));
            String body = "{\"id\":\"b" + client + "-" + n++ + "\",\"project\":\"" + projects.get(rnd.nextInt(projects.size()))
                    + "\",\"gpus\":" + gpus + ",\"walltime\":7200,\"runtime\":" + (60 + rnd.nextInt(3_600)) + "}";
            long t0 = System.nanoTime();
            http.newRequest(url).method(HttpMethod.POST).headers(h -> h.put("Authorization", auth))
                    .body(new StringRequestContent("application/json", body)).timeout(30, java.util.concurrent.TimeUnit.SECONDS)
                    .send(result -> {
                        long dt = System.nanoTime() - t0;
                        if (result.isFailed() || result.getResponse().getStatus() != 201) {
                            if (errors.incrementAndGet() == 1) {
                                out.println("first error: " + (result.isFailed() ? result.getFailure() : result.getResponse().getStatus()));
                            }
                        } else if (recording.get()) {
                            if (counts[client] == latencies[client].length) latencies[client] = Arrays.copyOf(latencies[client], counts[client] * 2);
                            latencies[client][counts[client]++] = dt;
                        }
                        next();
                    });
        }
    }

    private static double pct(long[] sorted, double q) {
        if (sorted.length == 0) return 0;
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
    }
}

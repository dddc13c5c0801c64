package kr.nuri.cli.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kr.nuri.config.FleetConfigReader;
import kr.nuri.config.NuriConfig;
import kr.nuri.core.config.AssertionLevel;
import kr.nuri.core.job.JobState;
import kr.nuri.server.NuriServer;
import kr.nuri.server.ServerOptions;
import kr.nuri.server.loop.LoopSettings;

/**
 * {@code nuri bench dispatch}: Nuri decides, a real Slurm runs. A seeded gang mix (70% of 1–8 GPUs on one node, 25% of
 * 16–512 GPUs, 5% of 1,024–4,096 GPUs on whole nodes, each {@code sleep} 1–3 s with a 2-minute limit: the jobs of
 * {@code ../shared/slurm-recipe/bench.sh}) is submitted through Nuri's HTTP API to a {@code nuri serve} whose one site is
 * the Slurm of {@code scripts/slurm-cluster.sh}; every run is executed by Slurm on the nodes Nuri chose. The figures come
 * from Nuri's ledger, which charges each run Slurm's own start and end (job starts per second, the time to start all, how
 * busy the GPUs were over the run), cross-checked with Slurm's job-completion log.
 */
public final class DispatchBenchmark {
    private static final Pattern FIELD = Pattern.compile("(\\w+)=(\\S*)");

    /** {@code slurmDir}: the cluster's scratch directory (its {@code env} file names slurmrestd and the JWT key). */
    public record Options(Path slurmDir, int nodes, int jobs, long seed, double pollSeconds) {}

    /** One job of the mix: its name (class, number, GPUs), GPUs, nodes (0 = one node, not exclusive), seconds of sleep. */
    record Work(String name, int gpus, int nodes, double seconds) {}

    private final Options o;
    private final PrintStream out;

    public DispatchBenchmark(Options o, PrintStream out) {
        this.o = o;
        this.out = out;
    }

    /** The mix, as bench.sh draws it (its own seeded generator: the same distribution, not awk's very numbers). */
    static List<Work> mix(int jobs, int nodes, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Work> out = new ArrayList<>(jobs);
        for (int i = 1; i <= jobs; i++) {
            double x = r.nextDouble();
            int g;
            int n;
            char cls;
            if (x < 0.70) {
                g = 1 + r.nextInt(8);
                n = 0;
                cls = 'S';
            } else {
                g = x < 0.95 ? 16 << r.nextInt(6) : 1024 << r.nextInt(3);
                cls = x < 0.95 ? 'M' : 'L';
                n = Math.min(g / 8, nodes);
                g = n * 8;
            }
            double seconds = Math.round((1 + r.nextDouble() * 2) * 10) / 10.0;
            out.add(new Work(String.format("%c%05d_g%d", cls, i, g), g, n, seconds));
        }
        return out;
    }

    public void run() throws Exception {
        Map<String, String> env = env(o.slurmDir().resolve("env"));
        int clusterNodes = Integer.parseInt(env.getOrDefault("NURI_SLURM_NODES", "0"));
        if (clusterNodes < o.nodes()) {
            throw new IllegalArgumentException("the Slurm at " + o.slurmDir() + " has " + clusterNodes + " nodes, fewer than --nodes "
                    + o.nodes() + ". Start one with: scripts/slurm-cluster.sh start " + o.nodes());
        }
        Path jobcomp = o.slurmDir().resolve("log").resolve("jobcomp.txt");
        long jobcompFrom = Files.exists(jobcomp) ? Files.size(jobcomp) : 0;
        Path dir = Files.createTempDirectory("nuri-bench-dispatch");
        NuriConfig config = FleetConfigReader.parse("dispatch.yaml", fleet(env));
        ServerOptions options = new ServerOptions(config, "127.0.0.1", 0, null, null, null, dir,
                new LoopSettings(1_000, LoopSettings.DEFAULT.checkpointEvery(), LoopSettings.DEFAULT.snapshotEvery(),
                        LoopSettings.DEFAULT.queueCapacity(), LoopSettings.DEFAULT.leaseRenewMillis()), AssertionLevel.OFF, 15_000);
        List<Work> mix = mix(o.jobs(), o.nodes(), o.seed());
        double work = mix.stream().mapToDouble(w -> w.gpus() * w.seconds()).sum();
        int gpus = o.nodes() * 8;
        out.printf("cluster: Slurm at %s, %d of its nodes x 8 GPUs = %d GPUs; %d jobs (S=%d M=%d L=%d), %.0f GPU-s of work "
                        + "(%.0f s at 100%% of the GPUs); poll %.2f s%n", env.get("NURI_SLURM_URL"), o.nodes(), gpus, mix.size(),
                mix.stream().filter(w -> w.name().startsWith("S")).count(), mix.stream().filter(w -> w.name().startsWith("M")).count(),
                mix.stream().filter(w -> w.name().startsWith("L")).count(), work, work / gpus, o.pollSeconds());
        long t0;
        long[] ledger; // charged GPU-seconds (Slurm's own times), the last start and the last end (engine seconds), runs
        try (NuriServer server = NuriServer.start(options)) {
            t0 = System.currentTimeMillis();
            submit(server.url(), server.firstToken(), mix);
            long submitted = System.currentTimeMillis();
            out.printf("submitted %d jobs through the API in %.1f s%n", mix.size(), (submitted - t0) / 1000.0);
            long lastPrint = 0;
            while (true) {
                int[] c = server.loop().submit(s -> {
                    int running = s.engine().state().running().byDeadline().size();
                    int waiting = (int) s.engine().state().jobs().stream().filter(j -> j.state() == JobState.PENDING).count();
                    return new int[] {running, waiting};
                }).get();
                long now = System.currentTimeMillis();
                if (c[0] == 0 && c[1] == 0) break;
                if (now - lastPrint >= 10_000) {
                    out.printf("  t=%4.0f s running=%d waiting=%d%n", (now - t0) / 1000.0, c[0], c[1]);
                    lastPrint = now;
                }
                Thread.sleep(500);
            }
            ledger = server.loop().submit(s -> {
                long charged = 0, lastStart = 0, lastEnd = 0, runs = 0;
                for (var j : s.engine().state().jobs()) {
                    charged += j.gpuSeconds();
                    lastStart = Math.max(lastStart, j.startTime());
                    lastEnd = Math.max(lastEnd, j.endTime());
                    runs += j.runs();
                }
                return new long[] {charged, lastStart, lastEnd, runs};
            }).get();
            String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.url() + "/metrics"))
                    .header("Authorization", "Bearer " + server.firstToken()).build(), HttpResponse.BodyHandlers.ofString()).body();
            for (String line : metrics.split("\n")) {
                if ((line.startsWith("nuri_site_dispatch_seconds{") || line.startsWith("nuri_site_submit_seconds{")
                        || line.startsWith("nuri_site_end_seen_seconds{")) && line.contains("quantile")) out.println("nuri: " + line);
                if (line.startsWith("nuri_site_failures_total") || line.startsWith("nuri_site_submissions_total")) out.println("nuri: " + line);
            }
        }
        // Nuri's ledger: each run charged Slurm's own start and end; times are when Nuri decided the start and learnt the end.
        double startAll = Math.max(1, ledger[1] - t0 / 1000.0);
        double makespan = Math.max(1, ledger[2] - t0 / 1000.0);
        out.printf("Nuri's ledger: %d runs of %d jobs, %.0f GPU-s charged at Slurm's own start and end times%n", ledger[3], mix.size(), (double) ledger[0]);
        out.printf("time_to_start_all_s=%.0f%n", startAll);
        out.printf("job_starts_per_s=%.1f%n", mix.size() / startAll);
        out.printf("makespan_s=%.0f (ideal %.0f)%n", makespan, work / gpus);
        out.printf("gpu_busy_pct=%.1f%n", 100.0 * ledger[0] / (gpus * makespan));
        report(jobcomp, jobcompFrom, t0, gpus, mix.size(), work);
    }

    private String fleet(Map<String, String> env) {
        StringBuilder racks = new StringBuilder();
        for (int r = 0; r * 32 < o.nodes(); r++) {
            racks.append("          - {name: r").append(r + 1).append(", nodes: [");
            for (int n = r * 32 + 1; n <= Math.min(o.nodes(), r * 32 + 32); n++) {
                if (n > r * 32 + 1) racks.append(", ");
                racks.append(String.format("{name: gn%04d}", n));
            }
            racks.append("]}\n");
        }
        return """
                name: bench-dispatch
                sites:
                  - name: slurm
                    backend: {type: slurm, url: "%s", jwtKey: "%s", partition: nuri, pollSeconds: %s, graceSeconds: 2, priority: 1000000}
                    blocks:
                      - name: b
                        model: H100
                        rackList:
                %s
                tenants:
                  - {name: nation}
                  - {name: bench, parent: nation, quotas: {H100: %d}}
                scheduler: {reservations: 1, preemption: false}
                """.formatted(env.get("NURI_SLURM_URL"), env.get("NURI_SLURM_JWT_KEY"), o.pollSeconds(), racks, o.nodes() * 8);
    }

    /** All at once, as the Slurm benchmark submits them before it opens the partition; 8 clients. */
    private void submit(String url, String token, List<Work> mix) throws Exception {
        HttpClient http = HttpClient.newBuilder().build();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<?>> done = new ArrayList<>();
            for (Work w : mix) {
                String body = w.nodes() == 0
                        ? "{\"project\":\"bench\",\"name\":\"%s\",\"gpus\":%d,\"walltime\":120,\"script\":\"#!/bin/sh\\nsleep %s\\n\",\"output\":\"/dev/null\"}"
                        .formatted(w.name(), w.gpus(), w.seconds())
                        : "{\"project\":\"bench\",\"name\":\"%s\",\"nodes\":%d,\"gpusPerNode\":8,\"walltime\":120,\"script\":\"#!/bin/sh\\nsleep %s\\n\",\"output\":\"/dev/null\"}"
                        .formatted(w.name(), w.nodes(), w.seconds());
                done.add(pool.submit(() -> {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "/api/v1/jobs"))
                            .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() != 201) throw new IllegalStateException("submission refused: " + r.statusCode() + " " + r.body());
                    return null;
                }));
            }
            for (Future<?> f : done) f.get();
        }
    }

    /**
     * A cross-check from Slurm's job-completion log (1-s times). Under load, jobcomp/filetxt was seen to lose records (9,595 of
     * 10,000 at 1,024 nodes), so the headline figures come from Nuri's ledger, which charges every run Slurm's own times.
     */
    private void report(Path jobcomp, long from, long t0, int gpus, int jobs, double work) throws IOException {
        String text;
        try (RandomAccessFile f = new RandomAccessFile(jobcomp.toFile(), "r")) {
            f.seek(from);
            byte[] b = new byte[(int) (f.length() - from)];
            f.readFully(b);
            text = new String(b, StandardCharsets.UTF_8);
        }
        List<long[]> runs = new ArrayList<>(); // start, end, gpus
        Map<String, Integer> states = new HashMap<>();
        for (String line : text.split("\n")) {
            Map<String, String> kv = new HashMap<>();
            Matcher m = FIELD.matcher(line);
            while (m.find()) kv.put(m.group(1), m.group(2));
            String name = kv.get("Name");
            if (name == null || !name.matches("[SML]\\d{5}_g\\d+") || "Unknown".equals(kv.get("StartTime"))) continue;
            states.merge(kv.get("JobState"), 1, Integer::sum);
            int g = Integer.parseInt(name.substring(name.indexOf("_g") + 2));
            runs.add(new long[] {epoch(kv.get("StartTime")), epoch(kv.get("EndTime")), g});
        }
        if (runs.isEmpty()) {
            out.println("no run of this benchmark in " + jobcomp + ": nothing to report");
            return;
        }
        long first = t0 / 1000;
        long lastStart = runs.stream().mapToLong(r -> r[0]).max().orElseThrow();
        long lastEnd = runs.stream().mapToLong(r -> r[1]).max().orElseThrow();
        double busy = runs.stream().mapToDouble(r -> (double) r[2] * (r[1] - r[0])).sum();
        double startAll = Math.max(1, lastStart - first);
        double makespan = Math.max(1, lastEnd - first);
        out.printf("cross-check, Slurm's job-completion log: %d runs recorded (%s)%s; last start %.0f s, last end %.0f s, GPU busy %.1f%%%n",
                runs.size(), states, runs.size() < jobs ? " — fewer than the jobs: the log lost records, the ledger above counts them all" : "",
                startAll, makespan, 100 * busy / (gpus * makespan));
    }

    private static long epoch(String local) {
        return LocalDateTime.parse(local).atZone(ZoneId.systemDefault()).toEpochSecond();
    }

    private static Map<String, String> env(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new IllegalArgumentException("no Slurm cluster at " + file.getParent() + " (" + file + " is missing). Start one with: "
                    + "scripts/slurm-cluster.sh start N");
        }
        Map<String, String> env = new HashMap<>();
        for (String line : Files.readAllLines(file)) {
            int eq = line.indexOf('=');
            if (eq > 0) env.put(line.substring(0, eq), line.substring(eq + 1));
        }
        return env;
    }
}

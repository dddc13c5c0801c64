package kr.nuri.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kr.nuri.server.journal.Database;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real {@code nuri serve} process under load — submissions, cancels, node down / drain / up — killed with SIGKILL
 * at random moments (some while it recovers) and restarted. Afterwards: every acknowledged submission is stored
 * once, with what was submitted; every acknowledged cancel and node change holds; every finished run is charged
 * exactly GPUs × time held, and {@code /usage} agrees; no GPU is allocated twice (the server checks every event at
 * FULL, and so does this test from the placements); the server never logged an error; each restart verified the
 * journal's checkpoints, and a clean stop and the next start report the same state hash. On the embedded store,
 * the data directory is also copied mid-run (a crash image, as a power loss would leave the files) and the image
 * must recover with everything acknowledged before the copy began. {@code -Dnuri.crash.kills=N} for more kills.
 */
class CrashIT {
    private static final long SEED = Long.getLong("nuri.test.seed", 42L);
    private static final int KILLS = Integer.getInteger("nuri.crash.kills", 10);
    /** The stores under test: both by default; {@code -Dnuri.crash.store=sqlite} (or postgres) for one. */
    private static final String STORES = System.getProperty("nuri.crash.store", "sqlite,postgres");
    private static final String PG_URL = System.getenv().getOrDefault("NURI_TEST_PG", "jdbc:postgresql://127.0.0.1:5432/test");
    private static final String PG_USER = System.getenv().getOrDefault("NURI_TEST_PG_USER", "postgres");
    private static final String PG_PASSWORD = System.getenv().getOrDefault("NURI_TEST_PG_PASSWORD", "postgres");
    private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+)");
    private static final Pattern TOKEN = Pattern.compile("NURI_TOKEN=(\\S+)");
    private static final Pattern RECOVERED = Pattern.compile("state hash ([0-9a-f]{16}) verified at (\\d+) checkpoints");
    private static final Pattern STOPPED = Pattern.compile("stopped; journal written, state hash ([0-9a-f]{16})");
    private static final Pattern FROM_SNAPSHOT = Pattern.compile("the snapshot at event (\\d+)");
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String[] NODES = {"h-1-r1-n1", "h-1-r1-n2", "h-1-r2-n3", "h-2-r1-n1", "h-2-r2-n4"};
    private static final String FLEET = """
            name: crash
            sites:
              - name: s1
                blocks:
                  - {name: h, count: 2, model: H100, owner: org, racks: 2, nodesPerRack: 4, gpusPerNode: 8}
            tenants:
              - {name: nation}
              - {name: org, parent: nation}
              - {name: p1, parent: org, quotas: {H100: 64}}
              - {name: p2, parent: org, quotas: {H100: 64}}
            fairShareHalfLifeHours: 168
            """;

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private volatile String url;
    private volatile String token;
    private String store;
    private String pgSchema;

    /** What each start printed, and what went wrong anywhere: the test fails on any of it. */
    private final List<Integer> verifiedPerStart = Collections.synchronizedList(new ArrayList<>());
    private final List<String> recoveredHashes = Collections.synchronizedList(new ArrayList<>());
    private final List<String> stoppedHashes = Collections.synchronizedList(new ArrayList<>());
    private final Queue<String> serverErrors = new Queue<>();
    private final Queue<Throwable> loaderFailures = new Queue<>();
    private int startsFromSnapshot;
    private int killsDuringRecovery;

    /** A thread-safe list. */
    private static final class Queue<T> extends ConcurrentLinkedQueue<T> { }

    /** A submission as sent: what the stored job must show. */
    record Submitted(String project, int gpus, long walltime) {}

    /** Node operations in the order they were attempted: the op and whether it was acknowledged. */
    record NodeOp(String op, boolean acknowledged) {}

    private final Map<String, Submitted> mustExist = new ConcurrentHashMap<>();
    private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    /** The id the server gave each acknowledged job (by its name). */
    private final Map<String, String> idOf = new ConcurrentHashMap<>();
    private final Set<String> attempted = ConcurrentHashMap.newKeySet();
    private final Set<String> cancelled = ConcurrentHashMap.newKeySet();
    private final Map<String, List<NodeOp>> nodeOps = new ConcurrentHashMap<>();

    /** Every server this test started: none may outlive it, whatever failed. */
    private final List<Process> started = Collections.synchronizedList(new ArrayList<>());

    @org.junit.jupiter.api.AfterEach
    void killLeftovers() {
        for (Process p : started) p.destroyForcibly();
    }

    static List<String> stores() {
        return List.of(STORES.split(","));
    }

    @ParameterizedTest(name = "on {0}")
    @MethodSource("stores")
    void acknowledgedWorkSurvivesSigkill(String store) throws Exception {
        this.store = store;
        Path fleet = Files.writeString(dir.resolve("crash.yaml"), FLEET);
        Process server = start(fleet, dir.resolve("data"));
        List<Thread> loaders = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int thread = t;
            loaders.add(loader("submit-" + t, () -> submitLoad(thread)));
        }
        loaders.add(loader("cancel", this::cancelLoad));
        loaders.add(loader("nodes", this::nodeLoad));
        SplittableRandom rnd = new SplittableRandom(SEED);
        Path image = null;
        Set<String> acknowledgedBeforeImage = Set.of();
        for (int k = 0; k < KILLS; k++) {
            Thread.sleep(300 + rnd.nextInt(1_200));
            if (k == KILLS / 2 && store.equals("sqlite")) {
                // A crash image: the files as they are at one instant (the process frozen meanwhile, as a power loss would
                // freeze them); everything acknowledged before it must be in them.
                acknowledgedBeforeImage = Set.copyOf(acknowledged);
                image = dir.resolve("image");
                signal(server, "STOP");
                try {
                    copyTree(dir.resolve("data"), image);
                } finally {
                    signal(server, "CONT");
                }
            }
            server.destroyForcibly(); // SIGKILL: no shutdown hook, no lease release, no flush
            server.waitFor(10, TimeUnit.SECONDS);
            if (k % 3 == 1) killDuringRecovery(fleet, rnd);
            server = start(fleet, dir.resolve("data"));
        }
        Thread.sleep(500);
        loaders.forEach(Thread::interrupt);
        for (Thread t : loaders) t.join(10_000);
        assertThat(loaderFailures).as("the loaders' own failures").isEmpty();
        assertThat(acknowledged).hasSizeGreaterThan(KILLS * 5);
        assertThat(cancelled).as("cancels acknowledged").isNotEmpty();

        checkNodeChangesHeld();
        // Bring every node back so that every job can finish, then compare everything at a quiet moment.
        for (String node : NODES) assertThat(post("/api/v1/nodes/" + node + "/up", null)).isEqualTo(200);
        // The backlog would take minutes on 128 GPUs: cancel what still waits, let what runs finish.
        for (JsonNode j : listJobs().values()) {
            if (j.get("state").asString().equals("PENDING")) assertThat(post("/api/v1/jobs/" + j.get("id").asString() + "/cancel", null)).isIn(200, 409);
        }
        Map<String, JsonNode> jobs = waitUntilAllEnded();
        checkJobs(jobs);
        checkNodesAndUsage(jobs);

        // SIGTERM through the handle: Process.destroy() would also close our end of its output, losing the line it prints last.
        server.toHandle().destroy(); // a clean stop, then a restart that must find everything again with the same hash
        assertThat(server.waitFor(30, TimeUnit.SECONDS)).as("nuri serve stops on SIGTERM").isTrue();
        Thread.sleep(200); // the output drain has read the last line
        assertThat(stoppedHashes).as("the hash printed on a clean stop").isNotEmpty();
        String stoppedAt = stoppedHashes.get(stoppedHashes.size() - 1);
        checkJournalHasEachSubmissionOnce();
        Process again = start(fleet, dir.resolve("data"));
        try {
            assertThat(recoveredHashes.get(recoveredHashes.size() - 1)).as("the state hash recovered from the journal a clean stop left")
                    .isEqualTo(stoppedAt);
            Map<String, JsonNode> after = listJobs();
            assertThat(after.keySet()).as("jobs after a clean stop and start").isEqualTo(jobs.keySet());
            for (var j : jobs.entrySet()) {
                assertThat(after.get(j.getKey()).get("state")).as(j.getKey()).isEqualTo(j.getValue().get("state"));
                assertThat(after.get(j.getKey()).get("gpuHours")).as(j.getKey()).isEqualTo(j.getValue().get("gpuHours"));
            }
        } finally {
            again.toHandle().destroy();
            again.waitFor(30, TimeUnit.SECONDS);
        }
        if (image != null) checkCrashImage(fleet, image, acknowledgedBeforeImage);
        Thread.sleep(200);
        assertThat(serverErrors).as("errors nuri serve logged").isEmpty();
        assertThat(killsDuringRecovery).as("kills that landed while the server was recovering").isPositive();
        assertThat(verifiedPerStart.stream().mapToInt(Integer::intValue).sum()).as("checkpoints verified over the restarts").isPositive();
        if (Long.parseLong(System.getProperty("nuri.crash.snapshotEvery", "100")) <= 200) {
            assertThat(startsFromSnapshot).as("restarts that began from a snapshot").isPositive();
        }
        System.out.printf("crash test on %s: %d SIGKILLs (%d during recovery), %d submissions acknowledged, %d jobs stored, %d cancels, "
                        + "%d node changes acknowledged, checkpoints verified per start %s, %d starts from a snapshot, crash image %s%n",
                store, KILLS, killsDuringRecovery, acknowledged.size(), jobs.size(), cancelled.size(),
                nodeOps.values().stream().flatMap(List::stream).filter(NodeOp::acknowledged).count(), verifiedPerStart, startsFromSnapshot,
                image == null ? "not taken" : "recovered all " + acknowledgedBeforeImage.size() + " acknowledged before it");
    }

    /** Starts a loader; whatever it throws is kept, not lost with its thread. */
    private Thread loader(String name, ThrowingRunnable body) {
        return Thread.ofVirtual().name(name).start(() -> {
            try {
                body.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Throwable t) {
                loaderFailures.add(new AssertionError(name + ": " + t, t));
            }
        });
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    private void submitLoad(int thread) throws InterruptedException {
        SplittableRandom rnd = new SplittableRandom(SEED * 31 + thread);
        for (int n = 0; !Thread.currentThread().isInterrupted(); n++) {
            String id = "t" + thread + "-" + n; // the job's name, and the idempotency key of its submission
            int gpus = List.of(1, 2, 4, 8, 16).get(rnd.nextInt(5));
            String project = "p" + (1 + rnd.nextInt(2));
            long walltime = 600 + rnd.nextInt(600);
            String body = "{\"name\":\"" + id + "\",\"project\":\"" + project + "\",\"gpus\":" + gpus
                    + (gpus > 8 ? ",\"gpusPerNode\":8" : "") + ",\"walltime\":" + walltime + ",\"runtime\":" + (1 + rnd.nextInt(3)) + "}";
            attempted.add(id);
            while (!Thread.currentThread().isInterrupted()) {
                // A retry after a lost answer carries the same key: the server answers with the job the first attempt made.
                HttpResponse<String> r = send("/api/v1/jobs", body, id);
                int status = r == null ? -1 : r.statusCode();
                if (status == 201) {
                    mustExist.put(id, new Submitted(project, gpus, walltime));
                    idOf.put(id, JSON.readTree(r.body()).get("id").asString());
                    acknowledged.add(id);
                    break;
                }
                if (status >= 400 && status < 500) throw new AssertionError(id + " refused with " + status + ": " + r.body());
                Thread.sleep(50); // server down or restarting: retry, as a real client would
            }
        }
    }

    private void cancelLoad() throws InterruptedException {
        SplittableRandom rnd = new SplittableRandom(SEED * 7);
        while (!Thread.currentThread().isInterrupted()) {
            Thread.sleep(100 + rnd.nextInt(200));
            List<String> ids = new ArrayList<>(acknowledged);
            if (ids.isEmpty()) continue;
            Collections.sort(ids);
            String id = ids.get(rnd.nextInt(ids.size()));
            int status = post("/api/v1/jobs/" + idOf.get(id) + "/cancel", null);
            if (status == 200) cancelled.add(id);
            else if (status != 409 && status > 0 && status != 503) throw new AssertionError("cancel " + id + " answered " + status);
        }
    }

    private void nodeLoad() throws InterruptedException {
        SplittableRandom rnd = new SplittableRandom(SEED * 13);
        while (!Thread.currentThread().isInterrupted()) {
            Thread.sleep(150 + rnd.nextInt(300));
            String node = NODES[rnd.nextInt(NODES.length)];
            String op = List.of("down", "drain", "up", "up").get(rnd.nextInt(4));
            int status = post("/api/v1/nodes/" + node + "/" + op, null);
            if (status > 0 && status != 200 && status != 503) throw new AssertionError(op + " " + node + " answered " + status);
            nodeOps.computeIfAbsent(node, n -> Collections.synchronizedList(new ArrayList<>())).add(new NodeOp(op, status == 200));
        }
    }

    /**
     * Each node's health is what its last acknowledged change made it, or what a later change made that was sent
     * but not answered (a crash may or may not have kept it).
     */
    private void checkNodeChangesHeld() throws Exception {
        Map<String, String> health = new HashMap<>();
        for (JsonNode n : get("/api/v1/nodes").path("nodes")) health.put(n.get("name").asString(), n.get("health").asString());
        for (var e : nodeOps.entrySet()) {
            List<String> allowed = new ArrayList<>(List.of("UP")); // before any acknowledged change
            synchronized (e.getValue()) {
                for (NodeOp op : e.getValue()) {
                    String h = switch (op.op()) { case "down" -> "DOWN"; case "drain" -> "DRAIN"; default -> "UP"; };
                    if (op.acknowledged()) allowed.clear();
                    allowed.add(h);
                }
            }
            assertThat(health.get(e.getKey())).as("health of " + e.getKey() + " after " + e.getValue()).isIn(allowed);
        }
    }

    /** Waits until no job waits or runs (every job has a short runtime) and returns them all. */
    private Map<String, JsonNode> waitUntilAllEnded() throws Exception {
        Map<String, JsonNode> jobs = Map.of();
        for (int attempt = 0; attempt < 120; attempt++) {
            jobs = listJobs();
            boolean active = jobs.values().stream().anyMatch(j -> Set.of("PENDING", "RUNNING").contains(j.get("state").asString()));
            if (!active) return jobs;
            Thread.sleep(500);
        }
        throw new AssertionError("jobs still waiting or running a minute after the load stopped: "
                + jobs.values().stream().filter(j -> Set.of("PENDING", "RUNNING").contains(j.get("state").asString())).limit(5).toList());
    }

    private Map<String, JsonNode> listJobs() throws IOException, InterruptedException {
        Map<String, JsonNode> jobs = new HashMap<>();
        for (String page = "/api/v1/jobs?limit=10000"; page != null; ) {
            JsonNode list = get(page);
            for (JsonNode j : list.path("jobs")) {
                // By name: a name twice is a submission that ran twice (the retry's key not honoured), or a page listed twice.
                assertThat(jobs.put(j.get("name").asString(), j)).as("job stored twice: " + j).isNull();
            }
            JsonNode next = list.path("next");
            page = next.isMissingNode() || next.isNull() ? null : "/api/v1/jobs?limit=10000&after=" + next.asLong();
        }
        return jobs;
    }

    private void checkJobs(Map<String, JsonNode> jobs) {
        List<String> missing = mustExist.keySet().stream().filter(id -> !jobs.containsKey(id)).sorted().toList();
        assertThat(missing).as("acknowledged (or 409: stored) jobs lost, of %d, %d listed", mustExist.size(), jobs.size()).isEmpty();
        assertThat(attempted).as("every stored job was submitted").containsAll(jobs.keySet());
        for (var e : mustExist.entrySet()) {
            JsonNode j = jobs.get(e.getKey());
            Submitted s = e.getValue();
            assertThat(j.get("project").asString()).as(e.getKey() + " project").isEqualTo(s.project());
            assertThat(j.get("gpus").asInt()).as(e.getKey() + " GPUs").isEqualTo(s.gpus());
            assertThat(j.get("walltime").asLong()).as(e.getKey() + " walltime").isEqualTo(s.walltime());
        }
        for (String id : cancelled) assertThat(jobs.get(id).get("state").asString()).as("cancel of " + id + " was acknowledged").isEqualTo("CANCELLED");
        int checkedCharges = 0;
        for (JsonNode j : jobs.values()) {
            if (j.get("runs").asInt() != 1 || j.get("started").isNull() || j.get("ended").isNull()) continue;
            long held = Instant.parse(j.get("ended").asString()).getEpochSecond() - Instant.parse(j.get("started").asString()).getEpochSecond();
            assertThat(j.get("gpuHours").asDouble()).as(j.get("id").asString() + ": GPUs × time held")
                    .isCloseTo(j.get("gpus").asInt() * held / 3600.0, within(1e-9));
            checkedCharges++;
        }
        assertThat(checkedCharges).as("finished single runs whose charge was checked").isGreaterThan(mustExist.size() / 4);
    }

    private void checkNodesAndUsage(Map<String, JsonNode> jobs) throws Exception {
        JsonNode nodes = get("/api/v1/nodes").path("nodes");
        Map<String, String> health = new HashMap<>();
        for (JsonNode n : nodes) {
            assertThat(n.get("free").asInt()).as("no job runs, so every GPU is free: " + n).isEqualTo(8);
            health.put(n.get("name").asString(), n.get("health").asString());
        }
        // Node changes were acknowledged and then all nodes brought up: the up at the end is the last word.
        for (String node : NODES) assertThat(health.get(node)).as(node).isEqualTo("UP");
        assertThat(nodeOps.values().stream().flatMap(List::stream).filter(o -> o.acknowledged() && !o.op().equals("up")).count())
                .as("downs and drains acknowledged").isPositive();
        double charged = jobs.values().stream().mapToDouble(j -> j.get("gpuHours").asDouble()).sum();
        double used = 0;
        for (JsonNode row : get("/api/v1/usage?by=project").path("rows")) used += row.get("gpuHours").asDouble();
        assertThat(used).as("/usage by project against the jobs' own GPU-hours").isCloseTo(charged, within(1e-6));
    }

    /** The journal itself, read after the clean stop: each acknowledged submission appears exactly once. */
    private void checkJournalHasEachSubmissionOnce() throws Exception {
        String jdbc = store.equals("postgres") ? postgresUrl() : Database.embeddedUrl(dir.resolve("data"));
        Map<String, Integer> submissions = new HashMap<>();
        try (var c = java.sql.DriverManager.getConnection(jdbc, store.equals("postgres") ? PG_USER : "", store.equals("postgres") ? PG_PASSWORD : "");
             var rs = c.createStatement().executeQuery("SELECT body FROM journal WHERE kind = 'JobSubmitted'")) {
            while (rs.next()) submissions.merge(JSON.readTree(rs.getString(1)).path("spec").path("name").asString(), 1, Integer::sum);
        }
        assertThat(submissions.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList())
                .as("jobs submitted twice in the journal").isEmpty();
        assertThat(submissions.keySet()).as("the journal's submissions").containsAll(mustExist.keySet());
    }

    /** The image copied mid-run starts and holds every submission acknowledged before the copy began. */
    private void checkCrashImage(Path fleet, Path image, Set<String> before) throws Exception {
        Process p = start(fleet, image);
        try {
            Map<String, JsonNode> jobs = listJobs();
            List<String> missing = before.stream().filter(id -> !jobs.containsKey(id)).sorted().toList();
            assertThat(missing).as("acknowledged before the crash image was taken, missing from it (of %d)", before.size()).isEmpty();
        } finally {
            p.toHandle().destroy();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** Sends a signal (STOP, CONT) to the server process. */
    private static void signal(Process p, String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).inheritIO().start();
        assertThat(kill.waitFor()).as("kill -" + signal).isZero();
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (var files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    /** Starts the server and kills it once it has begun recovering, before it listens. */
    private void killDuringRecovery(Path fleet, SplittableRandom rnd) throws Exception {
        Process p = command(fleet, dir.resolve("data"));
        java.util.concurrent.CountDownLatch loaded = new java.util.concurrent.CountDownLatch(1);
        boolean[] listened = {false};
        Thread reader = Thread.ofVirtual().start(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
                for (String line; (line = out.readLine()) != null; ) {
                    scan(line);
                    if (line.startsWith("Nuri ")) loaded.countDown(); // the fleet is loaded; the store and the replay come next
                    if (LISTENING.matcher(line).find()) listened[0] = true;
                }
            } catch (IOException closed) {
                // the stream closes when the process is killed
            }
            loaded.countDown();
        });
        loaded.await(30, TimeUnit.SECONDS);
        Thread.sleep(rnd.nextInt(150));
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
        reader.join(5_000);
        if (!listened[0]) killsDuringRecovery++;
    }

    private int post(String path, String body) {
        HttpResponse<String> r = send(path, body, null);
        return r == null ? -1 : r.statusCode();
    }

    /** A POST; null when the server did not answer (down, restarting, killed mid-request). */
    private HttpResponse<String> send(String path, String body, String idempotencyKey) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(5))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            if (idempotencyKey != null) b.header("Idempotency-Key", idempotencyKey);
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        HttpRequest r = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token).build();
        HttpResponse<String> res = http.send(r, HttpResponse.BodyHandlers.ofString());
        assertThat(res.statusCode()).as(path + " " + res.body()).isEqualTo(200);
        return JSON.readTree(res.body());
    }

    /** A fresh schema in the test PostgreSQL, made on first use. */
    private String postgresUrl() {
        if (pgSchema == null) {
            pgSchema = "nuri_crash_" + ProcessHandle.current().pid();
            try (java.sql.Connection c = java.sql.DriverManager.getConnection(PG_URL, PG_USER, PG_PASSWORD)) {
                c.createStatement().execute("DROP SCHEMA IF EXISTS " + pgSchema + " CASCADE");
                c.createStatement().execute("CREATE SCHEMA " + pgSchema);
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException("the crash test needs PostgreSQL at " + PG_URL + ": " + e.getMessage(), e);
            }
        }
        return PG_URL + "?currentSchema=" + pgSchema;
    }

    private Process command(Path fleet, Path data) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx512m", "-jar", Path.of("target", "nuri.jar").toAbsolutePath().toString(),
                "serve", "--fleet", fleet.toString(), "--port", "0", "--data", data.toString(), "--tick", "0.5",
                "--checkpoint-every", "50", "--snapshot-every", System.getProperty("nuri.crash.snapshotEvery", "100"), "--check", "FULL"));
        if (store.equals("postgres")) command.addAll(List.of("--db", postgresUrl(), "--db-user", PG_USER, "--db-password", PG_PASSWORD));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.PIPE).start();
        started.add(p);
        return p;
    }

    /** Reads one line the server printed: what it recovered, what it stopped with, and any error. */
    private void scan(String line) {
        if (line.contains("ERROR") || line.contains("Exception") || line.contains("invariant violated")) serverErrors.add(line);
        Matcher m = TOKEN.matcher(line);
        if (m.find()) token = m.group(1);
        if (FROM_SNAPSHOT.matcher(line).find()) startsFromSnapshot++;
        m = RECOVERED.matcher(line);
        if (m.find()) {
            recoveredHashes.add(m.group(1));
            verifiedPerStart.add(Integer.parseInt(m.group(2)));
        }
        m = STOPPED.matcher(line);
        if (m.find()) stoppedHashes.add(m.group(1));
    }

    /** Starts the real command from the shaded jar, waits until it listens, and keeps reading what it prints. */
    private Process start(Path fleet, Path data) throws IOException {
        Process p = command(fleet, data);
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream()));
        StringBuilder seen = new StringBuilder();
        for (String line; (line = out.readLine()) != null; ) {
            seen.append(line).append('\n');
            scan(line);
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
                url = m.group(1);
                Thread.ofVirtual().start(() -> out.lines().forEach(this::scan)); // errors and the hash at a clean stop
                return p;
            }
        }
        throw new AssertionError("nuri serve did not start:\n" + seen);
    }
}

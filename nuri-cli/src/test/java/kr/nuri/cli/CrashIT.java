package kr.nuri.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real {@code nuri serve} process under a submission load, killed with SIGKILL at random moments and
 * restarted: every acknowledged submission is there afterwards, none twice, no GPU is allocated twice
 * (checked by the server's FULL invariant checks on every event and again here from the placements), and
 * each restart verified the state hash at the journal's checkpoints. {@code -Dnuri.crash.kills=N} for more.
 */
class CrashIT {
    private static final long SEED = Long.getLong("nuri.test.seed", 42L);
    private static final int KILLS = Integer.getInteger("nuri.crash.kills", 10);
    /** The stores under test: both by default; {@code -Dnuri.crash.store=h2} (or postgres) for one. */
    private static final String STORES = System.getProperty("nuri.crash.store", "h2,postgres");
    private static final String PG_URL = System.getenv().getOrDefault("NURI_TEST_PG", "jdbc:postgresql://127.0.0.1:5432/test");
    private static final String PG_USER = System.getenv().getOrDefault("NURI_TEST_PG_USER", "postgres");
    private static final String PG_PASSWORD = System.getenv().getOrDefault("NURI_TEST_PG_PASSWORD", "postgres");
    private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+)");
    private static final Pattern TOKEN = Pattern.compile("NURI_TOKEN=(\\S+)");
    private static final Pattern VERIFIED = Pattern.compile("verified at (\\d+) checkpoints");
    private static final Pattern FROM_SNAPSHOT = Pattern.compile("the snapshot at event (\\d+)");
    private static final JsonMapper JSON = JsonMapper.builder().build();
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
    private final List<Integer> verifiedPerStart = new ArrayList<>();

    private String store;

    static List<String> stores() {
        return List.of(STORES.split(","));
    }

    @ParameterizedTest(name = "on {0}")
    @MethodSource("stores")
    void acknowledgedSubmissionsSurviveSigkill(String store) throws Exception {
        this.store = store;
        Path fleet = Files.writeString(dir.resolve("crash.yaml"), FLEET);
        Process server = start(fleet);
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        Set<String> attempted = ConcurrentHashMap.newKeySet();
        List<Thread> loaders = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int thread = t;
            loaders.add(Thread.ofVirtual().start(() -> load(thread, attempted, acknowledged)));
        }
        SplittableRandom rnd = new SplittableRandom(SEED);
        for (int k = 0; k < KILLS; k++) {
            Thread.sleep(300 + rnd.nextInt(1_200));
            server.destroyForcibly(); // SIGKILL: no shutdown hook, no lease release, no flush
            server.waitFor(10, TimeUnit.SECONDS);
            server = start(fleet);
        }
        Thread.sleep(500);
        loaders.forEach(Thread::interrupt);
        for (Thread t : loaders) t.join(10_000);

        assertThat(acknowledged).hasSizeGreaterThan(KILLS * 5);
        // Jobs keep completing (virtual execution), so read nodes, jobs, nodes until nothing changed in between.
        Map<String, JsonNode> jobs = new HashMap<>();
        JsonNode nodes = null;
        for (int attempt = 0; attempt < 50 && nodes == null; attempt++) {
            JsonNode before = get("/api/v1/nodes").path("nodes");
            jobs.clear();
            for (String page = "/api/v1/jobs?limit=10000"; page != null; ) { // every page
                JsonNode list = get(page);
                for (JsonNode j : list.path("jobs")) {
                    assertThat(jobs.put(j.get("id").asString(), j)).as("job listed twice: " + j).isNull();
                }
                JsonNode next = list.path("next");
                page = next.isMissingNode() || next.isNull() ? null : "/api/v1/jobs?limit=10000&after=" + next.asLong();
            }
            if (get("/api/v1/nodes").path("nodes").equals(before)) nodes = before;
        }
        assertThat(nodes).as("a quiet moment to compare nodes and jobs").isNotNull();
        List<String> missing = acknowledged.stream().filter(id -> !jobs.containsKey(id)).sorted().toList();
        assertThat(missing).as("acknowledged jobs lost (of %d acknowledged, %d listed)", acknowledged.size(), jobs.size()).isEmpty();
        assertThat(attempted).containsAll(jobs.keySet());
        Map<String, Integer> held = new HashMap<>();
        for (JsonNode j : jobs.values()) {
            for (JsonNode share : j.path("placement").path("nodes")) held.merge(share.get("node").asString(), share.get("gpus").asInt(), Integer::sum);
        }
        held.forEach((node, gpus) -> assertThat(gpus).as("GPUs allocated on " + node).isLessThanOrEqualTo(8));
        for (JsonNode n : nodes) {
            assertThat(n.get("free").asInt()).as(n.toString()).isEqualTo(8 - held.getOrDefault(n.get("name").asString(), 0));
        }
        System.out.printf("crash test on " + store + ": %d SIGKILLs, %d submissions acknowledged, %d jobs stored, checkpoints verified per start %s, %d starts from a snapshot%n",
                KILLS, acknowledged.size(), jobs.size(), verifiedPerStart, startsFromSnapshot);
        if (Long.parseLong(System.getProperty("nuri.crash.snapshotEvery", "100")) <= 200) {
            assertThat(startsFromSnapshot).as("restarts that began from a snapshot").isPositive();
        }
        assertThat(verifiedPerStart.stream().mapToInt(Integer::intValue).sum()).as("checkpoints verified over the restarts").isPositive();

        server.destroy(); // SIGTERM: a clean stop, then a restart that must find everything again
        assertThat(server.waitFor(30, TimeUnit.SECONDS)).as("nuri serve stops on SIGTERM").isTrue();
        Process again = start(fleet);
        try {
            for (String id : acknowledged) {
                HttpRequest r = HttpRequest.newBuilder(URI.create(url + "/api/v1/jobs/" + id)).timeout(Duration.ofSeconds(10))
                        .header("Authorization", "Bearer " + token).build();
                assertThat(http.send(r, HttpResponse.BodyHandlers.discarding()).statusCode()).as("job " + id + " after a clean stop").isEqualTo(200);
            }
        } finally {
            again.destroy();
            again.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private volatile String lastHash;

    private String pgSchema;

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
    private int startsFromSnapshot;

    private void load(int thread, Set<String> attempted, Set<String> acknowledged) {
        SplittableRandom rnd = new SplittableRandom(SEED * 31 + thread);
        for (int n = 0; !Thread.currentThread().isInterrupted(); n++) {
            String id = "t" + thread + "-" + n;
            int gpus = List.of(1, 2, 4, 8, 16).get(rnd.nextInt(5));
            String body = "{\"id\":\"" + id + "\",\"project\":\"p" + (1 + rnd.nextInt(2)) + "\",\"gpus\":" + gpus
                    + (gpus > 8 ? ",\"gpusPerNode\":8" : "") + ",\"walltime\":600,\"runtime\":" + (1 + rnd.nextInt(3)) + "}";
            attempted.add(id);
            while (!Thread.currentThread().isInterrupted()) {
                int status = post("/api/v1/jobs", body);
                if (status == 201 || status == 409) { // 409: stored before a crash that lost the answer
                    if (status == 201) acknowledged.add(id);
                    break;
                }
                if (status >= 400 && status < 500 && status != 409) throw new AssertionError(id + " refused with " + status);
                try {
                    Thread.sleep(50); // server down or restarting: retry the same id, as a real client would
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private int post(String path, String body) {
        try {
            HttpRequest r = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(5))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
            return http.send(r, HttpResponse.BodyHandlers.ofString()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        HttpRequest r = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token).build();
        HttpResponse<String> res = http.send(r, HttpResponse.BodyHandlers.ofString());
        assertThat(res.statusCode()).as(path + " " + res.body()).isEqualTo(200);
        return JSON.readTree(res.body());
    }

    /** Starts the real command from the shaded jar and waits until it listens. */
    private Process start(Path fleet) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx512m", "-jar", Path.of("target", "nuri.jar").toAbsolutePath().toString(),
                "serve", "--fleet", fleet.toString(), "--port", "0", "--data", dir.resolve("data").toString(), "--tick", "0.5",
                "--checkpoint-every", "50", "--snapshot-every", System.getProperty("nuri.crash.snapshotEvery", "100"), "--check", "FULL",
                "--wal-segment-mb", "0.05")); // H2: the write-ahead file rotates many times between kills
        if (store.equals("postgres")) command.addAll(List.of("--db", postgresUrl(), "--db-user", PG_USER, "--db-password", PG_PASSWORD));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.PIPE).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream()));
        StringBuilder seen = new StringBuilder();
        for (String line; (line = out.readLine()) != null; ) {
            seen.append(line).append('\n');
            if (line.contains("ERROR") || line.contains("WARN")) System.out.println("serve: " + line); // recovery trouble, in the test's output
            Matcher m = TOKEN.matcher(line);
            if (m.find()) token = m.group(1);
            if (FROM_SNAPSHOT.matcher(line).find()) startsFromSnapshot++;
            m = VERIFIED.matcher(line);
            if (m.find()) verifiedPerStart.add(Integer.parseInt(m.group(1)));
            Matcher h = Pattern.compile("state hash ([0-9a-f]{16})").matcher(line);
            if (h.find()) lastHash = h.group(1);
            m = LISTENING.matcher(line);
            if (m.find()) {
                url = m.group(1);
                Thread.ofVirtual().start(() -> out.lines().forEach(l -> { })); // keep draining its output
                return p;
            }
        }
        throw new AssertionError("nuri serve did not start:\n" + seen);
    }
}

package kr.nuri.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Nuri decides, a real Slurm runs: a real {@code nuri serve} process with one site whose backend is the Slurm that
 * {@code scripts/slurm-cluster.sh} brings up on this host (Debian's Slurm 22.05: slurmctld, four slurmd of 8 fake GPUs
 * each, slurmrestd with JWT). The script installs Slurm when it is missing; these tests never skip for want of it.
 * What each test checks is read back from Slurm itself (its job records through slurmrestd, the files jobs write).
 */
class SlurmIT {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+)");
    private static final Path SCRIPT = Path.of("..", "scripts", "slurm-cluster.sh").toAbsolutePath().normalize();
    private static final String DIR = "/tmp/nuri-slurm-it";
    private static final String PORT0 = "26817";
    private static Map<String, String> env;
    /** How a Slurm job Nuri stopped ends: SIGTERM ended it (the shell exits non-zero), or the cancel after the grace did. */
    private static final java.util.Set<String> STOPPED = java.util.Set.of("CANCELLED", "FAILED");

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private final ConcurrentLinkedQueue<String> serverLog = new ConcurrentLinkedQueue<>();
    private final List<Process> servers = new ArrayList<>();
    private String url;
    private String token;
    /** The backend's nodeMap (Nuri's node names to Slurm's); null = the same names. */
    private String nodeMap;
    /** How long the site may be out of contact before its runs are ended as lost (and its nodes drained). */
    private int unknownTimeoutSeconds = 120;

    @BeforeAll
    static void cluster() throws Exception {
        run(SCRIPT.toString(), "start", "4");
        env = new HashMap<>();
        for (String line : Files.readAllLines(Path.of(DIR, "env"))) {
            int eq = line.indexOf('=');
            if (eq > 0) env.put(line.substring(0, eq), line.substring(eq + 1));
        }
    }

    @AfterAll
    static void stopCluster() throws Exception {
        run(SCRIPT.toString(), "stop");
    }

    /** Slurm's job ids before this test: its records of earlier tests' jobs (whose Nuri ids repeat) are not this test's. */
    private long slurmIdsBefore;

    @org.junit.jupiter.api.BeforeEach
    void before() throws Exception {
        for (JsonNode j : slurm("GET", "/jobs", null).path("jobs")) slurmIdsBefore = Math.max(slurmIdsBefore, j.path("job_id").asLong());
    }

    @AfterEach
    void stopServers() {
        for (Process p : servers) p.destroyForcibly();
        assertThat(serverLog).as("the server logged no error").noneMatch(l -> l.contains(" ERROR ") || l.contains("invariant violated"));
    }

    @Test
    void wrapRunsOnTheNodesNuriChoseWritesItsOutputAndIsChargedSlurmsTimes() throws Exception {
        start();
        Path out = Path.of(DIR, "jobs", "wrap-" + System.nanoTime() + ".out");
        String printed = cli("submit", "-A", "p1", "--gpus", "2", "-t", "5", "-J", "hello", "-o", out.toString(),
                "--wrap", "echo node=$SLURMD_NODENAME gpus=$CUDA_VISIBLE_DEVICES nuri=$NURI_JOB_ID; sleep 2");
        Matcher m = Pattern.compile("Submitted job (\\S+) \\(RUNNING").matcher(printed);
        assertThat(m.find()).as(printed).isTrue();
        String id = m.group(1);
        JsonNode job = awaitJob(id, j -> j.path("state").asString().equals("COMPLETED"), 60);
        String node = job.path("placement").path("nodes").get(0).path("node").asString();
        assertThat(Files.readString(out).strip()).isEqualTo("node=" + node + " gpus=0,1 nuri=" + id);
        JsonNode slurm = slurmJob(id, 1);
        assertThat(slurm.path("job_state").asString()).isEqualTo("COMPLETED");
        assertThat(slurm.path("nodes").asString()).isEqualTo(node);
        assertThat(slurm.path("partition").asString()).isEqualTo("nuri");
        assertThat(slurm.path("priority").asLong()).as("the site's priority, set on every run").isEqualTo(4242);
        long seconds = slurm.path("end_time").asLong() - slurm.path("start_time").asLong();
        assertThat(job.path("gpuHours").asDouble()).as("charged 2 GPUs × Slurm's %d s", seconds).isEqualTo(2 * seconds / 3600.0);
        String metrics = http.send(HttpRequest.newBuilder(URI.create(url + "/metrics")).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics).as("per-site figures of the run").contains("nuri_site_submissions_total{site=\"s1\"} 1.0",
                "nuri_site_dispatch_seconds{site=\"s1\",quantile=\"0.5\"}", "nuri_site_submit_seconds{site=\"s1\",quantile=\"0.5\"}",
                "nuri_site_end_seen_seconds{site=\"s1\",quantile=\"0.5\"}", "nuri_site_last_contact{site=\"s1\"}");
    }

    @Test
    void aTwoNodeGangHoldsBothWholeNodesAndAFailingCommandEndsFailed() throws Exception {
        start();
        Path out = Path.of(DIR, "jobs", "gang-" + System.nanoTime() + ".out");
        String gang = submit(Map.of("name", "gang", "nodes", 2, "gpusPerNode", 8, "walltime", 300,
                "script", "#!/bin/bash\necho $SLURM_JOB_NODELIST $SLURM_JOB_NUM_NODES\n", "output", out.toString()));
        String failing = submit(Map.of("name", "failing", "gpus", 1, "walltime", 300, "script", "#!/bin/sh\nexit 3\n", "workdir", "/tmp"));
        JsonNode g = awaitJob(gang, j -> j.path("state").asString().equals("COMPLETED"), 60);
        List<String> nodes = new ArrayList<>();
        for (JsonNode n : g.path("placement").path("nodes")) nodes.add(n.path("node").asString());
        assertThat(nodes).hasSize(2);
        JsonNode s = slurmJob(gang, 1);
        assertThat(s.path("shared").asString()).as("whole nodes are held exclusively").isEqualTo("none");
        String[] printed = Files.readString(out).strip().split(" ");
        assertThat(expand(printed[0])).as("the nodes the job saw").containsExactlyInAnyOrderElementsOf(nodes);
        assertThat(printed[1]).isEqualTo("2");
        assertThat(expand(s.path("nodes").asString())).containsExactlyInAnyOrderElementsOf(nodes);
        JsonNode f = awaitJob(failing, j -> j.path("state").asString().equals("FAILED"), 60);
        assertThat(f.path("lastOutcome").asString()).isEqualTo("FAILED");
        assertThat(slurmJob(failing, 1).path("job_state").asString()).isEqualTo("FAILED");
    }

    @Test
    void cancelAndPreemptionInNuriCancelTheSlurmJob() throws Exception {
        start();
        String cancelled = submit(Map.of("name", "c", "gpus", 8, "walltime", 600, "script", "#!/bin/sh\nsleep 300\n"));
        awaitSlurm(cancelled, 1, "RUNNING", 30);
        assertThat(post("/api/v1/jobs/" + cancelled + "/cancel", Map.of()).statusCode()).isEqualTo(200);
        // SIGTERM first (a script that exits on it ends FAILED in Slurm's records), then the cancel after the grace.
        await(() -> STOPPED.contains(slurmState(cancelled, 1)), 30, "the Slurm job of the cancelled job ended");
        assertThat(get("/api/v1/jobs/" + cancelled).path("state").asString()).isEqualTo("CANCELLED");
        // Fill the three other nodes with preemptible scavengers, then a training gang needs one of them.
        List<String> victims = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            victims.add(submit(Map.of("name", "v" + i, "gpus", 8, "walltime", 600, "priority", "scavenger", "script", "#!/bin/sh\nsleep 300\n")));
        }
        for (String v : victims) awaitSlurm(v, 1, "RUNNING", 30);
        String urgent = submit(Map.of("name", "urgent", "gpus", 8, "walltime", 600, "priority", "inference", "script", "#!/bin/sh\nsleep 5\n"));
        awaitSlurm(urgent, 1, "RUNNING", 60);
        long preempted = victims.stream().filter(v -> STOPPED.contains(slurmState(v, 1))).count();
        assertThat(preempted).as("one scavenger's Slurm job was cancelled to make room").isEqualTo(1);
    }

    @Test
    void aNodeKilledUnderARunningGangFailsItAndNuriRunsItAgainElsewhere() throws Exception {
        start();
        String gang = submit(Map.of("name", "g", "nodes", 2, "gpusPerNode", 8, "walltime", 600, "script", "#!/bin/sh\nsleep 120\n"));
        awaitSlurm(gang, 1, "RUNNING", 30);
        JsonNode job = awaitJob(gang, j -> j.path("state").asString().equals("RUNNING"), 10);
        String victim = job.path("placement").path("nodes").get(1).path("node").asString();
        run(SCRIPT.toString(), "kill-node", victim);
        try {
            JsonNode again = awaitJob(gang, j -> j.path("runs").asInt() == 2 && j.path("state").asString().equals("RUNNING"), 120);
            List<String> nodes = new ArrayList<>();
            for (JsonNode n : again.path("placement").path("nodes")) nodes.add(n.path("node").asString());
            assertThat(nodes).doesNotContain(victim);
            awaitSlurm(gang, 1, "NODE_FAIL", 60);
            awaitSlurm(gang, 2, "RUNNING", 30);
            JsonNode node = get("/api/v1/nodes/" + victim);
            assertThat(node.path("health").asString()).isEqualTo("DOWN");
        } finally {
            run(SCRIPT.toString(), "start-node", victim);
        }
        awaitNode(victim, "UP", 90);
    }

    @Test
    void slurmctldStoppedMidRunLosesNothingAndRunsNothingTwice() throws Exception {
        start();
        String job = submit(Map.of("name", "long", "gpus", 4, "walltime", 600, "script", "#!/bin/sh\nsleep 20\n"));
        awaitSlurm(job, 1, "RUNNING", 30);
        run(SCRIPT.toString(), "stop-ctld");
        try {
            Thread.sleep(6_000);
            JsonNode j = get("/api/v1/jobs/" + job);
            assertThat(j.path("state").asString()).as("the site is unknown, not failed").isEqualTo("RUNNING");
            assertThat(j.path("runs").asInt()).isEqualTo(1);
        } finally {
            run(SCRIPT.toString(), "start-ctld");
        }
        JsonNode done = awaitJob(job, j -> j.path("state").asString().equals("COMPLETED"), 90);
        assertThat(done.path("runs").asInt()).isEqualTo(1);
        assertThat(slurmJobs(job)).hasSize(1);
    }

    @Test
    void outOfContactPastTheTimeoutTheSiteIsDrainedItsRunsLostAndRequeuedThenContactReconciles() throws Exception {
        unknownTimeoutSeconds = 6;
        start();
        String job = submit(Map.of("name", "long", "gpus", 8, "walltime", 600, "script", "#!/bin/sh\nsleep 60\n"));
        awaitSlurm(job, 1, "RUNNING", 30);
        run(SCRIPT.toString(), "stop-ctld");
        try {
            awaitJob(job, j -> j.path("runs").asInt() == 1 && j.path("state").asString().equals("PENDING"), 60);
            await(() -> get("/api/v1/nodes?limit=10").toString().contains("site unreachable"), 30, "the site's nodes drained");
            for (JsonNode n : get("/api/v1/nodes?limit=10").path("nodes")) {
                assertThat(n.path("health").asString()).as(n.toString()).isEqualTo("DRAIN");
                assertThat(n.path("reason").asString()).startsWith("site unreachable");
            }
            JsonNode waiting = awaitJob(job, j -> j.path("pendingReason").asString().equals("SITE_UNREACHABLE"), 30);
            assertThat(waiting.path("lastOutcome").asString()).isEqualTo("NODE_FAILURE");
            assertThat(waiting.path("reasonDetail").asString()).contains("site s1", "does not answer");
        } finally {
            run(SCRIPT.toString(), "start-ctld");
        }
        // Contact back: the nodes return, the job runs again (run 2), and its run-1 Slurm job, which Nuri ended, is cancelled.
        JsonNode again = awaitJob(job, j -> j.path("runs").asInt() == 2 && j.path("state").asString().equals("RUNNING"), 90);
        assertThat(again.path("placement").path("site").asString()).isEqualTo("s1");
        await(() -> STOPPED.contains(slurmState(job, 1)), 60, "run 1's Slurm job stopped");
        awaitSlurm(job, 2, "RUNNING", 60);
        String queue = cli("queue");
        assertThat(queue).as(queue).contains("SITE").contains("s1:" + get("/api/v1/jobs/" + job).path("placement").path("siteJobId").asString());
    }

    @Test
    void aSubmissionSlurmRefusesHoldsTheJobWithSlurmsErrorAndIsNotRetriedForever() throws Exception {
        // The fleet file maps gn0004 to a node this Slurm does not have: Slurm refuses every run placed there.
        nodeMap = "{gn0001: gn0001, gn0002: gn0002, gn0003: gn0003, gn0004: gn0099}";
        start();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 4; i++) ids.add(submit(Map.of("name", "w" + i, "gpus", 8, "walltime", 600, "script", "#!/bin/sh\nsleep 30\n")));
        String refused = null;
        long end = System.nanoTime() + 30_000_000_000L;
        while (refused == null && System.nanoTime() < end) {
            for (String id : ids) if (get("/api/v1/jobs/" + id).path("pendingReason").asString().equals("HELD")) refused = id;
            Thread.sleep(250);
        }
        assertThat(refused).as("the job placed on the node Slurm does not know is held").isNotNull();
        JsonNode held = get("/api/v1/jobs/" + refused);
        assertThat(held.path("lastOutcome").asString()).isEqualTo("REQUEUED");
        assertThat(held.path("runs").asInt()).as("submitted once, not retried forever").isEqualTo(1);
        assertThat(String.join("\n", serverLog)).contains("Slurm refused job " + refused).contains("Invalid node name specified");
        for (String id : ids) if (!id.equals(refused)) awaitSlurm(id, 1, "RUNNING", 30);
        Thread.sleep(3_000);
        assertThat(get("/api/v1/jobs/" + refused).path("runs").asInt()).as("still held, not started again").isEqualTo(1);
    }

    @Test
    void serveKilledWhileJobsRunIsReconciledOnRestart() throws Exception {
        Path data = dir.resolve("data");
        Process first = start(data);
        String a = submit(Map.of("name", "a", "gpus", 8, "walltime", 600, "script", "#!/bin/sh\nsleep 15\n"));
        String b = submit(Map.of("name", "b", "gpus", 8, "walltime", 600, "script", "#!/bin/sh\nsleep 15\n"));
        awaitSlurm(a, 1, "RUNNING", 30);
        awaitSlurm(b, 1, "RUNNING", 30);
        first.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // SIGKILL
        // A job in Nuri's partition that Nuri never started: cancelled at the restart, and the act audited.
        long stray = slurmSubmit("#!/bin/sh\nsleep 300\n", "stray");
        start(data);
        for (String id : List.of(a, b)) {
            JsonNode j = awaitJob(id, x -> x.path("state").asString().equals("COMPLETED"), 90);
            assertThat(j.path("runs").asInt()).as("%s ran once", id).isEqualTo(1);
            assertThat(slurmJobs(id)).as("%s was submitted once", id).hasSize(1);
        }
        await(() -> slurmStateById(stray).equals("CANCELLED"), 30, "the stray job cancelled");
        JsonNode audit = get("/api/v1/audit?limit=100");
        assertThat(audit.toString()).contains("slurm.cancel-unknown").contains("/" + stray);
    }

    // ---------------------------------------------------------------------------------------------- the server

    private void start() throws IOException {
        start(dir.resolve("data"));
    }

    private Process start(Path data) throws IOException {
        Path fleet = dir.resolve("fleet.yaml");
        Files.writeString(fleet, """
                name: slurm-it
                sites:
                  - name: s1
                    backend: {type: slurm, url: "%s", jwtKey: "%s", partition: nuri, pollSeconds: 0.5, graceSeconds: 2, priority: 4242, unknownTimeoutSeconds: %d%s}
                    blocks:
                      - name: b
                        model: H100
                        owner: org
                        rackList:
                          - {name: r1, nodes: [{name: gn0001}, {name: gn0002}]}
                          - {name: r2, nodes: [{name: gn0003}, {name: gn0004}]}
                tenants:
                  - {name: nation}
                  - {name: org, parent: nation}
                  - {name: p1, parent: org, quotas: {H100: 32}}
                scheduler: {reservations: 1, preemption: true, preemptExemptMinutes: 0}
                """.formatted(env.get("NURI_SLURM_URL"), env.get("NURI_SLURM_JWT_KEY"), unknownTimeoutSeconds,
                nodeMap == null ? "" : ", nodeMap: " + nodeMap));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx512m", "-jar", Path.of("target", "nuri.jar").toAbsolutePath().toString(), "serve",
                "--fleet", fleet.toString(), "--port", "0", "--data", data.toString(), "--tick", "0.5", "--check", "FULL")
                .redirectErrorStream(true).start();
        servers.add(p);
        BufferedReader lines = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        for (String line; (line = lines.readLine()) != null; ) {
            serverLog.add(line);
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
                url = m.group(1);
                Thread.ofVirtual().start(() -> lines.lines().forEach(serverLog::add));
                break;
            }
        }
        if (url == null) throw new IllegalStateException("nuri serve did not start:\n" + String.join("\n", serverLog));
        if (token == null) token = Files.readString(data.resolve("operator-token")).strip();
        return p;
    }

    private String cli(String... args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-jar", Path.of("target", "nuri.jar").toAbsolutePath().toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("NURI_URL", url);
        pb.environment().put("NURI_TOKEN", token);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        return out;
    }

    private String submit(Map<String, Object> fields) throws Exception {
        Map<String, Object> body = new HashMap<>(fields);
        body.put("project", "p1");
        HttpResponse<String> r = post("/api/v1/jobs", body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return JSON.readTree(r.body()).path("id").asString();
    }

    private HttpResponse<String> post(String path, Object body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url + path)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + path)).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private JsonNode awaitJob(String id, Predicate<JsonNode> until, int seconds) throws Exception {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        JsonNode j = null;
        while (System.nanoTime() < end) {
            j = get("/api/v1/jobs/" + id);
            if (until.test(j)) return j;
            Thread.sleep(250);
        }
        throw new AssertionError("job " + id + " did not get there in " + seconds + " s: " + j + "\nserver:\n" + tail());
    }

    private void awaitNode(String node, String health, int seconds) throws Exception {
        await(() -> get("/api/v1/nodes/" + node).path("health").asString().equals(health), seconds, node + " " + health);
    }

    private String tail() {
        List<String> all = new ArrayList<>(serverLog);
        return String.join("\n", all.subList(Math.max(0, all.size() - 30), all.size()));
    }

    private interface Check {
        boolean ok() throws Exception;
    }

    private void await(Check check, int seconds, String what) throws Exception {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < end) {
            if (check.ok()) return;
            Thread.sleep(250);
        }
        throw new AssertionError(what + ": not within " + seconds + " s\nserver:\n" + tail());
    }

    // ---------------------------------------------------------------------------------------------- Slurm itself

    private String slurmToken() throws Exception {
        String out = run("scontrol", "token", "username=root", "lifespan=600");
        return out.strip().replace("SLURM_JWT=", "");
    }

    private JsonNode slurm(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(env.get("NURI_SLURM_URL") + "/slurm/v0.0.38" + path))
                .header("X-SLURM-USER-NAME", "root").header("X-SLURM-USER-TOKEN", slurmToken());
        if (body != null) b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        return JSON.readTree(http.send(b.build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    /** Slurm's records of a Nuri job's runs (by the tag Nuri gave them). */
    private List<JsonNode> slurmJobs(String id) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode j : slurm("GET", "/jobs", null).path("jobs")) {
            if (j.path("job_id").asLong() > slurmIdsBefore && j.path("comment").asString().startsWith("nuri job=" + id + " ")) out.add(j);
        }
        return out;
    }

    private JsonNode slurmJob(String id, int run) throws Exception {
        for (JsonNode j : slurmJobs(id)) if (j.path("comment").asString().contains(" run=" + run + " ")) return j;
        throw new AssertionError("Slurm has no job for " + id + " run " + run);
    }

    private String slurmState(String id, int run) {
        try {
            for (JsonNode j : slurmJobs(id)) if (j.path("comment").asString().contains(" run=" + run + " ")) return j.path("job_state").asString();
            return "(none)";
        } catch (Exception e) {
            return "(" + e + ")";
        }
    }

    private String slurmStateById(long slurmId) throws Exception {
        for (JsonNode j : slurm("GET", "/jobs", null).path("jobs")) if (j.path("job_id").asLong() == slurmId) return j.path("job_state").asString();
        return "(none)";
    }

    private void awaitSlurm(String id, int run, String state, int seconds) throws Exception {
        await(() -> slurmState(id, run).equals(state), seconds, "Slurm job of " + id + " run " + run + " " + state + " (is " + slurmState(id, run) + ")");
    }

    private long slurmSubmit(String script, String name) throws Exception {
        String body = JSON.writeValueAsString(Map.of("script", script, "job", Map.of("name", name, "partition", "nuri", "nodes", "1",
                "time_limit", 10, "current_working_directory", "/tmp", "environment", Map.of("PATH", "/bin:/usr/bin"))));
        JsonNode r = slurm("POST", "/job/submit", body);
        assertThat(r.path("errors").isEmpty()).as(r.toString()).isTrue();
        return r.path("job_id").asLong();
    }

    /** gn[0001-0002,0004] → gn0001, gn0002, gn0004. */
    private static List<String> expand(String hostlist) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("([a-z]+)\\[([^]]+)]").matcher(hostlist);
        if (!m.matches()) return List.of(hostlist.split(","));
        for (String part : m.group(2).split(",")) {
            String[] r = part.split("-");
            int from = Integer.parseInt(r[0]);
            int to = r.length > 1 ? Integer.parseInt(r[1]) : from;
            for (int i = from; i <= to; i++) out.add(m.group(1) + String.format("%0" + r[0].length() + "d", i));
        }
        return out;
    }

    private static String run(String... command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("NURI_SLURM_DIR", DIR);
        pb.environment().put("NURI_SLURM_PORT0", PORT0);
        pb.environment().put("SLURM_CONF", DIR + "/etc/slurm.conf");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IllegalStateException(String.join(" ", command) + " failed:\n" + out);
        return out;
    }
}

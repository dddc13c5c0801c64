package kr.nuri.server;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import kr.nuri.config.FleetConfigReader;
import kr.nuri.config.NuriConfig;
import kr.nuri.core.config.AssertionLevel;
import kr.nuri.server.loop.LoopSettings;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A real server on the small test fleet, on a free port, with an HTTP client for the tests. */
public final class TestServer implements AutoCloseable {
    public static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    public final TestStore store;
    public final Path dir;
    public final String dbUrl;
    public NuriServer server;
    public String operatorToken;
    /** Events between snapshots; tests that exercise snapshots lower it. */
    public long snapshotEvery = 1_000_000;
    /** Events between state-hash checkpoints. */
    public long checkpointEvery = 20;

    public TestServer(TestStore store, Path dir) {
        this.store = store;
        this.dir = dir;
        this.dbUrl = store.newDatabase(dir);
    }

    /** The fleet the next {@link #start()} runs on. */
    public NuriConfig config = smallFleet();

    public static NuriConfig smallFleet() {
        return fleet("small.yaml");
    }

    /** A test fleet file of {@code src/test/resources/fleets}. */
    public static NuriConfig fleet(String file) {
        try (InputStream in = TestServer.class.getResourceAsStream("/fleets/" + file)) {
            return FleetConfigReader.parse(file, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What of the fleet tenants' members see after the next {@link #start()}. */
    public kr.nuri.server.api.FleetVisibility visibility = kr.nuri.server.api.FleetVisibility.DEFAULT;

    public ServerOptions options() {
        return new ServerOptions(config, "127.0.0.1", 0, dbUrl, dbUrl == null ? null : TestStore.PG_USER,
                dbUrl == null ? null : TestStore.PG_PASSWORD, dir, new LoopSettings(3_600_000, checkpointEvery, snapshotEvery, 100_000, 5_000),
                AssertionLevel.FULL, 15_000).withVisibility(visibility);
    }

    /** The server's clock (epoch milliseconds); null = the system's. */
    public java.util.function.LongSupplier clock;

    public TestServer start() {
        server = clock == null ? NuriServer.start(options()) : NuriServer.start(options(), clock);
        if (server.firstToken() != null) operatorToken = server.firstToken();
        return this;
    }

    /**
     * Stops the server and starts it on the test fleet {@code file}; returns the state hash the journal held at the stop
     * (to compare with {@code server.recovery().stateHash()}).
     */
    public long restartOn(String file) {
        NuriServer stopped = server;
        stop();
        long hash = stopped.stateHash();
        config = fleet(file);
        start();
        return hash;
    }

    public void stop() {
        if (server != null) server.close();
        server = null;
    }

    @Override
    public void close() {
        stop();
        TestStore.drop(dbUrl);
    }

    /** An HTTP answer: status and body (JSON when it parses). */
    public record Response(int status, String text) {
        public JsonNode json() {
            return JSON.readTree(text);
        }
    }

    /**
     * Job ids are the server's: tests name their jobs ({@code "name"} in a submission) and address them by that name;
     * a path {@code /api/v1/jobs/<name>…} goes to the id the server gave the job of that name.
     */
    private final java.util.Map<String, String> idsByName = new java.util.concurrent.ConcurrentHashMap<>();

    /** The id the server gave the job the test named {@code name}. */
    public String id(String name) {
        String id = idsByName.get(name);
        if (id == null) throw new IllegalStateException("no job named '" + name + "' was submitted by this test");
        return id;
    }

    private String byId(String path) {
        String prefix = "/api/v1/jobs/";
        if (!path.startsWith(prefix)) return path;
        String rest = path.substring(prefix.length());
        int end = rest.indexOf('/') >= 0 ? rest.indexOf('/') : rest.indexOf('?') >= 0 ? rest.indexOf('?') : rest.length();
        String id = idsByName.get(rest.substring(0, end));
        return id == null ? path : prefix + id + rest.substring(end);
    }

    public Response call(String method, String path, String token, String body) {
        Response r = send(method, byId(path), token, body);
        if (method.equals("POST") && path.equals("/api/v1/jobs") && r.status() == 201 && body != null && body.contains("\"name\"")) {
            idsByName.put(JSON.readTree(body).get("name").asString(), r.json().get("id").asString());
        }
        return r;
    }

    /** A call with one more request header. */
    public Response callWith(String method, String path, String token, String body, String header, String value) {
        return send(method, byId(path), token, body, header, value);
    }

    private Response send(String method, String path, String token, String body, String... header) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + path)).timeout(Duration.ofSeconds(30));
        if (header.length == 2) b.header(header[0], header[1]);
        if (token != null) b.header("Authorization", "Bearer " + token);
        b.header("Content-Type", "application/json");
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        try {
            HttpResponse<String> r;
            try {
                r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                // A server closes the connection after refusing an oversize body (413); a request that raced onto
                // that closing connection got no bytes at all. Real clients retry that once, and so do we.
                r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            }
            return new Response(r.statusCode(), r.body());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public Response call(String method, String path, String body) {
        return call(method, path, operatorToken, body);
    }

    /** Runs one SQL update on this server's store (the server stopped, or for what it does not cache); returns the row count. */
    public int sql(String statement) {
        try (var c = dbUrl == null
                ? java.sql.DriverManager.getConnection(kr.nuri.server.journal.Database.embeddedUrl(dir), "", "")
                : java.sql.DriverManager.getConnection(dbUrl, TestStore.PG_USER, TestStore.PG_PASSWORD);
             var st = c.createStatement()) {
            return st.executeUpdate(statement);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(statement + ": " + e.getMessage(), e);
        }
    }

    /** Makes a token as the operator and returns its secret. */
    public String token(String user, String role, String tenant) {
        String body = "{\"user\":\"" + user + "\",\"role\":\"" + role + "\"" + (tenant == null ? "" : ",\"tenant\":\"" + tenant + "\"") + "}";
        Response r = call("POST", "/api/v1/tokens", body);
        if (r.status() != 201) throw new IllegalStateException("token: " + r);
        return r.json().get("secret").asString();
    }
}

package kr.nuri.cli.client;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A small client of the Nuri API for the CLI: bearer token, JSON in and out, problems as errors. */
public final class ApiClient {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final JsonMapper json = JsonMapper.builder().build();
    private final String url;
    private final String token;

    public ApiClient(String url, String token) {
        this.url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        this.token = token;
    }

    /** URL and token from options, else NURI_URL / NURI_TOKEN, else the local default server's token file. */
    public static ApiClient from(String url, String token) {
        String u = url != null ? url : System.getenv().getOrDefault("NURI_URL", "http://127.0.0.1:8080");
        String t = token != null ? token : System.getenv("NURI_TOKEN");
        if (t == null) {
            Path file = Path.of("nuri-data", "operator-token");
            try {
                if (Files.isReadable(file)) t = Files.readString(file).trim();
            } catch (IOException e) {
                // fall through to the error below
            }
        }
        if (t == null) throw new IllegalArgumentException("no token: give --token or set NURI_TOKEN (nuri serve prints the first one)");
        return new ApiClient(u, t);
    }

    public JsonMapper json() { return json; }

    public JsonNode get(String path) {
        return send("GET", path, null);
    }

    public String getText(String path) {
        return raw("GET", path, null);
    }

    public JsonNode post(String path, Object body) {
        return send("POST", path, body);
    }

    public JsonNode send(String method, String path, Object body) {
        String text = raw(method, path, body);
        return text.isEmpty() ? json.nullNode() : json.readTree(text);
    }

    private String raw(String method, String path, Object body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token).header("Accept", "application/json");
        if (body != null) {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> r;
        try {
            r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot reach " + url + " (" + e.getMessage() + "). Maybe start it with 'nuri serve', or set NURI_URL?");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (r.statusCode() >= 400) {
            String msg = r.body();
            try {
                JsonNode p = json.readTree(r.body());
                msg = p.path("detail").asString("")
                        + (p.hasNonNull("field") ? " [" + p.get("field").asString() + (p.hasNonNull("value") ? " = " + p.get("value").asString() : "") + "]" : "");
            } catch (RuntimeException e) {
                // not problem+json: show the body as it is
            }
            throw new IllegalArgumentException(r.statusCode() + ": " + msg);
        }
        return r.body();
    }
}

package kr.nuri.server.exec;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import kr.nuri.config.SiteBackend;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * slurmrestd's openapi/v0.0.38, the calls Nuri makes: submit, one list of jobs, one list of nodes, signal/cancel, ping.
 * Slurm answers a refusal with HTTP 500 and an {@code errors} list naming Slurm's error code; codes 1000–1999 (cannot
 * reach slurmctld) and failed connections make the site unreachable instead ({@link SlurmException#unreachable()}).
 */
final class SlurmClient {
    static final String API = "/slurm/v0.0.38";
    private final SiteBackend site;
    private final SlurmTokens tokens;
    private final HttpClient http;
    private final JsonMapper json;

    SlurmClient(SiteBackend site, SlurmTokens tokens, JsonMapper json) {
        this.site = site;
        this.tokens = tokens;
        this.json = json;
        // HTTP/1.1 only: slurmrestd answers the h2c upgrade Java offers by default with a header Java cannot parse.
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** A job as Slurm lists it (times in epoch seconds; 0 = not yet). */
    record SlurmJob(long id, String name, String state, String partition, String comment, String nodes, long start, long end,
                    int exitCode, String reason) {}

    /** A node as Slurm lists it: its state ({@code idle}, {@code down}, …), flags ({@code DRAIN}, …) and reason. */
    record SlurmNode(String name, String state, List<String> flags, String reason) {
        boolean down() { return state.equalsIgnoreCase("down"); }
        boolean drained() { return flags.contains("DRAIN"); }
    }

    /**
     * Submits a batch job; returns Slurm's job id. Slurm may create the job and still report an error with it (HTTP 200, a
     * {@code job_id}, and e.g. "Required node not available": the job waits there with that reason): it exists, so its id
     * is returned, and the error is only a warning.
     */
    long submit(String user, ObjectNode body) {
        String path = API + "/job/submit";
        HttpResponse<String> r = send("POST", path, user, json.writeValueAsString(body), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
            try {
                JsonNode id = json.readTree(r.body()).get("job_id");
                if (id != null && id.isNumber() && id.asLong() > 0) return id.asLong();
            } catch (JacksonException e) {
                // not JSON: reported below
            }
        }
        call("POST", path, r.statusCode(), r.body());
        throw new SlurmException("slurmrestd accepted a submission but gave no job_id: " + r.body(), false);
    }

    /**
     * Every job slurmctld still holds (running, waiting, and ended within its MinJobAge). Read as a stream, keeping only the
     * fields Nuri uses: the list carries every job of the cluster, megabytes at a few thousand jobs, on every poll.
     */
    List<SlurmJob> jobs() {
        HttpResponse<java.io.InputStream> r = send("GET", API + "/jobs", site.user(), null, HttpResponse.BodyHandlers.ofInputStream());
        if (r.statusCode() != 200) {
            try (java.io.InputStream in = r.body()) {
                failed("GET", API + "/jobs", r.statusCode(), new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new SlurmException("slurmrestd at " + site.url() + " answered GET /jobs with HTTP " + r.statusCode(), true);
            }
        }
        List<SlurmJob> out = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        try (java.io.InputStream in = r.body(); tools.jackson.core.JsonParser p = json.createParser(in)) {
            if (p.nextToken() != tools.jackson.core.JsonToken.START_OBJECT) throw new SlurmException("slurmrestd's job list is not a JSON object", true);
            while (p.nextToken() == tools.jackson.core.JsonToken.PROPERTY_NAME) {
                String field = p.currentName();
                tools.jackson.core.JsonToken t = p.nextToken();
                if (field.equals("jobs") && t == tools.jackson.core.JsonToken.START_ARRAY) {
                    while (p.nextToken() == tools.jackson.core.JsonToken.START_OBJECT) out.add(job(p));
                } else if (field.equals("errors") && t == tools.jackson.core.JsonToken.START_ARRAY) {
                    while (p.nextToken() == tools.jackson.core.JsonToken.START_OBJECT) {
                        StringBuilder e = new StringBuilder();
                        while (p.nextToken() == tools.jackson.core.JsonToken.PROPERTY_NAME) {
                            String k = p.currentName();
                            p.nextToken();
                            if (p.currentToken().isScalarValue()) e.append(e.isEmpty() ? "" : ", ").append(k).append('=').append(p.getString());
                            else p.skipChildren();
                        }
                        errors.add(e.toString());
                    }
                } else {
                    p.skipChildren();
                }
            }
        } catch (IOException | JacksonException e) {
            throw new SlurmException("cannot read slurmrestd's job list: " + e.getMessage(), true);
        }
        if (!errors.isEmpty()) throw new SlurmException("Slurm GET " + API + "/jobs: " + String.join("; ", errors), true);
        return out;
    }

    /** One job of the list, the parser at its start; the fields Nuri reads, the rest skipped. */
    private static SlurmJob job(tools.jackson.core.JsonParser p) {
        long id = 0, start = 0, end = 0;
        int exit = 0;
        String name = "", state = "", partition = "", comment = "", nodes = "", reason = "";
        while (p.nextToken() == tools.jackson.core.JsonToken.PROPERTY_NAME) {
            String f = p.currentName();
            tools.jackson.core.JsonToken t = p.nextToken();
            if (t == tools.jackson.core.JsonToken.START_OBJECT || t == tools.jackson.core.JsonToken.START_ARRAY) {
                p.skipChildren();
                continue;
            }
            boolean text = t == tools.jackson.core.JsonToken.VALUE_STRING;
            boolean number = t == tools.jackson.core.JsonToken.VALUE_NUMBER_INT;
            switch (f) {
                case "job_id" -> id = number ? p.getLongValue() : 0;
                case "start_time" -> start = number ? p.getLongValue() : 0;
                case "end_time" -> end = number ? p.getLongValue() : 0;
                case "exit_code" -> exit = number ? p.getIntValue() : 0;
                case "name" -> name = text ? p.getString() : "";
                case "job_state" -> state = text ? p.getString() : "";
                case "partition" -> partition = text ? p.getString() : "";
                case "comment" -> comment = text ? p.getString() : "";
                case "nodes" -> nodes = text ? p.getString() : "";
                case "state_reason" -> reason = text ? p.getString() : "";
                default -> { }
            }
        }
        return new SlurmJob(id, name, state, partition, comment, nodes, start, end, exit, reason);
    }

    List<SlurmNode> nodes() {
        JsonNode r = call("GET", API + "/nodes", site.user(), null);
        List<SlurmNode> out = new ArrayList<>();
        for (JsonNode n : r.path("nodes")) {
            List<String> flags = new ArrayList<>();
            for (JsonNode f : n.path("state_flags")) flags.add(f.asString(""));
            out.add(new SlurmNode(n.path("name").asString(""), n.path("state").asString(""), flags, n.path("reason").asString("")));
        }
        return out;
    }

    /**
     * Sends {@code signal} (SIGTERM) to a job's steps (v0.0.38 has no flag for the batch shell itself: a script's {@code srun}
     * steps get it); null cancels the job (scancel: SIGKILL, and the job ends CANCELLED). A job Slurm no longer knows, or one
     * still launching (which the cancel after the grace ends), is not an error.
     */
    void signal(String user, long jobId, String signal) {
        try {
            call("DELETE", API + "/job/" + jobId + (signal == null ? "" : "?signal=" + signal), user, null);
        } catch (SlurmException e) {
            // 2017: invalid job id (it has ended and gone); 2020: cannot be altered now (launching)
            if (e.unreachable() || !e.getMessage().contains("[2017]") && !(signal != null && e.getMessage().contains("[2020]"))) throw e;
        }
    }

    void ping() {
        call("GET", API + "/ping", site.user(), null);
    }

    private <T> HttpResponse<T> send(String method, String path, String user, String body, HttpResponse.BodyHandler<T> handler) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(site.url() + path)).timeout(Duration.ofSeconds(30))
                .header("X-SLURM-USER-NAME", user).header("X-SLURM-USER-TOKEN", tokens.token(user))
                .header("Accept", "application/json");
        if (body != null) b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        else b.method(method, HttpRequest.BodyPublishers.noBody());
        try {
            return http.send(b.build(), handler);
        } catch (IOException e) {
            throw new SlurmException("cannot reach slurmrestd at " + site.url() + ": " + (e.getMessage() == null ? e.toString() : e.getMessage()), true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SlurmException("interrupted while calling slurmrestd", true);
        }
    }

    /** A call that did not succeed: what Slurm said, as a refusal or (no contact with slurmctld) the site unreachable. */
    private void failed(String method, String path, int status, String body) {
        call(method, path, status, body);
        throw new SlurmException("Slurm " + method + " " + path + ": HTTP " + status, status >= 500);
    }

    private JsonNode call(String method, String path, String user, String body) {
        HttpResponse<String> r = send(method, path, user, body, HttpResponse.BodyHandlers.ofString());
        return call(method, path, r.statusCode(), r.body());
    }

    private JsonNode call(String method, String path, int status, String answer) {
        JsonNode tree;
        try {
            tree = json.readTree(answer);
        } catch (JacksonException e) {
            throw new SlurmException("slurmrestd at " + site.url() + " answered " + method + " " + path + " with HTTP " + status
                    + " and no JSON" + (status == 401 || status == 403 ? " (is the token or the user right?)" : ""), true);
        }
        List<String> errors = new ArrayList<>();
        boolean contact = false;
        for (JsonNode e : tree.path("errors")) {
            int code = e.path("error_code").asInt(e.path("error_number").asInt(0));
            if (code >= 1000 && code < 2000) contact = true;
            String text = e.path("description").asString(e.path("error").asString(""));
            if (!e.path("error").asString("").isEmpty() && !text.equals(e.path("error").asString(""))) text += " (" + e.path("error").asString("") + ")";
            errors.add(text + (code != 0 ? " [" + code + "]" : ""));
        }
        if (status >= 200 && status < 300 && errors.isEmpty()) return tree;
        String m = "Slurm " + method + " " + path + ": HTTP " + status + (errors.isEmpty() ? "" : ": " + String.join("; ", errors));
        throw new SlurmException(m, contact || errors.isEmpty() && status >= 500 || status == 401 || status == 403);
    }
}

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

    /** Submits a batch job; returns Slurm's job id. */
    long submit(String user, ObjectNode body) {
        JsonNode r = call("POST", API + "/job/submit", user, json.writeValueAsString(body));
        JsonNode id = r.get("job_id");
        if (id == null || !id.isNumber()) throw new SlurmException("slurmrestd accepted a submission but gave no job_id: " + r, false);
        return id.asLong();
    }

    /** Every job slurmctld still holds (running, waiting, and ended within its MinJobAge). */
    List<SlurmJob> jobs() {
        JsonNode r = call("GET", API + "/jobs", site.user(), null);
        List<SlurmJob> out = new ArrayList<>();
        for (JsonNode j : r.path("jobs")) {
            out.add(new SlurmJob(j.path("job_id").asLong(), j.path("name").asString(""), j.path("job_state").asString(""),
                    j.path("partition").asString(""), j.path("comment").asString(""), j.path("nodes").asString(""),
                    j.path("start_time").asLong(0), j.path("end_time").asLong(0), j.path("exit_code").asInt(0),
                    j.path("state_reason").asString("")));
        }
        return out;
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

    private JsonNode call(String method, String path, String user, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(site.url() + path)).timeout(Duration.ofSeconds(30))
                .header("X-SLURM-USER-NAME", user).header("X-SLURM-USER-TOKEN", tokens.token(user))
                .header("Accept", "application/json");
        if (body != null) b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        else b.method(method, HttpRequest.BodyPublishers.noBody());
        HttpResponse<String> r;
        try {
            r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new SlurmException("cannot reach slurmrestd at " + site.url() + ": " + (e.getMessage() == null ? e.toString() : e.getMessage()), true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SlurmException("interrupted while calling slurmrestd", true);
        }
        JsonNode tree;
        try {
            tree = json.readTree(r.body());
        } catch (JacksonException e) {
            throw new SlurmException("slurmrestd at " + site.url() + " answered " + method + " " + path + " with HTTP " + r.statusCode()
                    + " and no JSON" + (r.statusCode() == 401 || r.statusCode() == 403 ? " (is the token or the user right?)" : ""), true);
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
        if (r.statusCode() >= 200 && r.statusCode() < 300 && errors.isEmpty()) return tree;
        String m = "Slurm " + method + " " + path + ": HTTP " + r.statusCode() + (errors.isEmpty() ? "" : ": " + String.join("; ", errors));
        throw new SlurmException(m, contact || errors.isEmpty() && r.statusCode() >= 500 || r.statusCode() == 401 || r.statusCode() == 403);
    }
}

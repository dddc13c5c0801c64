package kr.nuri.server.api;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import kr.nuri.core.job.Launch;

/**
 * The part of a submission a site's cluster manager runs: {@code script} (a batch script, as sbatch takes it: its first
 * line {@code #!} and an interpreter), {@code workdir}, {@code environment}, {@code output} and {@code error} (paths, Slurm's
 * patterns allowed). Checked as hostile: sizes bounded, no NUL anywhere, no control characters in paths or names.
 */
final class LaunchRequest {
    /** Under the 1 MB request body limit, with room for the rest of the submission. */
    static final int MAX_SCRIPT = 512 * 1024;
    static final int MAX_PATH = 4_096;
    static final int MAX_ENV = 1_000;
    static final int MAX_ENV_VALUE = 1 << 16;
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,255}");

    private LaunchRequest() {}

    /** The launch a submission asks for; null when it gives no script (nothing for a cluster manager to run). */
    static Launch of(String script, String workdir, Map<String, String> environment, String output, String error) {
        if (script == null) {
            String stray = workdir != null ? "workdir" : environment != null ? "environment" : output != null ? "output" : error != null ? "error" : null;
            if (stray != null) throw Problem.badRequest(stray, null, stray + " is for a job that runs a script; give script too");
            return null;
        }
        if (script.length() > MAX_SCRIPT) throw Problem.badRequest("script", script.length() + " characters", "a script may have at most " + MAX_SCRIPT + " characters");
        if (!script.startsWith("#!")) {
            throw Problem.badRequest("script", Identifiers.escaped(firstLine(script)), "the first line of a batch script must start with #! and an "
                    + "interpreter, e.g. #!/bin/bash (as sbatch asks)");
        }
        if (script.indexOf('\0') >= 0) throw Problem.badRequest("script", "(contains NUL)", "a script may not contain NUL characters");
        path("workdir", workdir, true);
        path("output", output, false);
        path("error", error, false);
        Map<String, String> env = new LinkedHashMap<>();
        if (environment != null) {
            if (environment.size() > MAX_ENV) throw Problem.badRequest("environment", environment.size() + " variables", "at most " + MAX_ENV + " variables");
            for (Map.Entry<String, String> e : environment.entrySet()) {
                if (!ENV_NAME.matcher(e.getKey()).matches()) {
                    throw Problem.badRequest("environment", Identifiers.escaped(e.getKey()), "a variable name is letters, digits and _, not starting with a digit");
                }
                String v = e.getValue() == null ? "" : e.getValue();
                if (v.length() > MAX_ENV_VALUE || v.indexOf('\0') >= 0) {
                    throw Problem.badRequest("environment." + e.getKey(), v.length() + " characters", "a value has at most " + MAX_ENV_VALUE
                            + " characters and no NUL");
                }
                env.put(e.getKey(), v);
            }
        }
        return new Launch(script, workdir, env, output, error);
    }

    private static void path(String field, String value, boolean absolute) {
        if (value == null) return;
        if (value.isEmpty() || value.length() > MAX_PATH) throw Problem.badRequest(field, value.length() + " characters", field + " is a path of 1 to " + MAX_PATH + " characters");
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) throw Problem.badRequest(field, Identifiers.escaped(value), field + " may not contain control characters");
        }
        if (absolute && !value.startsWith("/")) throw Problem.badRequest(field, value, field + " must be an absolute path (as the site's nodes see it)");
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        return line.length() > 80 ? line.substring(0, 80) + "…" : line;
    }
}

package kr.nuri.sim.trace;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import kr.nuri.core.job.JobSpec;
import kr.nuri.sim.Arrival;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Nuri's own trace format for users' workloads, as CSV (a header row) or JSON lines ({@code .jsonl}/{@code .ndjson},
 * one object per line), with the same field names (documented in docs/traces.md):
 * {@code submit} (seconds from the trace's start), {@code project}, {@code gpus} (total), {@code runtime}
 * (seconds the job really runs) are required; {@code id}, {@code gpus_per_member} (default: all on one node),
 * {@code walltime} (default: the class default), {@code gpu_model} ({@code |}-separated models allowed),
 * {@code priority_class}, {@code preemptible} (true/false), {@code user}, and for GPU sharing {@code gpu_milli} (a share of
 * one GPU), {@code cpu_milli} and {@code memory_mib} (per job, on its one node) are optional.
 */
public final class NuriTrace {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    static final List<String> REQUIRED = List.of("submit", "project", "gpus", "runtime");

    private NuriTrace() { }

    public static List<Arrival> read(Path file) {
        String name = file.getFileName().toString().toLowerCase();
        if (name.endsWith(".jsonl") || name.endsWith(".ndjson")) return jsonLines(file);
        List<Arrival> out = new ArrayList<>();
        CsvRows.read(file, REQUIRED, r -> out.add(job(file, r.line(), r::string, r.line())));
        return out;
    }

    private static List<Arrival> jsonLines(Path file) {
        List<Arrival> out = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String text;
            long line = 0;
            while ((text = in.readLine()) != null) {
                line++;
                if (text.isBlank()) continue;
                JsonNode node;
                try {
                    node = JSON.readTree(text);
                } catch (JacksonException e) {
                    throw new TraceException(file, line, null, null, "not JSON: " + e.getOriginalMessage());
                }
                if (!node.isObject()) throw new TraceException(file, line, null, null, "expected one JSON object per line");
                for (String f : REQUIRED) {
                    if (!node.has(f)) throw new TraceException(file, line, f, null, "the field is missing (required: " + REQUIRED + ")");
                }
                Map<String, String> fields = new HashMap<>();
                for (var e : node.properties()) fields.put(e.getKey(), e.getValue().isValueNode() ? e.getValue().asString() : e.getValue().toString());
                out.add(job(file, line, f -> fields.getOrDefault(f, "").strip(), line));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read the trace", e);
        }
        return out;
    }

    private static Arrival job(Path file, long line, java.util.function.Function<String, String> field, long row) {
        Cell c = new Cell(file, line, field);
        long submit = c.number("submit", 0, Long.MAX_VALUE / 4);
        String project = c.text("project", true);
        int gpus = (int) c.number("gpus", 0, 1_000_000);
        int milli = field.apply("gpu_milli").isEmpty() ? 0 : (int) c.number("gpu_milli", 1, 1_000);
        int cpu = field.apply("cpu_milli").isEmpty() ? 0 : (int) c.number("cpu_milli", 0, 1L << 30);
        long memory = field.apply("memory_mib").isEmpty() ? 0 : c.number("memory_mib", 0, 1L << 40);
        if (gpus == 0 && cpu == 0 && memory == 0) {
            throw new TraceException(file, line, "gpus", "0", "a job without GPUs must ask for cpu_milli or memory_mib (a CPU-only job)");
        }
        if (milli > 0 && milli < 1_000 && gpus != 1) {
            throw new TraceException(file, line, "gpu_milli", field.apply("gpu_milli"), "a share is of one GPU: gpus must be 1");
        }
        boolean nodeFit = (milli > 0 && milli < 1_000) || cpu > 0 || memory > 0 || gpus == 0;
        int per = gpus == 0 ? 0 : field.apply("gpus_per_member").isEmpty() ? gpus : (int) c.number("gpus_per_member", 1, gpus);
        if (per > 0 && gpus % per != 0) throw new TraceException(file, line, "gpus_per_member", field.apply("gpus_per_member"),
                "must divide gpus (" + gpus + ")");
        int members = per == 0 ? 1 : gpus / per;
        if (nodeFit && members != 1) {
            throw new TraceException(file, line, "gpus_per_member", field.apply("gpus_per_member"),
                    "a job with gpu_milli, cpu_milli or memory_mib runs on one node: gpus_per_member must be gpus");
        }
        long runtime = c.number("runtime", 1, Long.MAX_VALUE / 4);
        String id = field.apply("id").isEmpty() ? "t" + row : field.apply("id");
        JobSpec.Builder b = JobSpec.builder(id, project).gang(members, per).runtime(runtime).cpuMilli(cpu).memoryMib(memory);
        if (milli > 0 && milli < 1_000) b.share(milli);
        if (!field.apply("walltime").isEmpty()) b.walltime(c.number("walltime", 1, Long.MAX_VALUE / 4));
        if (!field.apply("gpu_model").isEmpty()) b.models(field.apply("gpu_model").split("\\|"));
        if (!field.apply("priority_class").isEmpty()) b.priorityClass(field.apply("priority_class"));
        if (!field.apply("user").isEmpty()) b.user(field.apply("user"));
        String pre = field.apply("preemptible");
        if (!pre.isEmpty()) {
            if (!pre.equalsIgnoreCase("true") && !pre.equalsIgnoreCase("false")) {
                throw new TraceException(file, line, "preemptible", pre, "expected true or false");
            }
            b.preemptible(Boolean.parseBoolean(pre.toLowerCase()));
        }
        return new Arrival(submit, b.build());
    }

    private record Cell(Path file, long line, java.util.function.Function<String, String> field) {
        long number(String name, long min, long max) {
            String v = field.apply(name);
            long x;
            try {
                x = Long.parseLong(v);
            } catch (NumberFormatException e) {
                throw new TraceException(file, line, name, v, v.isEmpty() ? "expected a whole number, the value is empty" : "expected a whole number");
            }
            if (x < min || x > max) throw new TraceException(file, line, name, v, "expected a number from " + min + " to " + max);
            return x;
        }

        String text(String name, boolean required) {
            String v = field.apply(name);
            if (required && v.isEmpty()) throw new TraceException(file, line, name, v, "required");
            return v;
        }
    }
}

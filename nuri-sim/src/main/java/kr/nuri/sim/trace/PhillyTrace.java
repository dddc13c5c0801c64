package kr.nuri.sim.trace;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Microsoft Philly job table as the Sia/Pollux artifacts carry it ({@code timestamp,duration,num_gpus,
 * gpu_time,cluster}: submit time "YYYY-MM-DD HH:MM:SS", seconds, GPUs, GPU-seconds, virtual cluster) and the
 * per-VC node counts of the Helios artifact ({@code vc,node num}, 8 GPUs per node).
 */
public final class PhillyTrace {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private PhillyTrace() { }

    /** One job: submit in seconds since the epoch (the trace's clock taken as UTC), duration ≥ 1 s. */
    public record Job(int row, long submit, long duration, int gpus, String vc) { }

    public static List<Job> jobs(Path file) {
        int[] row = {0};
        return CsvRows.list(file, List.of("timestamp", "duration", "num_gpus", "cluster"), r -> {
            String ts = r.string("timestamp");
            long submit;
            try {
                submit = LocalDateTime.parse(ts, TIME).toEpochSecond(ZoneOffset.UTC);
            } catch (DateTimeParseException e) {
                throw r.fail("timestamp", ts, "expected YYYY-MM-DD HH:MM:SS");
            }
            double duration = r.doubleValue("duration", 0, 1e9);
            int gpus = r.intValue("num_gpus", 1, 1_000_000);
            String vc = r.string("cluster");
            if (vc.isEmpty()) throw r.fail("cluster", vc, "a job needs its virtual cluster");
            return new Job(row[0]++, submit, Math.max(1, (long) Math.ceil(duration)), gpus, vc);
        });
    }

    /** VC → nodes, in file order. */
    public static Map<String, Integer> vcNodes(Path file) {
        Map<String, Integer> out = new LinkedHashMap<>();
        CsvRows.read(file, List.of("vc", "node num"), r -> {
            String vc = r.string("vc");
            if (vc.isEmpty()) throw r.fail("vc", vc, "a VC needs a name");
            if (out.put(vc, r.intValue("node num", 1, 1_000_000)) != null) throw r.fail("vc", vc, "this VC is listed twice");
        });
        return out;
    }

    /** Seconds since the epoch of a date ("2017-10-01") at midnight UTC. */
    public static long day(String date) {
        return java.time.LocalDate.parse(date).atStartOfDay().toEpochSecond(ZoneOffset.UTC);
    }
}

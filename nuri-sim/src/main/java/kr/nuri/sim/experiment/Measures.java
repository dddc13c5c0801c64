package kr.nuri.sim.experiment;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kr.nuri.sim.metrics.FinishTimeFairness;
import kr.nuri.sim.metrics.JobOutcome;
import kr.nuri.sim.metrics.Summary;
import kr.nuri.sim.report.Report;

/** The measures every engine-run report shares: a summary's metrics as a map, as a table row, and the wait CDF. */
final class Measures {
    private Measures() { }

    static Map<String, Object> metrics(Summary s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("jobs", s.jobs());
        m.put("completed", s.completed());
        m.put("avg_jct_s", s.meanJct());
        m.put("avg_queueing_delay_s", s.meanQueueingDelay());
        m.put("p50_jct_s", s.p50Jct());
        m.put("p99_jct_s", s.p99Jct());
        m.put("p99_queueing_delay_s", s.p99QueueingDelay());
        m.put("makespan_s", s.makespan());
        m.put("utilisation", s.utilisation());
        m.put("preemptions", s.preemptions());
        return m;
    }

    /** {@link #metrics(Summary)} followed by finish-time fairness. */
    static Map<String, Object> metrics(Summary s, FinishTimeFairness f) {
        Map<String, Object> m = metrics(s);
        m.put("finish_time_fairness", ftf(f));
        return m;
    }

    /** Finish-time fairness as a map (worst, mean, p99 ratio; share of jobs above 1). */
    static Map<String, Object> ftf(FinishTimeFairness f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("jobs", f.jobs());
        m.put("worst", f.worst());
        m.put("mean", f.mean());
        m.put("p99", f.p99());
        m.put("share_above_1", f.shareAbove1());
        return m;
    }

    /** The columns of {@link #row}. */
    static final List<String> ROW = List.of("vc", "gpus", "jobs", "avg_jct_h", "avg_queueing_h", "p99_jct_h", "makespan_h",
            "utilisation_pct", "preemptions", "ftf_worst", "ftf_above_1_pct");

    static List<Object> row(String policy, String cluster, int gpus, Summary s, FinishTimeFairness f) {
        return List.of(policy, cluster, gpus, s.jobs(), s.meanJct() / 3600, s.meanQueueingDelay() / 3600, s.p99Jct() / 3600.0,
                s.makespan() / 3600.0, 100 * s.utilisation(), s.preemptions(), f.worst(), 100 * f.shareAbove1());
    }

    /** A header: the first column's name, then {@link #ROW}. */
    static List<String> header(String first) {
        List<String> h = new java.util.ArrayList<>(ROW.size() + 1);
        h.add(first);
        h.addAll(ROW);
        return h;
    }

    /** The empirical CDF of queueing delay in hours (zero delays drawn at the axis' left end). */
    static Report.Series waitCdf(String name, List<JobOutcome> outcomes) {
        long[] d = outcomes.stream().filter(o -> o.firstStart() >= 0).mapToLong(JobOutcome::queueingDelay).sorted().toArray();
        int points = Math.min(d.length, 400);
        double[] x = new double[points];
        double[] y = new double[points];
        for (int i = 0; i < points; i++) {
            int k = (int) Math.min(d.length - 1, Math.round((i + 1.0) * d.length / points) - 1);
            x[i] = Math.max(d[k], 36) / 3600.0; // 36 s = 0.01 h: the log axis' floor
            y[i] = (k + 1.0) / d.length;
        }
        return new Report.Series(name, x, y);
    }

    /** GPU-seconds the jobs held, every run counted (a preempted run too). */
    static double gpuSeconds(List<JobOutcome> outcomes) {
        double s = 0;
        for (JobOutcome o : outcomes) s += o.gpuSeconds();
        return s;
    }
}

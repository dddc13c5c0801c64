package kr.nuri.sim.experiment;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kr.nuri.core.config.EngineConfig;
import kr.nuri.core.tenancy.QuotaSpec;
import kr.nuri.core.tenancy.TenantSpec;
import kr.nuri.sim.Simulation;
import kr.nuri.sim.FailureModel;
import kr.nuri.sim.metrics.Fairness;
import kr.nuri.sim.metrics.FinishTimeFairness;
import kr.nuri.sim.metrics.FleetFragmentation;
import kr.nuri.sim.metrics.JobOutcome;
import kr.nuri.sim.metrics.SteadyWindow;
import kr.nuri.sim.metrics.Summary;
import kr.nuri.sim.report.Report;

/**
 * The report of one engine run on a fleet with a quota tree: the summary, per tenant class (the organisation
 * a project belongs to: its parent in the quota tree), Jain's index over the classes' use of their
 * entitlement, finish-time fairness per class, utilisation and fragmentation over time, node failures,
 * queueing-delay CDF per class, every job.
 */
public final class EngineReport {
    private EngineReport() { }

    /**
     * @param fragmentation the run's fragmentation samples (hourly), or null
     * @param failures      the failure model the run had, or null
     */
    public static Report of(String title, EngineConfig config, Simulation sim, Summary s, List<String> notes,
                            FleetFragmentation fragmentation, FailureModel failures) {
        Report r = new Report(title);
        notes.forEach(r::note);
        long gpus = config.fleet().totalGpus();
        r.note(String.format("completed %,d of %,d jobs (%,d never started); makespan %.1f h; GPU utilisation %.1f%%; preemptions %,d",
                s.completed(), s.jobs(), s.neverStarted(), s.makespan() / 3600.0, 100 * s.utilisation(), s.preemptions()));
        r.note("JCT             " + spread(s.meanJct(), s.p50Jct(), s.p95Jct(), s.p99Jct()));
        r.note("queueing delay  " + spread(s.meanQueueingDelay(), s.p50QueueingDelay(), s.p95QueueingDelay(), s.p99QueueingDelay()));
        if (failures != null) {
            r.note(String.format("node failures: %,d (MTBF %.0f h per node, mean repair %.1f h, seed %d); %,d runs interrupted, "
                    + "%,.0f GPU-hours of work lost, %,.0f node-hours down", sim.failures(), failures.mtbfHours(), failures.repairHours(),
                    failures.seed(), sim.interruptedRuns(), sim.lostGpuSeconds() / 3600, sim.nodeDownSeconds() / 3600.0));
        }
        List<String> rejected = sim.rejected();
        if (!rejected.isEmpty()) {
            r.note(String.format("%,d submissions refused by the engine, e.g. %s", rejected.size(), rejected.get(0)));
        }
        Map<String, String> parent = new HashMap<>();
        Map<String, Long> nominal = new LinkedHashMap<>();
        for (TenantSpec t : config.tenants()) if (t.parent() != null) parent.put(t.name(), t.parent());
        for (TenantSpec t : config.tenants()) {
            long q = 0;
            for (QuotaSpec x : t.quotas()) q += Math.max(0, x.nominal());
            if (q > 0) nominal.merge(parent.getOrDefault(t.name(), t.name()), q, Long::sum);
        }
        Map<String, List<JobOutcome>> byClass = new LinkedHashMap<>();
        nominal.keySet().forEach(c -> byClass.put(c, new ArrayList<>()));
        for (JobOutcome o : sim.outcomes()) byClass.computeIfAbsent(parent.getOrDefault(o.project(), o.project()), k -> new ArrayList<>()).add(o);

        Map<String, Object> summary = r.summary();
        summary.put("fleet", config.fleet().name());
        summary.put("gpus", gpus);
        Map<String, Object> overall = Measures.metrics(s);
        overall.put("never_started", s.neverStarted());
        summary.put("overall", overall);
        summary.put("refused_submissions", rejected.size());
        if (failures != null) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("mtbf_hours_per_node", failures.mtbfHours());
            f.put("mean_repair_hours", failures.repairHours());
            f.put("seed", failures.seed());
            f.put("node_failures", sim.failures());
            f.put("runs_interrupted", sim.interruptedRuns());
            f.put("gpu_hours_lost", sim.lostGpuSeconds() / 3600);
            f.put("node_hours_down", sim.nodeDownSeconds() / 3600.0);
            summary.put("failures", f);
        }
        Map<String, Object> perClass = new LinkedHashMap<>();
        List<List<Object>> rows = new ArrayList<>();
        List<Report.Series> cdf = new ArrayList<>();
        List<Double> shares = new ArrayList<>();
        List<double[]> ratios = new ArrayList<>();
        for (var e : byClass.entrySet()) {
            List<JobOutcome> mine = e.getValue();
            double gpuSeconds = Measures.gpuSeconds(mine);
            long entitled = nominal.getOrDefault(e.getKey(), 0L);
            double share = entitled == 0 || s.makespan() == 0 ? Double.NaN : gpuSeconds / ((double) entitled * s.makespan());
            if (!Double.isNaN(share)) shares.add(share);
            Summary cs = Summary.of(mine, gpuSeconds, Math.max(1, entitled), 0);
            Map<String, Object> m = Measures.metrics(cs);
            m.put("nominal_gpus", entitled);
            m.put("gpu_hours", gpuSeconds / 3600);
            m.put("use_of_entitlement", share);
            m.put("never_started", cs.neverStarted());
            FinishTimeFairness ftf = FinishTimeFairness.of(new double[0]);
            if (entitled > 0) {
                double[] mineRatios = FinishTimeFairness.ratios(mine, entitled);
                ratios.add(mineRatios);
                ftf = FinishTimeFairness.of(mineRatios);
            }
            m.put("finish_time_fairness", Measures.ftf(ftf));
            perClass.put(e.getKey(), m);
            rows.add(List.of(e.getKey(), entitled, cs.jobs(), cs.neverStarted(), gpuSeconds / 3600, 100 * share, cs.meanQueueingDelay() / 3600,
                    cs.p95QueueingDelay() / 3600.0, cs.meanJct() / 3600, ftf.worst(), 100 * ftf.shareAbove1()));
            if (!mine.isEmpty()) cdf.add(Measures.waitCdf(e.getKey(), mine));
        }
        double jain = Fairness.jain(shares.stream().mapToDouble(Double::doubleValue).toArray());
        summary.put("jain_index_use_of_entitlement", jain);
        FinishTimeFairness ftf = FinishTimeFairness.of(FinishTimeFairness.concat(ratios));
        overall.put("finish_time_fairness", Measures.ftf(ftf));
        r.note(String.format("finish-time fairness ρ (JCT ÷ time on the class's own entitlement): worst %.2f, p99 %.2f, %.1f%% of jobs above 1",
                ftf.worst(), ftf.p99(), 100 * ftf.shareAbove1()));
        summary.put("by_tenant_class", perClass);
        r.note(String.format("Jain's index over tenant classes' use of their entitlement: %.3f (1 = all alike)", jain));
        steady(r, SteadyWindow.of(sim.outcomes(), sim.allocatedByHour(), gpus, p -> parent.getOrDefault(p, p), nominal), s, jain);
        r.table(new Report.Table("tenants.csv", "Per tenant class", List.of("class", "nominal_gpus", "jobs", "never_started", "gpu_hours",
                "use_of_entitlement_pct", "avg_queueing_h", "p95_queueing_h", "avg_jct_h", "ftf_worst", "ftf_above_1_pct"), rows, true));
        owners(r, sim.ownership());
        estimates(r, byClass, sim.estimateMoves(), sim.estimateMovesByCause());
        double[] byHour = sim.allocatedByHour();
        List<List<Object>> over = new ArrayList<>(byHour.length);
        double[] hours = new double[byHour.length];
        double[] pct = new double[byHour.length];
        Map<Long, FleetFragmentation.Sample> atHour = new HashMap<>();
        if (fragmentation != null) for (FleetFragmentation.Sample x : fragmentation.samples()) atHour.put(Math.floorDiv(x.time(), 3600), x);
        // Every fragmentation sample gets its row, also one taken at the run's last moment, after the last full hour.
        long rowsShown = Math.max(byHour.length, atHour.keySet().stream().mapToLong(h -> h + 1).max().orElse(0));
        for (int h = 0; h < rowsShown; h++) {
            if (h < byHour.length) {
                hours[h] = h;
                pct[h] = 100 * byHour[h] / gpus;
            }
            FleetFragmentation.Sample x = atHour.get((long) h);
            over.add(List.of(h, h < byHour.length ? byHour[h] : "", h < byHour.length ? pct[h] : "", x == null ? "" : x.idleGpus(),
                    x == null ? "" : x.fragmentedGpus(), x == null ? "" : 100 * x.fragmentedGpus() / gpus));
        }
        r.table(new Report.Table("over_time.csv", "GPUs allocated per hour (mean over the hour); idle and fragmented GPUs at the hour's start",
                List.of("hour", "gpus_allocated", "utilisation_pct", "idle_gpus", "fragmented_gpus", "fragmentation_pct"), over, false));
        if (fragmentation != null && !fragmentation.samples().isEmpty()) fragmentation(r, fragmentation, gpus);
        List<List<Object>> jobs = new ArrayList<>();
        for (JobOutcome o : sim.outcomes()) jobs.add(List.of(o.id(), o.project(), o.gpus(), o.submit(), o.firstStart(), o.end(), o.completed()));
        r.table(new Report.Table("jobs.csv", "Per job (seconds; -1 = never)", List.of("job", "project", "gpus", "submit", "first_start", "end",
                "completed"), jobs, false));
        r.chart(new Report.Chart("GPU utilisation over time", "hour", "GPUs allocated (% of fleet)", List.of(new Report.Series("utilisation", hours, pct)),
                true, false));
        r.chart(new Report.Chart("Queueing delay CDF per tenant class", "queueing delay (hours, log scale)", "share of jobs", cdf, true, true));
        return r;
    }

    /** The steady window's figures beside the whole run's (notes and {@code steady_window} in summary.json). */
    private static void steady(Report r, SteadyWindow w, Summary whole, double wholeJain) {
        if (w == null) {
            r.note("steady window: none (the arrivals span less than two hours after the warm-up)");
            return;
        }
        r.note(String.format("steady window, hours %,d to %,d (after the first tenth of the arrivals' span as warm-up, until the last arrival; "
                + "the whole run adds the fill and the drain): GPU utilisation %.1f%% (whole run %.1f%%); queueing delay of the %,d jobs "
                + "submitted in it: mean %.2f h, p95 %.2f h (whole run %.2f h, %.2f h); Jain's index %.3f (whole run %.3f)", w.fromHour(), w.toHour(),
                100 * w.utilisation(), 100 * whole.utilisation(), w.jobs(), w.meanWait() / 3600, w.p95Wait() / 3600,
                whole.meanQueueingDelay() / 3600, whole.p95QueueingDelay() / 3600.0, w.jain(), wholeJain));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("from_hour", w.fromHour());
        m.put("to_hour", w.toHour());
        m.put("utilisation", w.utilisation());
        m.put("jobs_submitted", w.jobs());
        m.put("mean_queueing_delay_s", w.meanWait());
        m.put("p95_queueing_delay_s", w.p95Wait());
        m.put("jain_index_use_of_entitlement", w.jain());
        m.put("use_of_entitlement_by_class", w.useByClass());
        r.summary().put("steady_window", m);
    }

    /**
     * Mean and percentiles of durations in seconds, in the unit their scale calls for: hours from a p99 of two hours up,
     * minutes from two minutes up, else seconds (a run of seconds printed "0.01 h" before).
     */
    static String spread(double mean, double p50, double p95, double p99) {
        double top = Math.max(mean, p99);
        double unit = top >= 7200 ? 3600 : top >= 120 ? 60 : 1;
        String name = unit == 3600 ? "h" : unit == 60 ? "min" : "s";
        return String.format("mean %.2f %s  p50 %.2f %s  p95 %.2f %s  p99 %.2f %s", mean / unit, name, p50 / unit, name, p95 / unit, name,
                p99 / unit, name);
    }

    /** Per owner of nodes: GPU-hours its jobs ran on its own nodes, lent to others' jobs, borrowed from others' nodes. */
    private static void owners(Report r, kr.nuri.sim.metrics.OwnershipUse ownership) {
        Map<String, double[]> byOwner = ownership.gpuHours();
        if (byOwner.isEmpty()) return;
        List<List<Object>> rows = new ArrayList<>();
        Map<String, Object> summary = new LinkedHashMap<>();
        for (var e : byOwner.entrySet()) {
            double[] h = e.getValue();
            rows.add(List.of(e.getKey(), h[0], h[1], h[2]));
            Map<String, Object> m = new LinkedHashMap<>(); // summary.json is byte-identical run to run: no Map.of order
            m.put("own_gpu_hours", h[0]);
            m.put("lent_gpu_hours", h[1]);
            m.put("borrowed_gpu_hours", h[2]);
            summary.put(e.getKey(), m);
        }
        r.summary().put("by_owner", summary);
        r.table(new Report.Table("owners.csv", "Per owner of nodes (GPU-hours): its jobs on its own nodes, others' jobs on its nodes (lent), "
                + "its jobs on others' nodes (borrowed)", List.of("owner", "own_gpu_hours", "lent_gpu_hours", "borrowed_gpu_hours"), rows, true));
    }

    /** Fragmentation over the run: its mean in the summary, a chart of idle and fragmented GPUs. */
    private static void fragmentation(Report r, FleetFragmentation fragmentation, long gpus) {
        List<FleetFragmentation.Sample> samples = fragmentation.samples();
        int n = samples.size();
        if (n < 2) {
            // Sampled every virtual hour: a run shorter than that has one sample or none, which says nothing.
            r.note("fragmentation (FGD measure, sampled hourly): the run is too short for a measure (" + n + " sample)");
            return;
        }
        double[] hours = new double[n];
        double[] idle = new double[n];
        double[] frag = new double[n];
        double fragSum = 0;
        double idleSum = 0;
        for (int i = 0; i < n; i++) {
            FleetFragmentation.Sample x = samples.get(i);
            hours[i] = x.time() / 3600.0;
            idle[i] = 100.0 * x.idleGpus() / gpus;
            frag[i] = 100 * x.fragmentedGpus() / gpus;
            fragSum += x.fragmentedGpus();
            idleSum += x.idleGpus();
        }
        double meanIdlePct = 100 * idleSum / n / gpus;
        double meanFragmentationPct = 100 * fragSum / n / gpus;
        double shareOfIdle = idleSum == 0 ? 0 : fragSum / idleSum;
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("samples", n);
        f.put("mean_idle_pct", meanIdlePct);
        f.put("mean_fragmentation_pct", meanFragmentationPct);
        f.put("fragmented_share_of_idle", shareOfIdle);
        r.summary().put("fragmentation", f);
        r.note(String.format("fragmentation (FGD measure, whole GPUs, hourly): mean %.2f%% of the fleet, %.1f%% of idle GPUs (idle mean %.2f%%)",
                meanFragmentationPct, 100 * shareOfIdle, meanIdlePct));
        r.chart(new Report.Chart("Idle and fragmented GPUs over time (fragmented: idle GPUs the task mix cannot use)", "hour",
                "% of the fleet's GPUs", List.of(new Report.Series("idle", hours, idle), new Report.Series("fragmented", hours, frag)), true, false));
    }

    /**
     * How good the first estimated start was, per tenant class: of the jobs that waited and got one, the median and
     * p90 absolute error against their real first start, and how often they started later than said.
     */
    private static void estimates(Report r, Map<String, List<JobOutcome>> byClass, long[] moves, long[] byCause) {
        List<List<Object>> rows = new ArrayList<>();
        Map<String, Object> perClass = new LinkedHashMap<>();
        List<JobOutcome> all = new ArrayList<>();
        for (var e : byClass.entrySet()) {
            List<JobOutcome> judged = e.getValue().stream().filter(JobOutcome::estimated).toList();
            all.addAll(judged);
            if (judged.isEmpty()) continue;
            EstimateError x = EstimateError.of(judged);
            rows.add(List.of(e.getKey(), judged.size(), x.medianAbs() / 3600.0, x.p90Abs() / 3600.0, 100 * x.lateShare(), 100 * x.lateByHourShare()));
            perClass.put(e.getKey(), x.asMap());
        }
        if (all.isEmpty()) {
            r.note("estimated starts: no job waited long enough for a full pass to estimate its start");
            return;
        }
        EstimateError x = EstimateError.of(all);
        r.note(String.format("first estimated start vs real start (%,d jobs that waited and got one): |error| median %.2f h, p90 %.2f h;"
                + " %.1f%% started later than estimated, %.1f%% over an hour later", all.size(), x.medianAbs() / 3600.0, x.p90Abs() / 3600.0,
                100 * x.lateShare(), 100 * x.lateByHourShare()));
        r.summary().put("first_estimate", x.asMap());
        if (moves.length > 0) {
            long[] sorted = moves.clone();
            java.util.Arrays.sort(sorted);
            long big = java.util.Arrays.stream(sorted).filter(m -> m > 3600).count();
            r.note(String.format("estimates moved %,d times from one full pass to the next (%.2f per job estimated): median move %.2f h,"
                    + " p90 %.2f h; %.1f%% of moves over an hour", sorted.length, (double) sorted.length / all.size(),
                    sorted[(sorted.length - 1) / 2] / 3600.0, sorted[(int) Math.min(sorted.length - 1, Math.ceil(0.9 * sorted.length) - 1)] / 3600.0,
                    100.0 * big / sorted.length));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("moves", sorted.length);
            m.put("median_move_s", sorted[(sorted.length - 1) / 2]);
            m.put("over_an_hour_share", (double) big / sorted.length);
            Map<String, Object> causes = new LinkedHashMap<>();
            StringBuilder why = new StringBuilder();
            var names = kr.nuri.core.schedule.Verdicts.MoveCause.values();
            for (int i = 0; i < byCause.length; i++) {
                String name = i < names.length ? names[i].name().toLowerCase(java.util.Locale.ROOT) : "not_fluid";
                causes.put(name, byCause[i]);
                if (byCause[i] > 0) why.append(why.isEmpty() ? "" : ", ").append(String.format("%s %.1f%%", name, 100.0 * byCause[i] / sorted.length));
            }
            m.put("by_cause", causes);
            r.note("why estimates moved (the larger part of each move: the work ranked ahead, or the running jobs' ends; 'passed': "
                    + "reached without a start; 'not_fluid': a reservation's): " + why);
            r.summary().put("estimate_moves", m);
        }
        r.summary().put("first_estimate_by_tenant_class", perClass);
        r.table(new Report.Table("estimates.csv", "First estimated start against the real start, per tenant class", List.of("class",
                "jobs_estimated", "median_abs_error_h", "p90_abs_error_h", "started_later_pct", "started_over_1h_later_pct"), rows, true));
    }

    /** Errors of first estimates: median and p90 of |real − estimated| (seconds) and the share that started later. */
    record EstimateError(long medianAbs, long p90Abs, double lateShare, double lateByHourShare, int jobs) {
        static EstimateError of(List<JobOutcome> judged) {
            long[] abs = judged.stream().mapToLong(o -> Math.abs(o.estimateError())).sorted().toArray();
            long late = judged.stream().filter(o -> o.estimateError() > 0).count();
            long lateByHour = judged.stream().filter(o -> o.estimateError() > 3600).count();
            return new EstimateError(abs[(abs.length - 1) / 2], abs[(int) Math.min(abs.length - 1, Math.ceil(0.9 * abs.length) - 1)],
                    (double) late / abs.length, (double) lateByHour / abs.length, abs.length);
        }

        Map<String, Object> asMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("jobs", jobs);
            m.put("median_abs_error_s", medianAbs);
            m.put("p90_abs_error_s", p90Abs);
            m.put("started_later_share", lateShare);
            m.put("started_over_an_hour_later_share", lateByHourShare);
            return m;
        }
    }

    /**
     * Adds to {@code with} (a what-if run's report) a table and summary entry comparing it per tenant class with
     * {@code without} (the same arrivals without the changes).
     */
    @SuppressWarnings("unchecked")
    public static void compare(Report with, Report without) {
        Map<String, Object> after = (Map<String, Object>) with.summary().get("by_tenant_class");
        Map<String, Object> before = (Map<String, Object>) without.summary().get("by_tenant_class");
        List<List<Object>> rows = new ArrayList<>();
        Map<String, Object> delta = new LinkedHashMap<>();
        for (String c : after.keySet()) {
            Map<String, Object> a = (Map<String, Object>) after.get(c);
            Map<String, Object> b = (Map<String, Object>) before.getOrDefault(c, Map.of());
            double waitA = ((Number) a.get("avg_queueing_delay_s")).doubleValue() / 3600;
            double waitB = b.isEmpty() ? Double.NaN : ((Number) b.get("avg_queueing_delay_s")).doubleValue() / 3600;
            double gpuA = ((Number) a.get("gpu_hours")).doubleValue();
            double gpuB = b.isEmpty() ? Double.NaN : ((Number) b.get("gpu_hours")).doubleValue();
            rows.add(List.of(c, waitB, waitA, waitA - waitB, gpuB, gpuA, gpuA - gpuB));
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("avg_queueing_delay_h_without", waitB);
            d.put("avg_queueing_delay_h_with", waitA);
            d.put("gpu_hours_without", gpuB);
            d.put("gpu_hours_with", gpuA);
            delta.put(c, d);
        }
        with.summary().put("without_what_if", without.summary().get("overall"));
        with.summary().put("what_if_by_tenant_class", delta);
        with.tables().add(0, new Report.Table("what_if.csv", "What-if: per tenant class, without → with the changes", List.of("class",
                "avg_wait_h_without", "avg_wait_h_with", "wait_change_h", "gpu_hours_without", "gpu_hours_with", "gpu_hours_change"), rows, true));
    }
}

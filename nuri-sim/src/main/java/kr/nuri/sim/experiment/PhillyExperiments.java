package kr.nuri.sim.experiment;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import kr.nuri.core.config.EngineConfig;
import kr.nuri.sim.Arrival;
import kr.nuri.sim.Progress;
import kr.nuri.sim.Simulation;
import kr.nuri.sim.metrics.FinishTimeFairness;
import kr.nuri.sim.metrics.JobOutcome;
import kr.nuri.sim.metrics.Summary;
import kr.nuri.sim.report.Report;
import kr.nuri.sim.trace.PhillyTrace;

/**
 * Presets on the Philly trace.
 * <ul>
 * <li>{@code philly-vc}: as in the Helios study, each VC of {@code philly_vc_nodes.csv} is its own cluster of
 *     8-GPU nodes replaying its jobs submitted from 2017-10-01 to 2017-11-30, under fifo, sjf, srtf (the engine
 *     with that queue order and no reservation, see {@link Philly#vcCluster}) and Nuri's default ({@code nuri}:
 *     backfill with a reservation, fair share). Every policy runs on the engine.
 * <li>{@code philly-quota}: the whole table on one cluster (the 11 VCs' 352 nodes) with one quota per VC (its
 *     node count; VCs without one share what is left), on Nuri's engine with borrowing off and on.
 * </ul>
 * Jobs larger than their cluster are left out and counted. Every job's walltime is its true duration.
 */
public final class PhillyExperiments {
    public static final String JOBS = "philly-derived/philly_jobs_sia.csv";
    public static final String VCS = "philly-derived/philly_vc_nodes.csv";
    public static final List<String> VC_POLICIES = List.of("fifo", "sjf", "srtf", "nuri");
    static final String FROM = "2017-10-01";
    static final String TO = "2017-12-01";

    private PhillyExperiments() { }

    /** One (cluster, policy) run's outcome. */
    record RunResult(String policy, String cluster, int gpus, List<JobOutcome> outcomes, Summary summary) { }

    /**
     * One run on the engine; a preempted run keeps the work up to its last checkpoint ({@code checkpointSeconds},
     * 0: none, it starts over).
     */
    static RunResult simulate(String policy, String cluster, EngineConfig config, List<Arrival> arrivals, long tick, long checkpointSeconds) {
        int gpus = (int) config.fleet().totalGpus();
        Simulation sim = new Simulation(config, tick);
        sim.checkpointEvery(checkpointSeconds);
        sim.run(arrivals);
        List<JobOutcome> out = sim.outcomes();
        return new RunResult(policy, cluster, gpus, out, Summary.of(out, sim.allocatedGpuSeconds(), gpus, sim.preemptions()));
    }

    public static Report vc(Path traces, List<String> policies, long tick, double speedup, Progress progress) {
        for (String p : policies) {
            if (!VC_POLICIES.contains(p)) throw new IllegalArgumentException("--policies " + p + " is not known to philly-vc. Maybe one of " + VC_POLICIES + "?");
        }
        List<PhillyTrace.Job> all = PhillyTrace.jobs(traces.resolve(JOBS));
        Map<String, Integer> vcs = PhillyTrace.vcNodes(traces.resolve(VCS));
        long from = PhillyTrace.day(FROM);
        long to = PhillyTrace.day(TO);
        Map<String, List<Arrival>> byVc = new LinkedHashMap<>();
        vcs.keySet().forEach(v -> byVc.put(v, new ArrayList<>()));
        int inWindow = 0;
        int tooLarge = 0;
        for (PhillyTrace.Job j : all) {
            if (j.submit() < from || j.submit() >= to || !vcs.containsKey(j.vc())) continue;
            inWindow++;
            if (j.gpus() > vcs.get(j.vc()) * Philly.GPUS_PER_NODE) {
                tooLarge++;
                continue;
            }
            byVc.get(j.vc()).add(Philly.arrival(j, from, speedup));
        }
        List<String> names = new ArrayList<>(vcs.keySet());
        int runs = names.size() * policies.size();
        progress.start("philly-vc " + runs + " runs", runs);
        List<RunResult> results = IntStream.range(0, runs).parallel().mapToObj(i -> {
            String vc = names.get(i / policies.size());
            String policy = policies.get(i % policies.size());
            EngineConfig config = Philly.vcCluster(vc, vcs.get(vc), policy);
            // A preempted job keeps all its progress, as the srtf of the literature assumes (only srtf preempts here).
            RunResult r = simulate(policy, vc, config, byVc.get(vc), tick, 1);
            progress.advance(1);
            return r;
        }).toList();

        Report report = new Report("philly-vc: Philly VCs as separate clusters, " + FROM + " to 2017-11-30");
        report.note(String.format("philly-vc: %,d jobs of %d VCs submitted %s to 2017-11-30 (%,d larger than their VC left out); "
                + "%,d nodes × 8 GPUs in all; walltime = true duration; Nuri full pass every %d s%s", inWindow, vcs.size(), FROM, tooLarge,
                vcs.values().stream().mapToInt(Integer::intValue).sum(), tick,
                speedup == 1 ? "" : String.format("; arrivals %.3g× as fast (submit times ÷ %.3g: %.3g× the offered load)", speedup, speedup, speedup)));
        report.note("every policy runs on Nuri's engine: fifo/sjf/srtf are its queue orders with list scheduling (no reservation: every job "
                + "that fits starts; srtf preempts a job with more walltime left, which keeps its progress); nuri is the default "
                + "(fair share, backfill behind a reservation).");
        Map<String, Object> s = report.summary();
        s.put("experiment", "philly-vc");
        s.put("jobs_file", traces.resolve(JOBS).getFileName().toString());
        s.put("window", List.of(FROM, "2017-11-30"));
        s.put("speedup", speedup);
        s.put("jobs", inWindow - tooLarge);
        s.put("jobs_larger_than_their_vc", tooLarge);
        s.put("tick_seconds", tick);
        Map<String, Object> byPolicy = new LinkedHashMap<>();
        s.put("by_policy", byPolicy);
        List<List<Object>> overallRows = new ArrayList<>();
        List<List<Object>> vcRows = new ArrayList<>();
        List<List<Object>> jobRows = new ArrayList<>();
        List<Report.Series> cdf = new ArrayList<>();
        int totalGpus = vcs.values().stream().mapToInt(Integer::intValue).sum() * Philly.GPUS_PER_NODE;
        for (String policy : policies) {
            Map<String, Object> perVc = new LinkedHashMap<>();
            List<JobOutcome> everyone = new ArrayList<>();
            List<double[]> ratios = new ArrayList<>();
            long preemptions = 0;
            for (RunResult r : results) {
                if (!r.policy().equals(policy)) continue;
                double[] mine = FinishTimeFairness.ratios(r.outcomes(), r.gpus());
                ratios.add(mine);
                FinishTimeFairness ftf = FinishTimeFairness.of(mine);
                perVc.put(r.cluster(), Measures.metrics(r.summary(), ftf));
                vcRows.add(Measures.row(policy, r.cluster(), r.gpus(), r.summary(), ftf));
                everyone.addAll(r.outcomes());
                preemptions += r.summary().preemptions();
                for (JobOutcome o : r.outcomes()) {
                    jobRows.add(List.of(policy, r.cluster(), o.id(), o.gpus(), o.submit(), o.firstStart(), o.end()));
                }
            }
            Summary overall = Summary.of(everyone, Measures.gpuSeconds(everyone), totalGpus, preemptions);
            FinishTimeFairness ftf = FinishTimeFairness.of(FinishTimeFairness.concat(ratios));
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("overall", Measures.metrics(overall, ftf));
            entry.put("by_vc", perVc);
            byPolicy.put(policy, entry);
            overallRows.add(Measures.row(policy, "all", totalGpus, overall, ftf));
            cdf.add(Measures.waitCdf(policy, everyone));
        }
        report.note("ftf = finish-time fairness ρ, a job's JCT ÷ its time were its VC's GPUs shared among the VC's own jobs in proportion"
                + " to demand (here a VC is its own cluster, so ρ > 1 is the cost of the policy's choices within the VC)");
        List<String> header = Measures.header("policy");
        report.table(new Report.Table(null, "Overall (all VCs)", header, overallRows, true));
        report.table(new Report.Table("philly_vc.csv", "Per VC", header, vcRows, false));
        report.table(new Report.Table("jobs.csv", "Per job (seconds from 2017-10-01 00:00; -1 = never)",
                List.of("policy", "vc", "job", "gpus", "submit", "first_start", "end"), jobRows, false));
        report.chart(new Report.Chart("Queueing delay CDF, all VCs", "queueing delay (hours, log scale)", "share of jobs",
                cdf, true, true));
        return report;
    }

    /**
     * philly-quota: every job of the table on one cluster; each VC's nominal quota is its node count × 8 GPUs
     * (a VC the node file does not list gets one node), borrowing off and on.
     */
    public static Report quota(Path traces, long tick, Progress progress) {
        List<PhillyTrace.Job> all = PhillyTrace.jobs(traces.resolve(JOBS));
        Map<String, Integer> vcs = new LinkedHashMap<>(PhillyTrace.vcNodes(traces.resolve(VCS)));
        List<String> unlisted = new ArrayList<>();
        for (PhillyTrace.Job j : all) {
            if (!vcs.containsKey(j.vc())) {
                vcs.put(j.vc(), 1);
                unlisted.add(j.vc());
            }
        }
        int nodes = vcs.values().stream().mapToInt(Integer::intValue).sum();
        Map<String, Integer> quotas = new LinkedHashMap<>();
        vcs.forEach((vc, n) -> quotas.put(vc, n * Philly.GPUS_PER_NODE));
        long epoch = all.stream().mapToLong(PhillyTrace.Job::submit).min().orElse(0);
        List<Arrival> arrivals = new ArrayList<>(all.size());
        int tooLarge = 0;
        for (PhillyTrace.Job j : all) {
            if (j.gpus() > nodes * Philly.GPUS_PER_NODE) {
                tooLarge++;
                continue;
            }
            arrivals.add(Philly.arrival(j, epoch));
        }
        List<Boolean> modes = List.of(false, true);
        progress.start("philly-quota 2 runs", 2);
        List<RunResult> results = modes.parallelStream().map(borrowing -> {
            EngineConfig config = Philly.cluster("philly", nodes, quotas, borrowing);
            RunResult r = simulate("nuri", borrowing ? "borrowing on" : "borrowing off", config, arrivals, tick, 0);
            progress.advance(1);
            return r;
        }).toList();

        Report report = new Report("philly-quota: one Philly cluster, one quota per VC, borrowing off vs on");
        report.note(String.format("philly-quota: %,d jobs of %d VCs (%,d larger than the cluster left out) on %,d nodes × 8 GPUs; "
                + "quota per VC = its nodes × 8 GPUs (%s: not in the node file, 1 node each); Nuri's engine, full pass every %d s",
                arrivals.size(), vcs.size(), tooLarge, nodes, unlisted.stream().distinct().toList(), tick));
        report.note("Borrowing on: a VC may run on GPUs other VCs leave idle; its jobs are then preemptible and are preempted"
                + " (restarting from scratch) when the lender needs its GPUs back.");
        Map<String, Object> s = report.summary();
        s.put("experiment", "philly-quota");
        s.put("jobs_file", traces.resolve(JOBS).getFileName().toString());
        s.put("jobs", arrivals.size());
        s.put("nodes", nodes);
        s.put("quota_gpus_by_vc", quotas);
        s.put("tick_seconds", tick);
        Map<String, Object> byMode = new LinkedHashMap<>();
        s.put("by_mode", byMode);
        List<List<Object>> overall = new ArrayList<>();
        List<List<Object>> perVc = new ArrayList<>();
        List<Report.Series> cdf = new ArrayList<>();
        for (RunResult r : results) {
            Map<String, Object> entry = new LinkedHashMap<>();
            Map<String, Object> vcMetrics = new LinkedHashMap<>();
            List<double[]> ratios = new ArrayList<>();
            for (String vc : vcs.keySet()) {
                List<JobOutcome> mine = r.outcomes().stream().filter(o -> o.project().equals(vc)).toList();
                Summary vs = Summary.of(mine, Measures.gpuSeconds(mine), quotas.get(vc), 0);
                double[] vcRatios = FinishTimeFairness.ratios(mine, quotas.get(vc));
                ratios.add(vcRatios);
                FinishTimeFairness ftf = FinishTimeFairness.of(vcRatios);
                vcMetrics.put(vc, Measures.metrics(vs, ftf));
                perVc.add(Measures.row(r.cluster(), vc, quotas.get(vc), vs, ftf));
            }
            FinishTimeFairness ftf = FinishTimeFairness.of(FinishTimeFairness.concat(ratios));
            entry.put("overall", Measures.metrics(r.summary(), ftf));
            entry.put("never_started", r.summary().neverStarted());
            entry.put("by_vc", vcMetrics);
            byMode.put(r.cluster().replace(' ', '_'), entry);
            overall.add(Measures.row(r.cluster(), "all", r.gpus(), r.summary(), ftf));
            cdf.add(Measures.waitCdf(r.cluster(), r.outcomes()));
        }
        report.note("ftf = finish-time fairness ρ, a job's JCT ÷ its time were its VC's quota its own, shared among the VC's jobs in"
                + " proportion to demand: ρ ≤ 1 means the shared cluster served the job at least as well as a partition of its quota");
        List<String> header = Measures.header("mode");
        report.table(new Report.Table(null, "Overall", header, overall, true));
        report.table(new Report.Table("philly_quota_vc.csv", "Per VC (utilisation of its own quota; completed jobs' GPU time)", header, perVc, true));
        report.chart(new Report.Chart("Queueing delay CDF", "queueing delay (hours, log scale)", "share of jobs", cdf, true, true));
        return report;
    }
}

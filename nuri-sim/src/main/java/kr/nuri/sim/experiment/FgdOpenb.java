package kr.nuri.sim.experiment;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kr.nuri.sim.Progress;
import kr.nuri.sim.metrics.Stats;
import kr.nuri.sim.packing.PackingExperiment;
import kr.nuri.sim.report.Report;
import kr.nuri.sim.trace.OpenbTrace;

/**
 * Preset {@code fgd-openb}: the FGD paper's packing experiment on the openb node list and one of its pod lists,
 * every policy over seeds 42..51 by default. summary.json holds, per policy, the unallocated GPU % and the
 * fragmentation % at each 10% step of arrived GPU demand (mean and sample standard deviation over the seeds)
 * under {@code by_policy.<name>.unallocated_pct."<step>"}.
 */
public final class FgdOpenb {
    public static final String NODES = "alibaba-openb-2023/csv/openb_node_list_gpu_node.csv";
    public static final List<Long> SEEDS = List.of(42L, 43L, 44L, 45L, 46L, 47L, 48L, 49L, 50L, 51L);

    private FgdOpenb() { }

    /** The pod list file of a variant ("default", "multigpu50", …) under the traces directory. */
    public static Path pods(Path traces, String variant) {
        Path p = traces.resolve("alibaba-openb-2023/csv/openb_pod_list_" + variant + ".csv");
        if (!Files.isRegularFile(p)) {
            List<String> known = new ArrayList<>();
            try (var files = Files.list(traces.resolve("alibaba-openb-2023/csv"))) {
                files.map(f -> f.getFileName().toString()).filter(f -> f.startsWith("openb_pod_list_"))
                        .map(f -> f.substring("openb_pod_list_".length(), f.length() - 4)).sorted().forEach(known::add);
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException("--traces " + traces + ": no alibaba-openb-2023/csv folder there", e);
            }
            throw new IllegalArgumentException("--pods " + variant + ": no such pod list in " + p.getParent() + ". Maybe one of " + known + "?");
        }
        return p;
    }

    public static Report run(Path traces, String variant, List<String> policies, List<Long> seeds, double ratio, Progress progress) {
        Path nodesFile = traces.resolve(NODES);
        Path podsFile = pods(traces, variant);
        PackingExperiment exp = new PackingExperiment(OpenbTrace.nodes(nodesFile), OpenbTrace.pods(podsFile), ratio);
        List<PackingExperiment.Run> runs = exp.run(policies, seeds, progress);
        int[] steps = exp.steps();

        Report r = new Report("fgd-openb: static packing of openb pods (" + variant + ")");
        r.note(String.format("fgd-openb: %,d GPU nodes, %,d GPUs of %s; pod list %s: %,d tasks in %d classes, resampled to %.0f%% of GPU capacity;"
                        + " seeds %s", exp.nodeCount(), exp.gpus(), exp.models(), podsFile.getFileName(), exp.taskCount(), exp.taskClasses(),
                ratio * 100, seeds));
        r.note("Unallocated GPU % = 100 - allocated GPU thousandths / capacity; fragmentation % = expected GPUs the task mix cannot use"
                + " (FGD paper, §3) / capacity. Mean (sd) over seeds.");
        Map<String, Object> s = r.summary();
        s.put("experiment", "fgd-openb");
        s.put("nodes_file", nodesFile.getFileName().toString());
        s.put("pods_file", podsFile.getFileName().toString());
        s.put("nodes", exp.nodeCount());
        s.put("gpus", exp.gpus());
        s.put("gpu_models", exp.models());
        s.put("tasks", exp.taskCount());
        s.put("task_classes", exp.taskClasses());
        s.put("resampled_to_pct_of_capacity", ratio * 100);
        s.put("seeds", seeds);
        Map<String, Object> byPolicy = new LinkedHashMap<>();
        s.put("by_policy", byPolicy);

        List<List<Object>> stepRows = new ArrayList<>();
        List<List<Object>> runRows = new ArrayList<>();
        List<List<Object>> terminal = new ArrayList<>();
        List<Report.Series> unallocSeries = new ArrayList<>();
        List<Report.Series> fragSeries = new ArrayList<>();
        double[] xs = new double[steps.length];
        for (int k = 0; k < steps.length; k++) xs[k] = steps[k];
        int at100 = indexOf(steps, 100);
        for (int p = 0; p < policies.size(); p++) {
            String name = policies.get(p);
            List<PackingExperiment.Run> mine = runs.subList(p * seeds.size(), (p + 1) * seeds.size());
            Map<String, Object> unalloc = new LinkedHashMap<>();
            Map<String, Object> frag = new LinkedHashMap<>();
            double[] um = new double[steps.length];
            double[] fm = new double[steps.length];
            double[] usd = new double[steps.length];
            double[] fsd = new double[steps.length];
            for (int k = 0; k < steps.length; k++) {
                final int kk = k;
                double[] u = mine.stream().mapToDouble(x -> x.unallocatedPct()[kk]).toArray();
                double[] f = mine.stream().mapToDouble(x -> x.fragmentationPct()[kk]).toArray();
                um[k] = Stats.mean(u);
                usd[k] = Stats.sampleSd(u);
                fm[k] = Stats.mean(f);
                fsd[k] = Stats.sampleSd(f);
                unalloc.put(Integer.toString(steps[k]), meanSd(um[k], usd[k]));
                frag.put(Integer.toString(steps[k]), meanSd(fm[k], fsd[k]));
                stepRows.add(List.of(name, steps[k], um[k], usd[k], fm[k], fsd[k]));
            }
            for (PackingExperiment.Run run : mine) {
                for (int k = 0; k < steps.length; k++) {
                    runRows.add(List.of(name, run.seed(), steps[k], run.unallocatedPct()[k], run.fragmentationPct()[k]));
                }
            }
            double[] failed = mine.stream().mapToDouble(PackingExperiment.Run::failed).toArray();
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("unallocated_pct", unalloc);
            entry.put("fragmentation_pct", frag);
            entry.put("failed_tasks", meanSd(Stats.mean(failed), Stats.sampleSd(failed)));
            entry.put("tasks_per_run", mine.get(0).tasks());
            byPolicy.put(name, entry);
            unallocSeries.add(new Report.Series(name, xs, um));
            fragSeries.add(new Report.Series(name, xs, fm));
            int last = steps.length - 1;
            terminal.add(List.of(name, pm(um, usd, indexOf(steps, 80)), pm(um, usd, at100), pm(um, usd, last), pm(fm, fsd, at100),
                    String.format("%,.0f", Stats.mean(failed))));
        }
        r.table(new Report.Table(null, "Unallocated GPU % and fragmentation % by arrived GPU demand (mean ± sd over "
                + seeds.size() + " seeds)", List.of("policy", "unalloc@80%", "unalloc@100%", "unalloc@" + steps[steps.length - 1] + "%",
                "frag@100%", "failed tasks"), terminal, true));
        r.table(new Report.Table("fgd_openb_steps.csv", "Per policy and step of arrived GPU demand (% of capacity)",
                List.of("policy", "arrived_pct", "unallocated_pct_mean", "unallocated_pct_sd", "fragmentation_pct_mean", "fragmentation_pct_sd"),
                stepRows, false));
        r.table(new Report.Table("fgd_openb_runs.csv", "Per run (policy, seed) and step", List.of("policy", "seed", "arrived_pct",
                "unallocated_pct", "fragmentation_pct"), runRows, false));
        r.chart(new Report.Chart("Unallocated GPU % as GPU demand arrives", "arrived GPU demand (% of capacity)", "unallocated GPU %",
                unallocSeries, false, false));
        r.chart(new Report.Chart("Fragmentation % as GPU demand arrives", "arrived GPU demand (% of capacity)", "fragmented GPU % of capacity",
                fragSeries, false, false));
        return r;
    }

    private static int indexOf(int[] steps, int step) {
        for (int k = 0; k < steps.length; k++) if (steps[k] == step) return k;
        return steps.length - 1;
    }

    private static String pm(double[] mean, double[] sd, int k) {
        return String.format("%.2f ± %.2f", mean[k], sd[k]);
    }

    static Map<String, Object> meanSd(double mean, double sd) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mean", mean);
        m.put("sd", sd);
        return m;
    }
}

package kr.nuri.sim.packing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import kr.nuri.core.command.Command;
import kr.nuri.core.config.AssertionLevel;
import kr.nuri.core.config.EngineConfig;
import kr.nuri.core.config.PlacementSettings;
import kr.nuri.core.config.PlacementSettings.TaskShape;
import kr.nuri.core.config.PolicyNames;
import kr.nuri.core.config.SchedulerSettings;
import kr.nuri.core.engine.Engine;
import kr.nuri.core.engine.Rejection;
import kr.nuri.core.engine.Result;
import kr.nuri.core.event.Event;
import kr.nuri.core.fleet.Fleet;
import kr.nuri.core.fleet.FleetBuilder;
import kr.nuri.core.job.JobSpec;
import kr.nuri.core.schedule.fit.TaskMix;
import kr.nuri.core.state.Capacity;
import kr.nuri.core.tenancy.QuotaSpec;
import kr.nuri.core.tenancy.TenantSpec;
import kr.nuri.sim.Progress;
import kr.nuri.sim.trace.OpenbTrace;

/**
 * The static packing experiment of the FGD paper (Weng et al., ATC'23, §6), on Nuri's engine: the task list is
 * resampled until its GPU demand is {@code ratio} × the cluster's GPU capacity, shuffled, and submitted to the
 * engine one task at a time; the engine places each with the node placement policy under test
 * ({@link PlacementSettings}: the paper's policies and Nuri's own, in {@code schedule/fit}); nothing ever leaves, and a
 * task the engine cannot start at once is cancelled (dropped, as in the paper). After each arrival the experiment
 * knows the arrived GPU demand (% of capacity), the unallocated GPU % (100 − allocated thousandths / capacity) and
 * the fragmentation % (Σ_n F_n / capacity over the engine's nodes, {@link TaskMix}); it keeps them at every 10% step
 * of arrived demand. Each (policy, seed) run has its own engine; runs go in parallel and the result does not depend
 * on it.
 *
 * <p>The cluster: one site; the nodes in the node list's order (ties go to the lowest node index), each run of one
 * GPU model a block of racks of up to {@value #RACK_NODES} nodes (topology plays no part here), each node with its
 * GPUs, CPU and memory from the node list. One project holds quota for every GPU a share
 * could count (a share counts as one GPU against quota), so only the nodes limit what starts. No reservation, no
 * preemption.
 */
public final class PackingExperiment {
    static final int RACK_NODES = 32;
    /** The artifact's typical-pods popularity threshold, in % of tasks. */
    static final int POPULARITY_PCT = 95;
    private static final String PROJECT = "openb";
    /** Steps of arrived GPU demand, in % of capacity: 0, 10, …, 130 by default. */
    private final int[] steps;
    private final Fleet fleet;
    private final List<TenantSpec> tenants;
    private final List<String> models;
    private final List<TaskShape> tasks;
    /** The models of a task that asks only for GPU models this cluster lacks (a name no fleet model has). */
    private static final List<String> NO_MODEL_HERE = List.of("(none in this cluster)");
    private final List<PlacementSettings.TaskShape> shapes;
    private final TaskMix mix;
    private final double ratio;

    public PackingExperiment(List<OpenbTrace.Node> nodeList, List<OpenbTrace.Pod> podList, double ratio) {
        if (!(ratio > 0) || ratio > 10) throw new IllegalArgumentException("ratio=" + ratio + ": must be more than 0 and at most 10. Maybe 1.3?");
        this.ratio = ratio;
        // Nodes keep the node list's order (policies break ties by the lowest node index): each run of nodes of one
        // model becomes a block, so the fleet's node order is the file's.
        Map<String, long[]> gpusOfModel = new LinkedHashMap<>();
        FleetBuilder b = new FleetBuilder("openb").site("openb");
        String blockModel = null;
        int blocks = 0;
        int inRack = 0;
        for (OpenbTrace.Node n : nodeList) {
            if (n.gpus() == 0) continue; // the GPU experiment packs GPU nodes (CPU-only nodes hold no GPU fragment)
            if (!n.model().equals(blockModel) || inRack == RACK_NODES) {
                // No owner: one pool per model, and quota counts shares (the experiment measures packing, not ownership).
                if (!n.model().equals(blockModel)) b.block("openb-b" + ++blocks, n.model(), null);
                b.rack("openb-b" + blocks + "-r" + n.name());
                blockModel = n.model();
                inRack = 0;
            }
            b.node(n.name(), n.gpus(), n.cpuMilli(), n.memoryMib());
            inRack++;
            gpusOfModel.computeIfAbsent(n.model(), k -> new long[1])[0] += n.gpus();
        }
        if (gpusOfModel.isEmpty()) throw new IllegalArgumentException("the node list has no node with GPUs");
        if (gpusOfModel.size() > 62) throw new IllegalArgumentException("more than 62 GPU models in the node list");
        models = List.copyOf(gpusOfModel.keySet());
        List<QuotaSpec> quotas = new ArrayList<>();
        for (var e : gpusOfModel.entrySet()) {
            quotas.add(new QuotaSpec(e.getKey(), (int) Math.min(Integer.MAX_VALUE / 4, e.getValue()[0] * JobSpec.WHOLE_GPU), QuotaSpec.UNLIMITED,
                    QuotaSpec.UNLIMITED));
        }
        fleet = b.build();
        tenants = List.of(new TenantSpec("cluster", null, 1, List.of()), new TenantSpec(PROJECT, "cluster", 1, quotas));
        tasks = new ArrayList<>(podList.size());
        for (OpenbTrace.Pod p : podList) {
            long mask = 0;
            if (!p.gpuSpec().isEmpty()) {
                for (String spec : p.gpuSpec()) {
                    int m = models.indexOf(spec);
                    if (m >= 0) mask |= 1L << m;
                }
                if (mask == 0) mask = 1L << 63; // only models this cluster lacks: it can run nowhere
            }
            tasks.add(new TaskShape(p.cpuMilli(), p.gpus(), p.gpuMilli(), modelNames(mask), 1, p.memoryMib()));
        }
        if (tasks.isEmpty()) throw new IllegalArgumentException("the pod list is empty");
        shapes = typicalPods(TaskShape.mixOf(tasks), POPULARITY_PCT);
        mix = new TaskMix(shapes, fleet);
        int last = (int) Math.round(ratio * 100);
        steps = IntStream.rangeClosed(0, last / 10).map(i -> i * 10).toArray();
    }

    /**
     * The authors' "typical pods" (their {@code GetTypicalPods}, with the artifact's settings: CPU-only pods included,
     * popularity threshold 95%, step 1, no GPU weighting): the task classes from the most frequent down, until they
     * cover {@code popularityPct}% of the tasks (the class that crosses it included), their shares renormalised over
     * what is kept. Equal counts go in the authors' order: more CPU first, then more GPU thousandths, more GPUs, the
     * GPU-type string. Memory is not part of a class (the authors' pod resource has none).
     */
    static List<TaskShape> typicalPods(List<TaskShape> classes, int popularityPct) {
        List<TaskShape> sorted = new ArrayList<>(classes);
        sorted.sort(java.util.Comparator.comparingLong(TaskShape::count).reversed()
                .thenComparing(java.util.Comparator.comparingInt(TaskShape::cpuMilli).reversed())
                .thenComparing(java.util.Comparator.comparingInt(TaskShape::gpuMilli).reversed())
                .thenComparing(java.util.Comparator.comparingInt(TaskShape::gpus).reversed())
                .thenComparing(t -> String.join("|", t.models()), java.util.Comparator.reverseOrder()));
        long total = sorted.stream().mapToLong(TaskShape::count).sum();
        double expected = popularityPct * total / 100.0;
        List<TaskShape> out = new ArrayList<>();
        long cumulative = 0;
        for (TaskShape t : sorted) {
            if (cumulative >= expected) break;
            out.add(t);
            cumulative += t.count();
        }
        return out;
    }

    /** The model names of a mask (bit 63 alone, models the cluster lacks, gives a name no fleet model has). */
    private List<String> modelNames(long mask) {
        if (mask == 0) return List.of();
        List<String> names = new ArrayList<>();
        for (int m = 0; m < models.size(); m++) if ((mask & (1L << m)) != 0) names.add(models.get(m));
        return names.isEmpty() ? NO_MODEL_HERE : names;
    }

    public List<String> models() { return models; }

    public int nodeCount() { return fleet.nodeCount(); }

    public long gpus() { return fleet.totalGpus(); }

    public int taskCount() { return tasks.size(); }

    public int taskClasses() { return mix.classes(); }

    public int[] steps() { return steps.clone(); }

    /** The engine configuration of one run: the cluster, its one project, and the policy under test. */
    public EngineConfig config(String policy, long seed) {
        SchedulerSettings settings = new SchedulerSettings(0, 64, false, 1, 0, PolicyNames.DEFAULT,
                new PlacementSettings(policy, seed, shapes));
        return new EngineConfig(fleet, tenants, EngineConfig.DEFAULT_CLASSES, List.of(), 7 * EngineConfig.DAY, settings, AssertionLevel.OFF);
    }

    /** What one (policy, seed) run saw at each step. */
    public record Run(String policy, long seed, int tasks, int failed, double[] unallocatedPct, double[] fragmentationPct) { }

    /** Runs every policy with every seed; the list is ordered policy by policy, seed by seed. */
    public List<Run> run(List<String> policies, List<Long> seeds, Progress progress) {
        for (String p : policies) new PlacementSettings(p, 0, shapes); // unknown names fail before any work
        int runs = policies.size() * seeds.size();
        progress.start("packing " + runs + " runs", runs);
        return IntStream.range(0, runs).parallel().mapToObj(i -> {
            Run r = run(policies.get(i / seeds.size()), seeds.get(i % seeds.size()));
            progress.advance(1);
            return r;
        }).toList();
    }

    /** One run: resample, shuffle, submit every task to a new engine; cancel those it cannot start. */
    public Run run(String policyName, long seed) {
        return run(policyName, seed, AssertionLevel.OFF);
    }

    /** One run with the engine's invariant checks at {@code checks} (FULL in tests). */
    public Run run(String policyName, long seed, AssertionLevel checks) {
        Engine engine = new Engine(config(policyName, seed).withAssertions(checks));
        double capacity = gpus() * (double) JobSpec.WHOLE_GPU;
        int[] order = arrivals(gpus() * JobSpec.WHOLE_GPU, new SplittableRandom(seed));
        double[] unallocated = new double[steps.length];
        double[] fragmentation = new double[steps.length];
        double[] windowSum = new double[steps.length];
        int[] windowCount = new int[steps.length];
        int[] gpuLeft = new int[fleet.maxGpusPerNode()];
        int next = 0;
        long arrived = 0;
        long allocated = 0;
        int failed = 0;
        for (int k = 0; k <= order.length; k++) {
            while (next < steps.length && (k == order.length || arrived >= steps[next] / 100.0 * capacity)) {
                unallocated[next] = 100 - 100 * allocated / capacity;
                fragmentation[next] = 100 * fragmentation(engine.state().capacity(), gpuLeft) / capacity;
                next++;
            }
            if (k == order.length) break;
            if (k > 0) window(arrived, allocated, capacity, windowSum, windowCount); // after task k - 1
            TaskShape t = tasks.get(order[k]);
            arrived += totalGpuMilli(t);
            if (t.models().equals(NO_MODEL_HERE)) {
                failed++; // asks only for GPU models this cluster lacks
                continue;
            }
            String id = "t" + k;
            Result r = engine.apply(new Command.SubmitJob(0, spec(id, t)));
            if (!r.accepted()) {
                if (r.rejection().code() != Rejection.Code.GANG_TOO_LARGE) {
                    throw new IllegalStateException("the engine refused task " + id + " " + t + ": " + r.rejection());
                }
                failed++; // larger than any node of its models: it can never run here
                continue;
            }
            if (r.events().stream().anyMatch(e -> e instanceof Event.JobStarted)) {
                allocated += totalGpuMilli(t);
            } else {
                failed++;
                Result c = engine.apply(new Command.CancelJob(0, id));
                if (!c.accepted()) throw new IllegalStateException("the engine refused to drop task " + id + ": " + c.rejection());
            }
        }
        window(arrived, allocated, capacity, windowSum, windowCount);
        for (int i = 0; i < steps.length; i++) if (windowCount[i] > 0) unallocated[i] = windowSum[i] / windowCount[i];
        return new Run(policyName, seed, order.length, failed, unallocated, fragmentation);
    }

    /**
     * The authors' reading of "unallocated GPU % at x% arrived" (their {@code merge_alloc_discrete.py}): the mean over
     * every arrival whose arrived demand, in % of capacity rounded half to even, is x. A step no arrival rounds to
     * keeps the value at the first arrival that reached it.
     */
    private void window(long arrived, long allocated, double capacity, double[] sum, int[] count) {
        int pct = (int) Math.rint(100 * arrived / capacity);
        if (pct % 10 != 0 || pct / 10 >= steps.length) return;
        sum[pct / 10] += 100 - 100 * allocated / capacity;
        count[pct / 10]++;
    }

    private JobSpec spec(String id, TaskShape t) {
        JobSpec.Builder b = JobSpec.builder(id, PROJECT).priorityClass("training").cpuMilli(t.cpuMilli()).memoryMib(t.memoryMib())
                .models(t.models().toArray(String[]::new));
        if (t.sharing()) b.share(t.gpuMilli()); else b.gang(1, t.gpus());
        return b.build();
    }

    private static long totalGpuMilli(TaskShape t) {
        return (long) t.gpus() * t.gpuMilli();
    }

    /** Σ_n F_n over the engine's nodes now, in GPU thousandths. */
    private double fragmentation(Capacity c, int[] gpuLeft) {
        double f = 0;
        for (int n = 0; n < fleet.nodeCount(); n++) {
            int count = c.gpuLeft(n, gpuLeft);
            f += mix.fragmentation(c.cpuLeft(n), gpuLeft, count, fleet.modelOfNode(n));
        }
        return f;
    }

    /**
     * The arrival order, as the authors' simulator makes it ({@code SortClusterPods}, then
     * {@code TunePodsByNodeTotalResource}): the task list shuffled (Fisher–Yates), then tuned to {@code ratio} × the
     * GPU capacity. Above it, tasks drawn at random are removed, the others keeping their order; below it, tasks drawn
     * at random from the list (with replacement) are appended until the next draw would go beyond it. The authors test
     * that bound with the drawn task's GPU thousandths <em>per GPU</em> while adding its total, so a multi-GPU draw may
     * pass it and a CPU-only draw never stops the tuning; both kept, to arrive at the same demand.
     */
    int[] arrivals(long capacityMilli, SplittableRandom random) {
        double target = ratio * capacityMilli;
        int[] shuffled = IntStream.range(0, tasks.size()).toArray();
        for (int i = shuffled.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int x = shuffled[i];
            shuffled[i] = shuffled[j];
            shuffled[j] = x;
        }
        List<Integer> list = new ArrayList<>(tasks.size() * 2);
        long total = 0;
        for (int i : shuffled) {
            list.add(i);
            total += totalGpuMilli(tasks.get(i));
        }
        if (total > target) {
            while (total > target && !list.isEmpty()) {
                int at = random.nextInt(list.size());
                total -= totalGpuMilli(tasks.get(list.remove(at)));
            }
        } else if (total < target && tasks.stream().anyMatch(t -> t.gpus() > 0)) {
            while (true) {
                int i = random.nextInt(tasks.size());
                TaskShape t = tasks.get(i);
                if (total + t.gpuMilli() > target) break;
                list.add(i);
                total += totalGpuMilli(t);
            }
        }
        return list.stream().mapToInt(Integer::intValue).toArray();
    }
}

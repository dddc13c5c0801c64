package kr.nuri.sim.packing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * <p>The cluster: one site; the GPU nodes in the order the seed gives them in the authors' simulator ({@link #draw}:
 * policies break ties by the lowest node index, theirs by the node name that sorts first), each run of one GPU model a
 * block of racks of up to {@value #RACK_NODES} nodes (topology plays no part here), each node with its GPUs, CPU and
 * memory from the node list. One project holds quota for every GPU a share
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
    /** The GPU nodes, sorted by name. */
    private final List<OpenbTrace.Node> nodes;
    private final long gpus;
    private final List<TenantSpec> tenants;
    private final List<String> models;
    /** The tasks in the pod list's order, and their indices in the order of the pods' names. */
    private final List<TaskShape> tasks;
    private final int[] byName;
    /** The models of a task that asks only for GPU models this cluster lacks (a name no fleet model has). */
    private static final List<String> NO_MODEL_HERE = List.of("(none in this cluster)");
    private final List<PlacementSettings.TaskShape> shapes;
    private final double ratio;

    public PackingExperiment(List<OpenbTrace.Node> nodeList, List<OpenbTrace.Pod> podList, double ratio) {
        if (!(ratio > 0) || ratio > 10) throw new IllegalArgumentException("ratio=" + ratio + ": must be more than 0 and at most 10. Maybe 1.3?");
        this.ratio = ratio;
        // The GPU experiment packs GPU nodes (CPU-only nodes hold no GPU fragment), sorted by name as the authors' are
        // before they are named (each seed then orders them its own way, see draw).
        nodes = nodeList.stream().filter(n -> n.gpus() > 0).sorted(java.util.Comparator.comparing(OpenbTrace.Node::name)).toList();
        Map<String, long[]> gpusOfModel = new LinkedHashMap<>();
        for (OpenbTrace.Node n : nodes) gpusOfModel.computeIfAbsent(n.model(), k -> new long[1])[0] += n.gpus();
        if (gpusOfModel.isEmpty()) throw new IllegalArgumentException("the node list has no node with GPUs");
        if (gpusOfModel.size() > 62) throw new IllegalArgumentException("more than 62 GPU models in the node list");
        models = List.copyOf(gpusOfModel.keySet());
        gpus = gpusOfModel.values().stream().mapToLong(g -> g[0]).sum();
        List<QuotaSpec> quotas = new ArrayList<>();
        for (var e : gpusOfModel.entrySet()) {
            quotas.add(new QuotaSpec(e.getKey(), (int) Math.min(Integer.MAX_VALUE / 4, e.getValue()[0] * JobSpec.WHOLE_GPU), QuotaSpec.UNLIMITED,
                    QuotaSpec.UNLIMITED));
        }
        tenants = List.of(new TenantSpec("cluster", null, 1, List.of()), new TenantSpec(PROJECT, "cluster", 1, quotas));
        tasks = new ArrayList<>(podList.size());
        Map<PodClass, long[]> classCounts = new LinkedHashMap<>();
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
            PodClass c = new PodClass(new TaskShape(p.cpuMilli(), p.gpus(), p.gpuMilli(), modelNames(mask), 1), p.gpuSpecText());
            classCounts.computeIfAbsent(c, k -> new long[1])[0]++;
        }
        if (tasks.isEmpty()) throw new IllegalArgumentException("the pod list is empty");
        byName = IntStream.range(0, podList.size()).boxed().sorted(java.util.Comparator.comparing(i -> podList.get(i).name()))
                .mapToInt(Integer::intValue).toArray();
        List<PodClass> podClasses = new ArrayList<>();
        classCounts.forEach((c, n) -> {
            TaskShape t = c.shape();
            podClasses.add(new PodClass(new TaskShape(t.cpuMilli(), t.gpus(), t.gpuMilli(), t.models(), n[0]), c.spec()));
        });
        shapes = typicalPods(podClasses, POPULARITY_PCT);
        int last = (int) Math.round(ratio * 100);
        steps = IntStream.rangeClosed(0, last / 10).map(i -> i * 10).toArray();
    }

    /**
     * The cluster with its nodes in {@code order} (indices into the name-sorted node list), so that the policies'
     * "lowest node index on ties" is that order: each run of nodes of one model a block of racks of up to
     * {@value #RACK_NODES} nodes (topology plays no part here). No owner: one pool per model.
     */
    Fleet fleet(int[] order) {
        FleetBuilder b = new FleetBuilder("openb").site("openb");
        String blockModel = null;
        int blocks = 0;
        int inRack = 0;
        for (int i : order) {
            OpenbTrace.Node n = nodes.get(i);
            if (!n.model().equals(blockModel) || inRack == RACK_NODES) {
                if (!n.model().equals(blockModel)) b.block("openb-b" + ++blocks, n.model(), null);
                b.rack("openb-b" + blocks + "-r" + n.name());
                blockModel = n.model();
                inRack = 0;
            }
            b.node(n.name(), n.gpus(), n.cpuMilli(), n.memoryMib());
            inRack++;
        }
        return b.build();
    }

    /**
     * A pod class as the authors' simulator tells them apart: CPU, GPUs, thousandths per GPU and the {@code gpu_spec}
     * string as written ({@code "V100M16|V100M32"} and {@code "V100M16|V100M32|V100M32"} are two classes, as in their
     * {@code PodResource}), with the count of pods in it.
     */
    record PodClass(TaskShape shape, String spec) { }

    /**
     * The authors' "typical pods" (their {@code GetTypicalPods}, with the artifact's settings: CPU-only pods included,
     * popularity threshold 95%, step 1, no GPU weighting): the pod classes from the most frequent down, until they
     * cover {@code popularityPct}% of the pods (the class that crosses it included), their shares renormalised over
     * what is kept. Equal counts go in the authors' order: more CPU first, then more GPU thousandths, more GPUs, the
     * larger {@code gpu_spec} string. Memory is not part of a class (the authors' pod resource has none).
     */
    static List<TaskShape> typicalPods(List<PodClass> classes, int popularityPct) {
        List<PodClass> sorted = new ArrayList<>(classes);
        sorted.sort(java.util.Comparator.comparingLong((PodClass c) -> c.shape().count()).reversed()
                .thenComparing(java.util.Comparator.comparingInt((PodClass c) -> c.shape().cpuMilli()).reversed())
                .thenComparing(java.util.Comparator.comparingInt((PodClass c) -> c.shape().gpuMilli()).reversed())
                .thenComparing(java.util.Comparator.comparingInt((PodClass c) -> c.shape().gpus()).reversed())
                .thenComparing(PodClass::spec, java.util.Comparator.reverseOrder()));
        long total = sorted.stream().mapToLong(c -> c.shape().count()).sum();
        double expected = popularityPct * total / 100.0;
        List<TaskShape> out = new ArrayList<>();
        long cumulative = 0;
        for (PodClass c : sorted) {
            if (cumulative >= expected) break;
            out.add(c.shape());
            cumulative += c.shape().count();
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

    public int nodeCount() { return nodes.size(); }

    public long gpus() { return gpus; }

    public int taskCount() { return tasks.size(); }

    public int taskClasses() { return shapes.size(); }

    public int[] steps() { return steps.clone(); }

    /** The engine configuration of one run: the cluster in the seed's node order, its one project, the policy under test. */
    EngineConfig config(Fleet fleet, String policy, long seed) {
        SchedulerSettings settings = new SchedulerSettings(0, 64, false, 1, 0, PolicyNames.DEFAULT,
                new PlacementSettings(policy, seed, shapes, tasks.size()));
        return new EngineConfig(fleet, tenants, EngineConfig.DEFAULT_CLASSES, List.of(), 7 * EngineConfig.DAY, settings, AssertionLevel.OFF);
    }

    /** What one (policy, seed) run saw at each step. */
    public record Run(String policy, long seed, int tasks, int failed, double[] unallocatedPct, double[] fragmentationPct) { }

    /** Runs every policy with every seed; the list is ordered policy by policy, seed by seed. */
    public List<Run> run(List<String> policies, List<Long> seeds, Progress progress) {
        for (String p : policies) new PlacementSettings(p, 0, shapes, tasks.size()); // unknown names fail before any work
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
        Draw draw = draw(seed);
        Fleet fleet = fleet(draw.nodeOrder());
        TaskMix mix = new TaskMix(shapes, fleet, tasks.size());
        Engine engine = new Engine(config(fleet, policyName, seed).withAssertions(checks));
        double capacity = gpus() * (double) JobSpec.WHOLE_GPU;
        int[] order = draw.arrivals();
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
                fragmentation[next] = 100 * fragmentation(fleet, mix, engine.state().capacity(), gpuLeft) / capacity;
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
    private static double fragmentation(Fleet fleet, TaskMix mix, Capacity c, int[] gpuLeft) {
        double f = 0;
        for (int n = 0; n < fleet.nodeCount(); n++) {
            int count = c.gpuLeft(n, gpuLeft);
            f += mix.fragmentation(c.cpuLeft(n), gpuLeft, count, fleet.modelOfNode(n));
        }
        return f;
    }

    /**
     * Draws the scheduler's informers make from Go's global generator between the tuning and the naming of the nodes in
     * the authors' simulator (client-go's reflectors each draw a watch timeout, {@code rand.Float64}, as the scheduler
     * starts): counted on a run of their simulator built here (seed 42, commit 8f3d641, Go 1.19), where with ten such
     * draws every one of the 995 node names in its log is the one {@link #draw} gives, and with any other count none is.
     */
    static final int INFORMER_DRAWS = 10;

    /** What a seed decides in the authors' simulator: the arrival order, and the order of the nodes on equal scores. */
    record Draw(int[] arrivals, int[] nodeOrder) { }

    /**
     * The seed's draws, exactly as the authors' simulator makes them from Go's global generator ({@code rand.Seed} with
     * the tuning seed, {@code pkg/simulator/core.go}): one {@code rand.Int()} (an argument of a debug log line, drawn
     * whether or not it is printed), the {@link #arrivals}, {@link #INFORMER_DRAWS} draws of the scheduler's informers,
     * then {@code rand.Perm} over the nodes sorted by name, whose i-th value prefixes the i-th node's name ({@code
     * syncClusterResourceList}: {@code "%04d-" + name}). Their {@code selectHost} gives equal scores to the name that
     * sorts first, so the nodes' order on ties is that prefix: random, but the same for every policy of a seed.
     */
    Draw draw(long seed) {
        GoRandom random = new GoRandom(seed);
        random.int63();
        int[] arrivals = arrivals(gpus() * JobSpec.WHOLE_GPU, random);
        for (int k = 0; k < INFORMER_DRAWS; k++) random.int63();
        int[] prefix = random.perm(nodes.size());
        int[] order = new int[prefix.length];
        for (int i = 0; i < prefix.length; i++) order[prefix[i]] = i;
        return new Draw(arrivals, order);
    }

    /**
     * The arrival order, as the authors' simulator makes it ({@code SortClusterPods}, then
     * {@code TunePodsByNodeTotalResource}): the tasks sorted by pod name and shuffled ({@code rand.Shuffle}), then
     * tuned to {@code ratio} × the GPU capacity. Above it, tasks drawn at random are removed ({@code rand.Intn} over
     * what is left), the others keeping their order; below it, tasks drawn at random from the pod list in its own
     * order ({@code rand.Intn} over all, with replacement) are appended until the next draw would go beyond it. The
     * authors test that bound with the drawn task's GPU thousandths <em>per GPU</em> while adding its total, so a
     * multi-GPU draw may pass it and a CPU-only draw never stops the tuning; both kept, to arrive at the same demand.
     */
    int[] arrivals(long capacityMilli, GoRandom random) {
        double target = ratio * capacityMilli;
        int[] shuffled = byName.clone();
        random.shuffle(shuffled);
        List<Integer> list = new ArrayList<>(tasks.size() * 2);
        long total = 0;
        for (int i : shuffled) {
            list.add(i);
            total += totalGpuMilli(tasks.get(i));
        }
        if (total > target) {
            while (total > target && !list.isEmpty()) {
                int at = random.intn(list.size());
                total -= totalGpuMilli(tasks.get(list.remove(at)));
            }
        } else if (total < target && tasks.stream().anyMatch(t -> t.gpus() > 0)) {
            while (true) {
                int i = random.intn(tasks.size());
                TaskShape t = tasks.get(i);
                if (total + t.gpuMilli() > target) break;
                list.add(i);
                total += totalGpuMilli(t);
            }
        }
        return list.stream().mapToInt(Integer::intValue).toArray();
    }
}

package kr.nuri.sim.packing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import kr.nuri.sim.Progress;
import kr.nuri.sim.trace.OpenbTrace;

/**
 * The static packing experiment of the FGD paper (Weng et al., ATC'23, §6): the task list is resampled until
 * its GPU demand is {@code ratio} × the cluster's GPU capacity, shuffled, and placed one task at a time by a
 * policy; nothing ever leaves, a task no node can take is dropped. After each arrival the experiment knows
 * the arrived GPU demand (% of capacity), the unallocated GPU % (100 − allocated thousandths / capacity) and
 * the fragmentation % (Σ_n F_n / capacity, {@link TaskMix}); it keeps them at every 10% step of arrived demand.
 * Each (policy, seed) run is independent; runs go in parallel and the result does not depend on it.
 */
public final class PackingExperiment {
    /** Steps of arrived GPU demand, in % of capacity: 0, 10, …, 130 by default. */
    private final int[] steps;
    private final List<PackingCluster.NodeSpec> nodes;
    private final List<String> models;
    private final List<Task> tasks;
    private final int[] taskClass;
    private final int[] demandClass;
    private final int taskClasses;
    private final int demandClasses;
    private final TaskMix mix;
    private final double ratio;

    public PackingExperiment(List<OpenbTrace.Node> nodeList, List<OpenbTrace.Pod> podList, double ratio) {
        if (!(ratio > 0) || ratio > 10) throw new IllegalArgumentException("ratio=" + ratio + ": must be more than 0 and at most 10. Maybe 1.3?");
        this.ratio = ratio;
        Map<String, Integer> modelIndex = new LinkedHashMap<>();
        nodes = new ArrayList<>();
        for (OpenbTrace.Node n : nodeList) {
            if (n.gpus() == 0) continue; // the GPU experiment packs GPU nodes (CPU-only nodes hold no GPU fragment)
            Integer m = modelIndex.computeIfAbsent(n.model(), k -> modelIndex.size());
            if (m >= 62) throw new IllegalArgumentException("more than 62 GPU models in the node list; model '" + n.model() + "' is one too many");
            nodes.add(new PackingCluster.NodeSpec(n.cpuMilli(), n.memoryMib(), n.gpus(), m));
        }
        if (nodes.isEmpty()) throw new IllegalArgumentException("the node list has no node with GPUs");
        models = List.copyOf(modelIndex.keySet());
        tasks = new ArrayList<>(podList.size());
        for (OpenbTrace.Pod p : podList) {
            long mask = 0;
            if (!p.gpuSpec().isEmpty()) {
                for (String s : p.gpuSpec()) {
                    Integer m = modelIndex.get(s);
                    if (m != null) mask |= 1L << m;
                }
                if (mask == 0) mask = 1L << 63; // only models this cluster lacks: it can run nowhere
            }
            tasks.add(new Task(p.cpuMilli(), p.memoryMib(), p.gpus(), p.gpuMilli(), mask));
        }
        if (tasks.isEmpty()) throw new IllegalArgumentException("the pod list is empty");
        taskClass = new int[tasks.size()];
        demandClass = new int[tasks.size()];
        Map<Task, Integer> shapes = new HashMap<>();
        Map<Long, Integer> demands = new HashMap<>();
        for (int i = 0; i < tasks.size(); i++) {
            Task t = tasks.get(i);
            taskClass[i] = shapes.computeIfAbsent(t, k -> shapes.size());
            demandClass[i] = demands.computeIfAbsent(t.gpus() * 10_000L + t.gpuMilli(), k -> demands.size());
        }
        taskClasses = shapes.size();
        demandClasses = demands.size();
        mix = TaskMix.of(tasks);
        int last = (int) Math.round(ratio * 100);
        steps = IntStream.rangeClosed(0, last / 10).map(i -> i * 10).toArray();
    }

    public List<String> models() { return models; }

    public int nodeCount() { return nodes.size(); }

    public long gpus() { return nodes.stream().mapToLong(PackingCluster.NodeSpec::gpus).sum(); }

    public int taskCount() { return tasks.size(); }

    public int taskClasses() { return mix.classes(); }

    public int[] steps() { return steps.clone(); }

    /** What one (policy, seed) run saw at each step. */
    public record Run(String policy, long seed, int tasks, int failed, double[] unallocatedPct, double[] fragmentationPct) { }

    /** Runs every policy with every seed; the list is ordered policy by policy, seed by seed. */
    public List<Run> run(List<String> policies, List<Long> seeds, Progress progress) {
        for (String p : policies) PackingPolicy.named(p, 0, 1); // unknown names fail before any work
        int runs = policies.size() * seeds.size();
        progress.start("packing " + runs + " runs", runs);
        return IntStream.range(0, runs).parallel().mapToObj(i -> {
            Run r = run(policies.get(i / seeds.size()), seeds.get(i % seeds.size()));
            progress.advance(1);
            return r;
        }).toList();
    }

    /** One run: resample, shuffle, place every task. */
    public Run run(String policyName, long seed) {
        PackingCluster cluster = new PackingCluster(nodes, mix, demandClasses);
        PackingPolicy policy = PackingPolicy.named(policyName, seed, taskClasses);
        int[] order = arrivals(cluster.capacityMilli(), new SplittableRandom(seed));
        double[] unallocated = new double[steps.length];
        double[] fragmentation = new double[steps.length];
        double capacity = cluster.capacityMilli();
        int next = 0;
        long arrived = 0;
        int failed = 0;
        for (int k = 0; k <= order.length; k++) {
            while (next < steps.length && (k == order.length || arrived >= steps[next] / 100.0 * capacity)) {
                unallocated[next] = 100 - 100 * cluster.allocatedMilli() / capacity;
                fragmentation[next] = 100 * cluster.fragmentation() / capacity;
                next++;
            }
            if (k == order.length) break;
            int i = order[k];
            Task t = tasks.get(i);
            arrived += t.totalGpuMilli();
            int n = policy.node(cluster, t, taskClass[i], demandClass[i]);
            if (n < 0) {
                failed++;
                continue;
            }
            cluster.place(n, t, demandClass[i], t.sharing() ? policy.gpu(cluster, t, n) : -1);
        }
        return new Run(policyName, seed, order.length, failed, unallocated, fragmentation);
    }

    /**
     * The arrival order: the task list resampled (when its GPU demand is below ratio × capacity, tasks drawn at
     * random with replacement are added until it is reached; when above, tasks are removed at random until it
     * is not exceeded), then shuffled (Fisher–Yates).
     */
    int[] arrivals(long capacityMilli, SplittableRandom random) {
        long target = Math.round(ratio * capacityMilli);
        List<Integer> list = new ArrayList<>(tasks.size() * 2);
        long total = 0;
        for (int i = 0; i < tasks.size(); i++) {
            list.add(i);
            total += tasks.get(i).totalGpuMilli();
        }
        boolean anyGpu = tasks.stream().anyMatch(t -> t.gpus() > 0);
        boolean grow = total < target;
        while (grow && anyGpu && total < target) {
            int i = random.nextInt(tasks.size());
            list.add(i);
            total += tasks.get(i).totalGpuMilli();
        }
        while (!grow && total > target) {
            int at = random.nextInt(list.size());
            int i = list.get(at);
            list.set(at, list.get(list.size() - 1));
            list.remove(list.size() - 1);
            total -= tasks.get(i).totalGpuMilli();
        }
        int[] order = list.stream().mapToInt(Integer::intValue).toArray();
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int x = order[i];
            order[i] = order[j];
            order[j] = x;
        }
        return order;
    }
}

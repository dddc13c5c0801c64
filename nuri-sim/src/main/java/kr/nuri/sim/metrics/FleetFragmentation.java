package kr.nuri.sim.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import kr.nuri.core.fleet.Fleet;
import kr.nuri.core.fleet.Level;
import kr.nuri.core.job.JobSpec;
import kr.nuri.core.state.StateView;
import kr.nuri.sim.Arrival;
import kr.nuri.sim.Simulation;
import kr.nuri.core.config.PlacementSettings.TaskShape;
import kr.nuri.core.schedule.fit.TaskMix;

/**
 * The FGD paper's fragmentation measure on the engine's fleet, sampled during a run: the expected number of
 * idle GPUs the workload's task mix cannot use ({@link TaskMix}, whole GPUs). A task is one gang member: its
 * GPUs per member on one node, of the GPU models the job allows; the mix is the share of each (GPUs, models)
 * among the arrivals. Only nodes that take work count: a node down or being drained has no idle GPUs here.
 * With whole GPUs a node's fragmentation depends only on its GPU model and its free GPUs, so a sample reads
 * the engine's count of nodes per (model, usable free GPUs) and costs O(models × GPUs per node), not O(nodes).
 */
public final class FleetFragmentation implements Simulation.Sampler {
    private final TaskMix mix;
    private final Fleet fleet;
    /** F_n in GPUs of a node of model m with k free GPUs: [m][k]. */
    private final double[][] byShape;
    private final List<Sample> samples = new ArrayList<>();

    public FleetFragmentation(Fleet fleet, List<Arrival> arrivals) {
        if (fleet.modelCount() > 63) throw new IllegalArgumentException("fleet " + fleet.name() + " has " + fleet.modelCount()
                + " GPU models; fragmentation is measured for at most 63");
        List<TaskShape> tasks = new ArrayList<>(arrivals.size());
        Map<List<String>, List<String>> inFleet = new HashMap<>(); // a job's models this fleet has (none: any)
        for (Arrival a : arrivals) {
            JobSpec spec = a.spec();
            List<String> models = inFleet.computeIfAbsent(spec.models(), ms -> ms.stream().filter(m -> fleet.modelIndex(m) >= 0).toList());
            tasks.add(new TaskShape(0, Math.max(1, Math.min(spec.gpusPerMember(), fleet.maxGpusPerNode())), JobSpec.WHOLE_GPU, models, 1));
        }
        this.mix = new TaskMix(TaskShape.mixOf(tasks), fleet);
        this.fleet = fleet;
        int h = fleet.maxGpusPerNode() + 1;
        byShape = new double[fleet.modelCount()][h];
        int[] left = new int[h - 1];
        for (int m = 0; m < fleet.modelCount(); m++) {
            for (int k = 1; k < h; k++) {
                Arrays.fill(left, 0);
                Arrays.fill(left, 0, k, JobSpec.WHOLE_GPU);
                byShape[m][k] = mix.fragmentation(Integer.MAX_VALUE, left, k, m) / JobSpec.WHOLE_GPU;
            }
        }
    }

    /** A sample: at a virtual time, GPUs idle on nodes that take work, and how many of them are fragments. */
    public record Sample(long time, long idleGpus, double fragmentedGpus) { }

    @Override
    public void sample(long time, StateView state) {
        // Nodes per (pool, usable free GPUs): the fleet level's histogram, one domain per pool (a node's fragments depend on
        // its GPU model).
        int[] nodes = state.capacity().histogram(Level.FLEET, true);
        int h = fleet.maxGpusPerNode() + 1;
        long idle = 0;
        double fragmented = 0;
        for (int p = 0; p < fleet.poolCount(); p++) {
            int m = fleet.modelOfPool(p);
            for (int k = 1; k < h; k++) {
                int count = nodes[p * h + k];
                idle += (long) count * k;
                fragmented += count * byShape[m][k];
            }
        }
        samples.add(new Sample(time, idle, fragmented));
    }

    public List<Sample> samples() { return List.copyOf(samples); }
}

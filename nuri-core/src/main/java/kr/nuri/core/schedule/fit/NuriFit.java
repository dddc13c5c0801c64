package kr.nuri.core.schedule.fit;

import java.util.Arrays;
import kr.nuri.core.fleet.Fleet;
import kr.nuri.core.job.JobSpec;
import kr.nuri.core.state.Capacity;

/**
 * {@code nuri}, the fleet's default node fit.
 *
 * <p>Without the workload's task mix: best fit on GPUs, the node with the fewest GPU thousandths left after placement
 * (the classic bin-packing best fit, as in Slurm's {@code select/cons_tres} default of packing GPUs onto used nodes).
 *
 * <p>With a task mix (a fleet file's {@code taskMix}), three keys in order:
 * <ol>
 * <li>For a job that may use GPUs of more than one model, the GPU model that the mix's constrained classes press least:
 * per model, the GPU demand per task of the classes that name their models (spread evenly over the models each names),
 * over the model's open free GPUs now ({@link TaskMix#constrainedDemand}). Work that can run anywhere goes where the
 * work that cannot needs it least, and moves on as that model fills (the balance rule of online b-matching,
 * Kalyanasundaram and Pruhs, "An optimal deterministic algorithm for online b-matching", TCS 2000, weighted by the
 * demand that only some models can serve). Models no class names tie, and a mix without constrained classes leaves
 * this key out.</li>
 * <li>Fragmentation gradient descent as the FGD paper's authors score it ({@link FragmentationGradientFit}: Weng et al.,
 * USENIX ATC'23).</li>
 * <li>Among the nodes it cannot tell apart, a node already in use before an idle one (consolidation, as Kubernetes'
 * MostAllocated and Slurm's packing: an idle node stays whole for the gangs that need one), then the lowest node.</li>
 * </ol>
 * On the openb workloads it leaves 4.72 / 2.89 / 13.29 / 6.37% of the GPUs unallocated at 100% arrived (default /
 * multigpu50 / gpushare100 / gpuspec33) against FGD's 4.77 / 2.91 / 13.36 / 12.16 (docs/fgd-reproduction.md).
 */
public final class NuriFit extends NodeFit {
    private final FragmentationGradientFit fgd;
    /** Per GPU model, the constrained classes' demand per task; null when the mix has none or the fleet one model. */
    private final double[] demand;
    private final double[] pressure;
    private final Integer[] byPressure;
    /** Per GPU model, its rank by pressure for the job being placed (equal pressures share a rank), when {@link #ranked}. */
    private final int[] rank;
    private boolean ranked;

    /** Best fit on GPUs (no task mix). */
    public NuriFit(Capacity capacity, Fleet fleet) {
        this(capacity, fleet, null);
    }

    /** {@code mix}: the workload's task mix, or null for best fit on GPUs. */
    public NuriFit(Capacity capacity, Fleet fleet, TaskMix mix) {
        super(capacity, fleet);
        this.fgd = mix == null ? null : new FragmentationGradientFit(capacity, fleet, mix);
        double[] d = mix == null || fleet.modelCount() < 2 ? null : mix.constrainedDemand(fleet.modelCount());
        this.demand = d != null && Arrays.stream(d).anyMatch(x -> x > 0) ? d : null;
        this.pressure = demand == null ? null : new double[demand.length];
        this.byPressure = demand == null ? null : new Integer[demand.length];
        this.rank = demand == null ? null : new int[demand.length];
    }

    @Override
    protected void begin(JobSpec spec) {
        if (fgd == null) return;
        fgd.begin(spec);
        ranked = false;
        if (demand == null || spec.gpusPerMember() == 0 || spec.models().size() == 1) return;
        for (int m = 0; m < demand.length; m++) {
            pressure[m] = demand[m] / Math.max(1, capacity.freeGpus(m, false));
            byPressure[m] = m;
        }
        Arrays.sort(byPressure, (a, b) -> Double.compare(pressure[a], pressure[b]));
        rank[byPressure[0]] = 0;
        for (int k = 1; k < byPressure.length; k++) {
            int m = byPressure[k];
            rank[m] = pressure[m] == pressure[byPressure[k - 1]] ? rank[byPressure[k - 1]] : k;
        }
        ranked = true;
    }

    @Override
    protected double score(int n, JobSpec spec) {
        if (fgd == null) return capacity.gpuMilliLeft(n) - spec.gpuMilliPerMember();
        boolean idle = capacity.free(n) == fleet.nodeGpus(n) && capacity.sharedSlots(n) == 0;
        // FGD's score is an integer from -100 to 0 (lower is better): the keys stay apart.
        double fit = fgd.score(n, spec) * 2 + (idle ? 1 : 0);
        return ranked ? rank[fleet.modelOfNode(n)] * 1000 + fit : fit;
    }

    @Override
    protected int slotFor(int n, JobSpec spec) {
        return fgd == null ? super.slotFor(n, spec) : fgd.slotFor(n, spec);
    }
}

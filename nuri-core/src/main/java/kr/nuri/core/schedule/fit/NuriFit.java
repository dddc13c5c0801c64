package kr.nuri.core.schedule.fit;

import kr.nuri.core.fleet.Fleet;
import kr.nuri.core.job.JobSpec;
import kr.nuri.core.state.Capacity;

/**
 * {@code nuri}, the fleet's default node fit.
 *
 * <p>Without the workload's task mix: best fit on GPUs, the node with the fewest GPU thousandths left after placement
 * (the classic bin-packing best fit, as in Slurm's {@code select/cons_tres} default of packing GPUs onto used nodes).
 *
 * <p>With a task mix (a fleet file's {@code taskMix}): fragmentation gradient descent as the FGD paper's authors score it
 * ({@link FragmentationGradientFit}: Weng et al., USENIX ATC'23), and among the nodes it cannot tell apart a node already
 * in use before an idle one (consolidation, as Kubernetes' MostAllocated and Slurm's packing: an idle node stays whole
 * for the gangs that need one), then the lowest node. On the openb workloads it leaves 4.76 / 2.92 / 13.47 / 12.00% of
 * the GPUs unallocated at 100% arrived (default / multigpu50 / gpushare100 / gpuspec33) against FGD's 4.92 / 2.92 /
 * 13.61 / 12.03 (docs/fgd-reproduction.md).
 */
public final class NuriFit extends NodeFit {
    private final FragmentationGradientFit fgd;

    /** Best fit on GPUs (no task mix). */
    public NuriFit(Capacity capacity, Fleet fleet) {
        this(capacity, fleet, null);
    }

    /** {@code mix}: the workload's task mix, or null for best fit on GPUs. */
    public NuriFit(Capacity capacity, Fleet fleet, TaskMix mix) {
        super(capacity, fleet);
        this.fgd = mix == null ? null : new FragmentationGradientFit(capacity, fleet, mix);
    }

    @Override
    protected void begin(JobSpec spec) {
        if (fgd != null) fgd.begin(spec);
    }

    @Override
    protected double score(int n, JobSpec spec) {
        if (fgd == null) return capacity.gpuMilliLeft(n) - spec.gpuMilliPerMember();
        boolean idle = capacity.free(n) == fleet.nodeGpus(n) && capacity.sharedSlots(n) == 0;
        return fgd.score(n, spec) * 2 + (idle ? 1 : 0); // FGD's integer score first, then in use before idle
    }

    @Override
    protected int slotFor(int n, JobSpec spec) {
        return fgd == null ? super.slotFor(n, spec) : fgd.slotFor(n, spec);
    }
}

package kr.nuri.core.schedule.fit;

import kr.nuri.core.job.JobSpec;
import kr.nuri.core.state.Capacity;
import kr.nuri.core.fleet.Fleet;

/**
 * {@code nuri}, the fleet's default: best fit on GPUs, the node with the fewest GPU thousandths left after placement
 * (the classic bin-packing best fit, as in Slurm's {@code select/cons_tres} default of packing GPUs onto used nodes).
 */
public final class BestGpuFit extends NodeFit {
    public BestGpuFit(Capacity capacity, Fleet fleet) { super(capacity, fleet); }

    @Override
    protected double score(int n, JobSpec spec) {
        return capacity.gpuMilliLeft(n) - spec.gpuMilliPerMember();
    }
}

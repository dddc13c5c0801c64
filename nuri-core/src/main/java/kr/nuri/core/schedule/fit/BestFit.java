package kr.nuri.core.schedule.fit;

import kr.nuri.core.fleet.Fleet;
import kr.nuri.core.job.JobSpec;
import kr.nuri.core.state.Capacity;

/**
 * {@code bestfit}: the node with the least resources left after placement, Σ_d left_d / capacity_d over CPU, memory
 * and GPU (multi-resource best fit, Panigrahy et al., "Heuristics for Vector Bin Packing", 2011; the FGD paper's
 * baseline, ATC'23 §6.1).
 */
public final class BestFit extends NodeFit {
    public BestFit(Capacity capacity, Fleet fleet) { super(capacity, fleet); }

    @Override
    protected double score(int n, JobSpec spec) {
        double score = 0;
        int cpuCap = fleet.nodeCpuMilli(n);
        if (cpuCap > 0) score += (double) (capacity.cpuLeft(n) - spec.cpuMilli()) / cpuCap;
        long memCap = fleet.nodeMemoryMib(n);
        if (memCap > 0) score += (double) (capacity.memoryLeft(n) - spec.memoryMib()) / memCap;
        return score + (capacity.gpuMilliLeft(n) - spec.gpuMilliPerMember()) / gpuCapacity(n);
    }
}

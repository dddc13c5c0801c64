package kr.nuri.core.schedule.fit;

import kr.nuri.core.fleet.Fleet;
import kr.nuri.core.job.JobSpec;
import kr.nuri.core.state.Capacity;

/**
 * {@code dotprod}: the node whose free resources align best with the demand, the largest Σ_d demand_d·free_d over
 * CPU, memory and GPU, each normalised by the node's capacity (Grandl et al., "Multi-Resource Packing for Cluster
 * Schedulers" (Tetris), SIGCOMM'14; a baseline of the FGD paper, ATC'23 §6.1).
 */
public final class DotProductFit extends NodeFit {
    public DotProductFit(Capacity capacity, Fleet fleet) { super(capacity, fleet); }

    @Override protected boolean largerIsBetter() { return true; }

    @Override
    protected double score(int n, JobSpec spec) {
        double score = 0;
        int cpuCap = fleet.nodeCpuMilli(n);
        if (cpuCap > 0) score += (double) spec.cpuMilli() / cpuCap * capacity.cpuLeft(n) / cpuCap;
        long memCap = fleet.nodeMemoryMib(n);
        if (memCap > 0) score += (double) spec.memoryMib() / memCap * capacity.memoryLeft(n) / memCap;
        double gpuCap = gpuCapacity(n);
        return score + spec.gpuMilliPerMember() / gpuCap * capacity.gpuMilliLeft(n) / gpuCap;
    }
}

package kr.nuri.core.schedule.fit;

import kr.nuri.core.fleet.Fleet;
import kr.nuri.core.job.JobSpec;
import kr.nuri.core.state.Capacity;

/**
 * {@code packing}: a GPU already shared before a free GPU of a node in use before an idle node; in each tier the
 * node with the least GPU left (the GPU-packing heuristic of Gandiva and AntMan, as the FGD paper's baseline, ATC'23
 * §6.1).
 */
public final class PackingFit extends NodeFit {
    public PackingFit(Capacity capacity, Fleet fleet) { super(capacity, fleet); }

    /** Tier (0 = a shared GPU serves it, 1 = the node is in use, 2 = idle node) then GPU left, as one number. */
    @Override
    protected double score(int n, JobSpec spec) {
        long left = capacity.gpuMilliLeft(n);
        int tier;
        if (left == (long) fleet.nodeGpus(n) * JobSpec.WHOLE_GPU) {
            tier = 2;
        } else if (spec.sharing()) {
            tier = fullestSharedSlot(n, spec.gpuMilli()) >= 0 ? 0 : 1;
        } else {
            tier = 1;
        }
        return tier * 1e9 + left;
    }
}

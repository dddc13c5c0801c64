package kr.nuri.core.schedule.fit;

import kr.nuri.core.fleet.Fleet;
import kr.nuri.core.job.JobSpec;
import kr.nuri.core.state.Capacity;
import kr.nuri.core.state.State;

/**
 * {@code clustering}: the node already hosting the most node-fit jobs of the same GPU demand (GPUs, thousandths),
 * ties to the node with the least GPU left (Jeon et al.'s affinity-style clustering, as the FGD paper's baseline,
 * ATC'23 §6.1).
 */
public final class ClusteringFit extends NodeFit {
    private int[] hosted;

    public ClusteringFit(Capacity capacity, Fleet fleet) { super(capacity, fleet); }

    @Override
    protected void begin(JobSpec spec) {
        hosted = capacity.hostedOf(State.demand(spec));
    }

    @Override
    protected double score(int n, JobSpec spec) {
        return -(hosted == null ? 0 : hosted[n]) * 1e7 + capacity.gpuMilliLeft(n);
    }
}

package kr.nuri.core.event;

import kr.nuri.core.award.AwardSpec;
import kr.nuri.core.fleet.Health;
import kr.nuri.core.job.JobSpec;
import kr.nuri.core.job.Outcome;
import kr.nuri.core.tenancy.TenantPolicy;

/**
 * What happened. The engine's state changes only by replaying these, in order; the journal stores them.
 * Node and pool references are indexes into the fleet the engine was built with (the journal names them).
 */
public sealed interface Event {
    long time();

    record JobSubmitted(long time, JobSpec spec, long seq) implements Event {}

    /**
     * A gang started whole on {@code nodes}, holding {@code gpus[i]} whole GPUs on {@code nodes[i]}. A job sharing
     * a GPU holds no whole GPU ({@code gpus[0] == 0}) and its share of the node's shared GPU {@code slots[0]};
     * {@code slots} is null for every other job.
     */
    record JobStarted(long time, String jobId, int pool, int[] nodes, int[] gpus, boolean borrowed, int[] slots) implements Event {
        public JobStarted(long time, String jobId, int pool, int[] nodes, int[] gpus, boolean borrowed) {
            this(time, jobId, pool, nodes, gpus, borrowed, null);
        }
    }

    /**
     * A job's run ended, or a pending job was cancelled. GPUs were held until {@code heldUntil} (≤ time when
     * a walltime expired); {@code requeued} puts the job back in the queue at its old place.
     */
    record JobEnded(long time, String jobId, Outcome outcome, long heldUntil, boolean requeued, String cause)
            implements Event {}

    /** A node's health changed; {@code reason}: why, as the operator said it (null: none, and in rows of builds before reasons). */
    record NodeHealthChanged(long time, int node, Health health, String reason) implements Event {
        public NodeHealthChanged(long time, int node, Health health) {
            this(time, node, health, null);
        }
    }
    /** A waiting or running job's walltime changed. */
    record WalltimeSet(long time, String jobId, long walltime) implements Event {}
    /** A waiting job held (out of the queue, keeping its place) or released. */
    record JobHeld(long time, String jobId, boolean held) implements Event {}

    record QuotaSet(long time, int tenant, int pool, int nominal, int borrowingLimit, int lendingLimit) implements Event {}

    record AwardGranted(long time, AwardSpec award) implements Event {}

    /**
     * A tenant created at runtime, after the fleet file's (its index is the next); by name. Replayed where the tenant
     * already exists under the same parent (the fleet file has listed it since), it changes nothing.
     */
    record TenantCreated(long time, String name, String parent, double weight, boolean isolated) implements Event {}
    /**
     * A block added at runtime after every node ({@link kr.nuri.core.fleet.Fleet#withBlock}); by name. Replayed where the
     * fleet has the block already (the fleet file lists it since), it changes nothing.
     */
    record BlockAdded(long time, String site, String block, String model, String owner, int racks, int nodesPerRack, int gpusPerNode)
            implements Event {}
    /** A block given to another owner (its nodes move to that owner's pool of their model); by name. */
    record BlockOwnerChanged(long time, String block, String owner) implements Event {}
    /** A tenant retired (no new jobs in its subtree) or reinstated; the tenant by name. */
    record TenantRetired(long time, String tenant, boolean retired) implements Event {}

    /** A tenant's policy (classes, walltimes, awards required) replaced; the tenant by name. */
    record TenantPolicySet(long time, String tenant, TenantPolicy policy) implements Event {}

    record AwardRevised(long time, String awardId, long budgetGpuSeconds, long to) implements Event {}

    /** The top blocked job will start at {@code start} on these nodes; backfill may not delay it. */
    record ReservationMade(long time, String jobId, long start, int pool, int[] nodes) implements Event {}

    record ReservationReleased(long time, String jobId) implements Event {}

    /** Time passed with nothing else happening (a Tick). */
    record ClockAdvanced(long time) implements Event {}
}

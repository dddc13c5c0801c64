package kr.nuri.core.command;

import kr.nuri.core.award.AwardSpec;
import kr.nuri.core.job.JobSpec;
import kr.nuri.core.tenancy.TenantPolicy;

/**
 * What the outside world asks of the engine. Every command carries its own time (seconds); the engine
 * never reads a clock. Times must not go backwards.
 */
public sealed interface Command {
    long time();

    /** Queue a job. */
    record SubmitJob(long time, JobSpec spec) implements Command {}

    /** Cancel a pending or running job. */
    record CancelJob(long time, String jobId) implements Command {}

    /** Holds a waiting job (it keeps its place and is not considered), or with {@code hold == false} releases it. */
    record HoldJob(long time, String jobId, boolean hold) implements Command {}
    /**
     * Sets a job's walltime (Slurm's {@code update TimeLimit}): within its class's and its tenant's limits, past what a
     * running job has run, and within its award's budget left when it grows.
     */
    record SetWalltime(long time, String jobId, long walltime) implements Command {}
    /**
     * Puts a running job back in the queue at its old place (its run's work is lost, as in a preemption); {@code cause}
     * says why (null: "requeued"), and {@code hold} holds it there (a site refused to run it: not started again until
     * released).
     */
    record RequeueJob(long time, String jobId, String cause, boolean hold) implements Command {
        public RequeueJob(long time, String jobId) {
            this(time, jobId, null, false);
        }
    }
    /**
     * A running job ended on its own (successfully or not). A site's cluster manager says more: {@code outcome}
     * (COMPLETED, FAILED, TIMEOUT, CANCELLED, or NODE_FAILURE, which requeues the job as a node failure does; null = from
     * {@code success}), {@code ranSeconds} (how long the run held its GPUs there, from its own start and end; -1 = until
     * now) and {@code cause} (null = "finished").
     */
    record JobFinished(long time, String jobId, boolean success, kr.nuri.core.job.Outcome outcome, long ranSeconds, String cause)
            implements Command {
        public JobFinished(long time, String jobId, boolean success) {
            this(time, jobId, success, null, -1, null);
        }
    }

    /** A node failed: its jobs end (and are requeued unless they said otherwise); it takes no work. */
    record NodeDown(long time, String node) implements Command {}

    /** A node is healthy again. */
    record NodeUp(long time, String node) implements Command {}

    /** An operator drains a node: its jobs go on, no new job starts there; {@code reason} says why (null: none given). */
    record DrainNode(long time, String node, String reason) implements Command {
        public DrainNode(long time, String node) {
            this(time, node, null);
        }
    }
    /**
     * Adds a block of {@code racks} × {@code nodesPerRack} nodes with {@code gpusPerNode} GPUs of {@code model}, owned by
     * {@code owner} (a tenant; null: no one), in {@code site} (named as the fleet file names its nodes).
     */
    record AddBlock(long time, String site, String block, String model, String owner, int racks, int nodesPerRack, int gpusPerNode)
            implements Command {}
    /** Gives a block that runs no job (drain it first) to another owner. */
    record SetBlockOwner(long time, String block, String owner) implements Command {}
    /** An operator retires a drained (or down) node that holds no job: it takes no work again, and its GPUs leave its pool. */
    record RetireNode(long time, String node) implements Command {}

    /** Sets a tenant's quota for one GPU model. */
    record SetQuota(long time, String tenant, String model, int nominal, int borrowingLimit, int lendingLimit)
            implements Command {}

    /** Replaces a tenant's policy: which priority classes its jobs may use, for how long, and whether they need an award. */
    record SetTenantPolicy(long time, String tenant, TenantPolicy policy) implements Command {}

    /**
     * Retires a tenant: no new jobs in its subtree; with {@code cancelJobs} its waiting and running jobs are cancelled,
     * else they go on. {@code retired == false} reinstates it.
     */
    record RetireTenant(long time, String tenant, boolean retired, boolean cancelJobs) implements Command {}

    /**
     * Creates an organisation or a project under {@code parent}, with no quota and its parent's policy (set them by
     * {@link SetQuota} and {@link SetTenantPolicy}); {@code isolated}: its subtree will lend nothing outside itself.
     */
    record CreateTenant(long time, String name, String parent, double weight, boolean isolated) implements Command {}
    /** Grants a new award. */
    record GrantAward(long time, AwardSpec award) implements Command {}

    /** Changes an award's budget or end (a top-up or a clawback). */
    record ReviseAward(long time, String awardId, long budgetGpuSeconds, long to) implements Command {}

    /**
     * The clock moved: ends jobs past their walltime, activates or closes dedicated awards, and runs a full
     * scheduling pass that gives every waiting job a reason and an estimated start ({@code fullPass}), or only the
     * incremental pass a completion triggers (a walltime that just ended: its GPUs go back at once, without the cost of
     * a full pass over the backlog).
     */
    record Tick(long time, boolean fullPass) implements Command {
        public Tick(long time) {
            this(time, true);
        }
    }
}

package kr.nuri.config.yaml;

import java.util.List;
import java.util.Map;

/**
 * The YAML schema of a Nuri fleet file, as records. See {@code fleets/korea-2025.yaml} for a documented
 * example. Unknown fields are errors so a typo never silently becomes a default.
 */
public record FleetFile(String name, String description, List<Site> sites, List<Tenant> tenants,
                        List<PriorityClassEntry> priorityClasses, List<Award> awards, Double fairShareHalfLifeHours,
                        Scheduler scheduler) {

    /** A site, its InfiniBand blocks, and who executes the jobs Nuri starts there ({@code backend}; absent = virtual). */
    public record Site(String name, List<Block> blocks, Backend backend) {}

    /**
     * A site's execution backend. {@code type}: {@code virtual} (a job ends when its runtime has elapsed, or when a client
     * says so) or {@code slurm}: through slurmrestd at {@code url} (openapi/v0.0.38), authenticated by a JWT minted from the
     * HS256 key in {@code jwtKey} (renewed before it expires) or read from {@code tokenFile} (re-read when it changes);
     * jobs go to {@code partition} (one only Nuri submits to) as {@code user}; {@code nodeMap} maps Nuri's node names to
     * Slurm's where they differ. {@code pollSeconds}: how often one list call reads the jobs and nodes back;
     * {@code graceSeconds}: between the TERM of a cancel or preemption and the KILL; {@code unknownTimeoutSeconds}: how long
     * a site out of contact is only unknown before its running jobs are ended as lost. {@code priority}: the Slurm priority
     * every run is submitted with (needs {@code user} to be a Slurm operator): runs of equal priority do not wait behind
     * one another, so slurmctld starts each as it is submitted instead of at its next scheduling cycle (Nuri has already
     * decided the order and the nodes).
     */
    public record Backend(String type, String url, String user, String jwtKey, String tokenFile, String partition,
                          Map<String, String> nodeMap, Double pollSeconds, Double graceSeconds, Double unknownTimeoutSeconds,
                          Long priority) {}

    /**
     * A block of one GPU model. Compact form: {@code count} identical blocks (named name-1..name-N) of
     * {@code racks} racks × {@code nodesPerRack} nodes × {@code gpusPerNode} GPUs, each node with
     * {@code cpuMilliPerNode} CPU thousandths and {@code memoryMibPerNode} MiB (optional: not modelled when absent).
     * Explicit form: {@code rackList}.
     */
    public record Block(String name, Integer count, String model, String owner, Integer racks, Integer nodesPerRack,
                        Integer gpusPerNode, Integer cpuMilliPerNode, Long memoryMibPerNode, List<Rack> rackList) {}

    public record Rack(String name, List<Node> nodes) {}

    /** A node: GPUs (8 when absent), CPU in thousandths of a core and memory in MiB (optional). */
    public record Node(String name, Integer gpus, Integer cpuMilli, Long memoryMib) {}

    /**
     * A quota-tree node. {@code quotas} maps a GPU model to either a number (the nominal quota) or an object
     * with nominal, borrowingLimit and lendingLimit. {@code isolated: true} lends nothing outside the subtree.
     */
    /**
     * A node of the quota tree. {@code awardRequired}, {@code unawardedScavengers} and {@code classes} (priority class →
     * the longest walltime in hours, 0 = the class's own) are its policy, inherited by its subtree where unset.
     */
    public record Tenant(String name, String parent, Double weight, Boolean isolated, Map<String, Object> quotas,
                         Boolean awardRequired, Boolean unawardedScavengers, Map<String, Double> classes) {}

    public record PriorityClassEntry(String name, Integer priority, Double defaultWalltimeHours, Double maxWalltimeHours,
                                     Boolean preemptible) {}

    /** kind BUDGET (gpuHours) or DEDICATED (gpus of model); from/to are ISO dates or date-times (UTC). */
    public record Award(String id, String tenant, String kind, String model, Double gpuHours, Integer gpus, String from,
                        String to) {}

    /**
     * Scheduler knobs. {@code placement}: how jobs asking for a GPU share, CPU or memory choose their node (nuri,
     * random, dotprod, clustering, packing, bestfit, fgd); {@code placementSeed} seeds random; {@code taskMix}, the
     * workload's task classes, is what fgd measures fragmentation against (required by it).
     */
    public record Scheduler(Integer reservations, Integer probeDepth, Boolean preemption, Integer maxVictims,
                            Double preemptExemptMinutes, String queueOrder, String placement, Long placementSeed,
                            List<TaskClass> taskMix, String admission, String gangPlacement, String preemptionPolicy,
                            String backfill) {}

    /** A class of the workload's task mix: CPU thousandths, GPUs, thousandths per GPU (1000 = whole), models, count. */
    public record TaskClass(Integer cpuMilli, Integer gpus, Integer gpuMilli, List<String> models, Long count) {}
}

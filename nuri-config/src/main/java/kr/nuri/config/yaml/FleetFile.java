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

    /** A site and its InfiniBand blocks. */
    public record Site(String name, List<Block> blocks) {}

    /**
     * A block of one GPU model. Compact form: {@code count} identical blocks (named name-1..name-N) of
     * {@code racks} racks × {@code nodesPerRack} nodes × {@code gpusPerNode} GPUs. Explicit form: {@code rackList}.
     */
    public record Block(String name, Integer count, String model, String owner, Integer racks, Integer nodesPerRack,
                        Integer gpusPerNode, List<Rack> rackList) {}

    public record Rack(String name, List<Node> nodes) {}

    public record Node(String name, Integer gpus) {}

    /**
     * A quota-tree node. {@code quotas} maps a GPU model to either a number (the nominal quota) or an object
     * with nominal, borrowingLimit and lendingLimit. {@code isolated: true} lends nothing outside the subtree.
     */
    public record Tenant(String name, String parent, Double weight, Boolean isolated, Map<String, Object> quotas) {}

    public record PriorityClassEntry(String name, Integer priority, Double defaultWalltimeHours, Double maxWalltimeHours,
                                     Boolean preemptible) {}

    /** kind BUDGET (gpuHours) or DEDICATED (gpus of model); from/to are ISO dates or date-times (UTC). */
    public record Award(String id, String tenant, String kind, String model, Double gpuHours, Integer gpus, String from,
                        String to) {}

    public record Scheduler(Integer reservations, Integer probeDepth, Boolean preemption, Integer maxVictims,
                            Double preemptExemptMinutes, String queueOrder) {}
}

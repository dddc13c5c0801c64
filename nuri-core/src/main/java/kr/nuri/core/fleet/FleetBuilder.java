package kr.nuri.core.fleet;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Builds a {@link Fleet} top-down: a site, then its blocks, each block's racks, each rack's nodes.
 * Calls must come in that nesting order; {@link #racks} adds many identical racks at once so that the
 * national fleet's 32,500 nodes need not be listed one by one.
 *
 * <p>Errors are {@link IllegalArgumentException}s naming the element and the value; the YAML reader
 * prefixes them with the file and field.
 */
public final class FleetBuilder {
    private final String name;
    private final List<String> models = new ArrayList<>();
    private final List<String> siteNames = new ArrayList<>();
    private final List<Integer> siteFirstBlock = new ArrayList<>();
    private final List<String> blockNames = new ArrayList<>();
    private final List<Integer> blockSite = new ArrayList<>();
    private final List<Integer> blockModel = new ArrayList<>();
    private final List<String> blockOwner = new ArrayList<>();
    private final List<Integer> blockFirstRack = new ArrayList<>();
    private final List<String> rackNames = new ArrayList<>();
    private final List<Integer> rackBlock = new ArrayList<>();
    private final List<Integer> rackFirstNode = new ArrayList<>();
    private final List<String> nodeNames = new ArrayList<>();
    private final List<Integer> nodeRack = new ArrayList<>();
    private final List<Integer> nodeGpus = new ArrayList<>();
    private final List<Integer> nodeCpu = new ArrayList<>();
    private final List<Long> nodeMemory = new ArrayList<>();
    private final Set<String> names = new HashSet<>();

    public FleetBuilder(String name) {
        this.name = requireName("fleet", name);
    }

    private static String requireName(String what, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " name is empty. Maybe give it a name?");
        }
        return value;
    }

    private void unique(String kind, String value) {
        if (!names.add(kind + ":" + value)) {
            throw new IllegalArgumentException(kind + " name '" + value + "' is used twice. Maybe number them?");
        }
    }

    /** Starts a new site. */
    public FleetBuilder site(String site) {
        unique("site", requireName("site", site));
        siteNames.add(site);
        siteFirstBlock.add(blockNames.size());
        return this;
    }

    /**
     * Continues a site named before in a new segment after everything built so far (blocks added at runtime go after
     * every node, so that no index moves): a topology domain of its own until the fleet file lists the blocks in the site.
     */
    FleetBuilder segment(String site) {
        names.add("site:" + requireName("site", site));
        siteNames.add(site);
        siteFirstBlock.add(blockNames.size());
        return this;
    }

    /** Starts a new InfiniBand block of one GPU model, owned by a tenant (whose hardware it is). */
    public FleetBuilder block(String block, String model, String owner) {
        if (siteNames.isEmpty()) throw new IllegalArgumentException("block '" + block + "' comes before any site");
        unique("block", requireName("block", block));
        requireName("GPU model of block " + block, model);
        int m = -1;
        for (int i = 0; i < models.size(); i++) {
            if (models.get(i).equalsIgnoreCase(model)) m = i;
        }
        if (m < 0) {
            models.add(model);
            m = models.size() - 1;
        }
        blockNames.add(block);
        blockSite.add(siteNames.size() - 1);
        blockModel.add(m);
        blockOwner.add(owner == null || owner.isBlank() ? Fleet.UNASSIGNED : owner);
        blockFirstRack.add(rackNames.size());
        return this;
    }

    /** Starts a new rack (an NVLink domain for NVL72-style racks). */
    public FleetBuilder rack(String rack) {
        if (blockNames.isEmpty()) throw new IllegalArgumentException("rack '" + rack + "' comes before any block");
        unique("rack", requireName("rack", rack));
        rackNames.add(rack);
        rackBlock.add(blockNames.size() - 1);
        rackFirstNode.add(nodeNames.size());
        return this;
    }

    /** Adds a node with a number of GPUs to the current rack (its CPU and memory not modelled). */
    public FleetBuilder node(String node, int gpus) {
        return node(node, gpus, 0, 0);
    }

    /**
     * Adds a node with GPUs, CPU (thousandths of a core) and memory (MiB) to the current rack. CPU and memory
     * 0 = not modelled: jobs' CPU and memory requests are then not checked on that node.
     */
    public FleetBuilder node(String node, int gpus, int cpuMilli, long memoryMib) {
        if (cpuMilli < 0) throw new IllegalArgumentException("node '" + node + "' has cpuMilli=" + cpuMilli + ". Maybe 0 (not modelled) or more?");
        if (memoryMib < 0) throw new IllegalArgumentException("node '" + node + "' has memoryMib=" + memoryMib + ". Maybe 0 (not modelled) or more?");
        if (rackNames.isEmpty()) throw new IllegalArgumentException("node '" + node + "' comes before any rack");
        unique("node", requireName("node", node));
        if (gpus < 1 || gpus > 64) {
            throw new IllegalArgumentException("node '" + node + "' has gpus=" + gpus
                    + ". Maybe a number from 1 to 64 (8 for HGX, 4 for GB200/GH200 trays)?");
        }
        nodeNames.add(node);
        nodeRack.add(rackNames.size() - 1);
        nodeGpus.add(gpus);
        nodeCpu.add(cpuMilli);
        nodeMemory.add(memoryMib);
        return this;
    }

    /**
     * Adds {@code count} racks of {@code nodesPerRack} nodes with {@code gpusPerNode} GPUs each to the
     * current block; racks are named {@code <block>-r<i>} and nodes {@code <rack>-n<j>}.
     */
    public FleetBuilder racks(int count, int nodesPerRack, int gpusPerNode) {
        return racks(count, nodesPerRack, gpusPerNode, 0, 0);
    }

    /** As {@link #racks(int, int, int)}, each node with CPU thousandths and memory MiB (0 = not modelled). */
    public FleetBuilder racks(int count, int nodesPerRack, int gpusPerNode, int cpuMilli, long memoryMib) {
        if (blockNames.isEmpty()) throw new IllegalArgumentException("racks come before any block");
        String block = blockNames.get(blockNames.size() - 1);
        if (count < 1) throw new IllegalArgumentException("block '" + block + "' racks=" + count + ". Maybe at least 1?");
        if (nodesPerRack < 1) {
            throw new IllegalArgumentException("block '" + block + "' nodesPerRack=" + nodesPerRack + ". Maybe at least 1?");
        }
        int first = rackNames.size() - blockFirstRack.get(blockFirstRack.size() - 1);
        for (int r = 0; r < count; r++) {
            String rack = block + "-r" + (first + r + 1);
            rack(rack);
            for (int n = 0; n < nodesPerRack; n++) {
                node(rack + "-n" + (n + 1), gpusPerNode, cpuMilli, memoryMib);
            }
        }
        return this;
    }

    public Fleet build() {
        return build(List.of());
    }

    /** As {@link #build()}, the pools in {@code priorPools} keeping their indexes (and existing, empty, when no block is left in one). */
    Fleet build(List<String> priorPools) {
        if (nodeNames.isEmpty()) throw new IllegalArgumentException("fleet '" + name + "' has no nodes. Maybe add a site with a block?");
        for (int s = 0; s < siteNames.size(); s++) {
            int end = s + 1 < siteFirstBlock.size() ? siteFirstBlock.get(s + 1) : blockNames.size();
            if (end == siteFirstBlock.get(s)) throw new IllegalArgumentException("site '" + siteNames.get(s) + "' has no blocks");
        }
        for (int b = 0; b < blockNames.size(); b++) {
            int end = b + 1 < blockFirstRack.size() ? blockFirstRack.get(b + 1) : rackNames.size();
            if (end == blockFirstRack.get(b)) throw new IllegalArgumentException("block '" + blockNames.get(b) + "' has no racks");
        }
        for (int r = 0; r < rackNames.size(); r++) {
            int end = r + 1 < rackFirstNode.size() ? rackFirstNode.get(r + 1) : nodeNames.size();
            if (end == rackFirstNode.get(r)) throw new IllegalArgumentException("rack '" + rackNames.get(r) + "' has no nodes");
        }
        return new Fleet(name, models, siteNames.toArray(String[]::new), withEnd(siteFirstBlock, blockNames.size()),
                blockNames.toArray(String[]::new), ints(blockSite), ints(blockModel), blockOwner.toArray(String[]::new),
                withEnd(blockFirstRack, rackNames.size()), rackNames.toArray(String[]::new), ints(rackBlock),
                withEnd(rackFirstNode, nodeNames.size()), nodeNames.toArray(String[]::new), ints(nodeRack), ints(nodeGpus),
                ints(nodeCpu), nodeMemory.stream().mapToLong(Long::longValue).toArray(), priorPools);
    }

    private static int[] ints(List<Integer> l) {
        return l.stream().mapToInt(Integer::intValue).toArray();
    }

    private static int[] withEnd(List<Integer> starts, int end) {
        int[] a = new int[starts.size() + 1];
        for (int i = 0; i < starts.size(); i++) a[i] = starts.get(i);
        a[starts.size()] = end;
        return a;
    }
}

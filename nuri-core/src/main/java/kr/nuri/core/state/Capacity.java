package kr.nuri.core.state;

import kr.nuri.core.fleet.Fleet;
import kr.nuri.core.fleet.Health;
import kr.nuri.core.fleet.Level;
import kr.nuri.core.util.IntList;
import kr.nuri.core.util.LowestBitSet;
import kr.nuri.core.util.MaxTree;

/**
 * Free GPUs, kept incrementally per topology domain so that placement searches domains, not nodes.
 *
 * <p>For every rack, block, (site, model) and model it keeps a histogram: how many nodes have k usable free
 * GPUs (k = 0..max GPUs per node). A node's usable free count is its free GPUs when it is up, else 0. Two
 * histograms are kept: over all nodes, and over <em>open</em> nodes (not held by a reservation), because a
 * backfill job that would outlive a reservation may use only open nodes. Per model, nodes are also bucketed
 * by free count for O(1) best-fit of single-node jobs.
 */
public final class Capacity {
    private final Fleet fleet;
    private final int h;
    private final int models;
    private final int[] free;
    private final Health[] health;
    private final boolean[] reserved;
    private final int[][] all = new int[Level.values().length][];
    private final int[][] open = new int[Level.values().length][];
    private final long[] freeAll;
    private final long[] freeOpen;
    /**
     * Per (model, usable free GPUs): the nodes in that state. Best fit takes the lowest node index, a choice
     * that depends only on the current state, never on the order of past events, so an engine restored from
     * a snapshot places exactly as the one that took it.
     */
    private final LowestBitSet[][] openBags;
    private final LowestBitSet[][] reservedBags;
    /** Per GPU model, free GPUs per rack and per block (all nodes / open nodes), over the model's domain lists. */
    private final MaxTree[][] rackTrees;
    private final MaxTree[][] blockTrees;
    private final int[] rackSlot;
    private final int[] blockSlot;
    private final long[][] domainFree;
    private final boolean[] rackDirty;
    private final boolean[] blockDirty;
    private final IntList dirtyRacks = new IntList();
    private final IntList dirtyBlocks = new IntList();
    private long growth;

    public Capacity(Fleet fleet) {
        this.fleet = fleet;
        this.h = fleet.maxGpusPerNode() + 1;
        this.models = fleet.modelCount();
        int n = fleet.nodeCount();
        free = new int[n];
        health = new Health[n];
        reserved = new boolean[n];
        int[] domains = {0, fleet.rackCount(), fleet.blockCount(), fleet.siteCount() * models, models};
        for (Level l : Level.values()) {
            if (l == Level.NODE) continue;
            all[l.ordinal()] = new int[domains[l.ordinal()] * h];
            open[l.ordinal()] = new int[domains[l.ordinal()] * h];
        }
        freeAll = new long[models];
        freeOpen = new long[models];
        openBags = new LowestBitSet[models][h];
        reservedBags = new LowestBitSet[models][h];
        for (int m = 0; m < models; m++) {
            for (int k = 1; k < h; k++) {
                openBags[m][k] = new LowestBitSet(n);
                reservedBags[m][k] = new LowestBitSet(n);
            }
        }
        rackSlot = new int[fleet.rackCount()];
        blockSlot = new int[fleet.blockCount()];
        rackTrees = new MaxTree[2][models];
        blockTrees = new MaxTree[2][models];
        for (int m = 0; m < models; m++) {
            int[] racks = fleet.racksOfModel(m);
            for (int i = 0; i < racks.length; i++) rackSlot[racks[i]] = i;
            int[] blocks = fleet.blocksOfModel(m);
            for (int i = 0; i < blocks.length; i++) blockSlot[blocks[i]] = i;
            for (int v = 0; v < 2; v++) {
                rackTrees[v][m] = new MaxTree(racks.length);
                blockTrees[v][m] = new MaxTree(blocks.length);
            }
        }
        rackDirty = new boolean[fleet.rackCount()];
        blockDirty = new boolean[fleet.blockCount()];
        domainFree = new long[4][];
        domainFree[0] = new long[fleet.rackCount()];
        domainFree[1] = new long[fleet.rackCount()];
        domainFree[2] = new long[fleet.blockCount()];
        domainFree[3] = new long[fleet.blockCount()];
        for (int node = 0; node < n; node++) {
            free[node] = fleet.nodeGpus(node);
            health[node] = Health.UP;
            attach(node);
            retree(node, 0, false);
        }
    }

    public Fleet fleet() { return fleet; }

    /**
     * A counter that moves whenever usable free GPUs grow anywhere (a release, a node back up, a reservation
     * lifted): a placement that failed stays failed while it is unchanged (not part of the state).
     */
    public long growth() {
        return growth;
    }

    /** Usable free GPUs on a node: 0 unless it is up. */
    public int usable(int node) {
        return health[node] == Health.UP ? free[node] : 0;
    }

    public int free(int node) { return free[node]; }
    public Health health(int node) { return health[node]; }
    public boolean reserved(int node) { return reserved[node]; }
    public long freeGpus(int model, boolean includeReserved) { return includeReserved ? freeAll[model] : freeOpen[model]; }

    public long totalFree(boolean includeReserved) {
        long t = 0;
        for (int m = 0; m < models; m++) t += includeReserved ? freeAll[m] : freeOpen[m];
        return t;
    }

    /** The histogram array for a level; entry [domain * width + k] counts nodes with k usable free GPUs. */
    public int[] histogram(Level level, boolean includeReserved) {
        return includeReserved ? all[level.ordinal()] : open[level.ordinal()];
    }

    /** Members of {@code g} GPUs that fit in a domain (each member on one node). */
    public long members(Level level, int domain, int g, boolean includeReserved) {
        int[] hist = histogram(level, includeReserved);
        int base = domain * h;
        long c = 0;
        for (int k = g; k < h; k++) c += (long) hist[base + k] * (k / g);
        return c;
    }

    /** Usable free GPUs in a domain. */
    public long freeIn(Level level, int domain, boolean includeReserved) {
        int[] hist = histogram(level, includeReserved);
        int base = domain * h;
        long c = 0;
        for (int k = 1; k < h; k++) c += (long) hist[base + k] * k;
        return c;
    }

    /** Best-fit node for one member: the node of the model with the fewest usable free GPUs ≥ g, or -1. */
    public int bestFitNode(int model, int g, boolean includeReserved) {
        for (int k = g; k < h; k++) {
            if (!openBags[model][k].isEmpty()) return openBags[model][k].lowest();
            if (includeReserved && !reservedBags[model][k].isEmpty()) return reservedBags[model][k].lowest();
        }
        return -1;
    }

    public void take(int node, int gpus) {
        int before = usable(node);
        detach(node);
        free[node] -= gpus;
        if (free[node] < 0) throw new IllegalStateException("node " + fleet.nodeName(node) + " over-allocated by " + (-free[node]));
        attach(node);
        retree(node, before, reserved[node]);
    }

    public void release(int node, int gpus) {
        int before = usable(node);
        detach(node);
        free[node] += gpus;
        if (free[node] > fleet.nodeGpus(node)) {
            throw new IllegalStateException("node " + fleet.nodeName(node) + " released more GPUs than it has");
        }
        attach(node);
        retree(node, before, reserved[node]);
    }

    public void setHealth(int node, Health state) {
        int before = usable(node);
        detach(node);
        health[node] = state;
        attach(node);
        retree(node, before, reserved[node]);
    }

    public void setReserved(int node, boolean value) {
        if (reserved[node] == value) return;
        int before = usable(node);
        detach(node);
        reserved[node] = value;
        attach(node);
        retree(node, before, !value);
    }

    private void detach(int node) {
        update(node, -1);
        int e = usable(node);
        if (e > 0) (reserved[node] ? reservedBags : openBags)[fleet.modelOfNode(node)][e].remove(node);
    }

    private void attach(int node) {
        update(node, 1);
        int e = usable(node);
        if (e > 0) (reserved[node] ? reservedBags : openBags)[fleet.modelOfNode(node)][e].add(node);
    }

    private void update(int node, int sign) {
        int e = usable(node);
        int m = fleet.modelOfNode(node);
        int rack = fleet.rackOfNode(node);
        int block = fleet.blockOfRack(rack);
        int site = fleet.siteOfBlock(block) * models + m;
        bump(all, rack, block, site, m, e, sign);
        freeAll[m] += (long) sign * e;
        if (!reserved[node]) {
            bump(open, rack, block, site, m, e, sign);
            freeOpen[m] += (long) sign * e;
        }
    }

    /**
     * Applies one node change to the per-domain free counts. The trees are refreshed lazily, when a search
     * asks (a preemption search lifts and restores many jobs between two searches).
     */
    private void retree(int node, int oldUsable, boolean oldReserved) {
        int e = usable(node);
        int dAll = e - oldUsable;
        int dOpen = (reserved[node] ? 0 : e) - (oldReserved ? 0 : oldUsable);
        if (dAll == 0 && dOpen == 0) return;
        if (dAll > 0 || dOpen > 0) growth++;
        int rack = fleet.rackOfNode(node);
        int block = fleet.blockOfRack(rack);
        domainFree[0][rack] += dAll;
        domainFree[2][block] += dAll;
        domainFree[1][rack] += dOpen;
        domainFree[3][block] += dOpen;
        if (!rackDirty[rack]) {
            rackDirty[rack] = true;
            dirtyRacks.add(rack);
        }
        if (!blockDirty[block]) {
            blockDirty[block] = true;
            dirtyBlocks.add(block);
        }
    }

    private void flushTrees() {
        for (int i = 0; i < dirtyRacks.size(); i++) {
            int r = dirtyRacks.get(i);
            int m = fleet.modelOfBlock(fleet.blockOfRack(r));
            rackTrees[1][m].set(rackSlot[r], domainFree[0][r]);
            rackTrees[0][m].set(rackSlot[r], domainFree[1][r]);
            rackDirty[r] = false;
        }
        for (int i = 0; i < dirtyBlocks.size(); i++) {
            int b = dirtyBlocks.get(i);
            int m = fleet.modelOfBlock(b);
            blockTrees[1][m].set(blockSlot[b], domainFree[2][b]);
            blockTrees[0][m].set(blockSlot[b], domainFree[3][b]);
            blockDirty[b] = false;
        }
        dirtyRacks.clear();
        dirtyBlocks.clear();
    }

    /**
     * Visits the racks or blocks of a model with at least {@code gpus} usable free GPUs (open ones only unless
     * {@code includeReserved}), in the order of the fleet's per-model domain lists.
     */
    public void forEachDomainWithFree(Level level, int model, long gpus, boolean includeReserved, java.util.function.IntConsumer visit) {
        int[] domains = level == Level.RACK ? fleet.racksOfModel(model) : fleet.blocksOfModel(model);
        if (!dirtyRacks.isEmpty() || !dirtyBlocks.isEmpty()) flushTrees();
        MaxTree t = (level == Level.RACK ? rackTrees : blockTrees)[includeReserved ? 1 : 0][model];
        t.forEachAtLeast(gpus, i -> visit.accept(domains[i]));
    }

    private void bump(int[][] hist, int rack, int block, int site, int m, int e, int sign) {
        hist[Level.RACK.ordinal()][rack * h + e] += sign;
        hist[Level.BLOCK.ordinal()][block * h + e] += sign;
        hist[Level.SITE.ordinal()][site * h + e] += sign;
        hist[Level.FLEET.ordinal()][m * h + e] += sign;
    }
}

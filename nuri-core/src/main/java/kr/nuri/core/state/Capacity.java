package kr.nuri.core.state;

import kr.nuri.core.job.JobSpec;
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
 *
 * <p>A measured hot path (every placement, release and preemption search reads or updates it): the histograms, buckets
 * and per-node arrays stay in this one class, over the 400 lines a class here should keep to.
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
    /** CPU (thousandths) and memory (MiB) left per node; MAX_VALUE where the fleet does not model them. */
    private final int[] cpuLeft;
    private final long[] memLeft;
    /** Per GPU slot ({@code fleet.gpuBase(node) + slot}): thousandths taken by shares; 0 = the slot holds no share. */
    private final int[] shareUsed;
    /** Per node: slots holding shares (each takes one of the node's GPUs out of its whole free GPUs). */
    private final int[] sharedSlots;
    /** Per node: thousandths still free on its shared slots. */
    private final int[] sharedRoom;
    /** Per model: shared slots with room for more (taken by shares, not full). */
    private final long[] roomySlots;
    /** Per node: a counter that moves whenever anything of the node changes (for placement caches; not state). */
    private final int[] version;
    /** Per GPU model: a counter that moves whenever anything of one of its nodes changes (for search memos; not state). */
    private final long[] modelVersion;
    /** Per GPU demand (GPUs × 10,000 + thousandths): node-fit jobs on each node (the clustering policy's count). */
    private final java.util.Map<Long, int[]> hosted = new java.util.HashMap<>();

    public Capacity(Fleet fleet) {
        this.fleet = fleet;
        this.h = fleet.maxGpusPerNode() + 1;
        this.models = fleet.poolCount();
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
            int[] racks = fleet.racksOfPool(m);
            for (int i = 0; i < racks.length; i++) rackSlot[racks[i]] = i;
            int[] blocks = fleet.blocksOfPool(m);
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
        cpuLeft = new int[n];
        memLeft = new long[n];
        shareUsed = new int[fleet.gpuBase(n)];
        sharedSlots = new int[n];
        sharedRoom = new int[n];
        roomySlots = new long[models];
        version = new int[n];
        modelVersion = new long[models];
        for (int node = 0; node < n; node++) {
            cpuLeft[node] = fleet.nodeCpuMilli(node) > 0 ? fleet.nodeCpuMilli(node) : Integer.MAX_VALUE;
            memLeft[node] = fleet.nodeMemoryMib(node) > 0 ? fleet.nodeMemoryMib(node) : Long.MAX_VALUE;
        }
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

    /** CPU thousandths left on a node (Integer.MAX_VALUE when the fleet does not model its CPU). */
    public int cpuLeft(int node) { return cpuLeft[node]; }

    /** Memory MiB left on a node (Long.MAX_VALUE when not modelled). */
    public long memoryLeft(int node) { return memLeft[node]; }

    /** Thousandths taken by shares on a node's shared GPU slot (0 = the slot is not shared). */
    public int shareUsed(int node, int slot) { return shareUsed[fleet.gpuBase(node) + slot]; }

    /** Slots of a node that hold shares. */
    public int sharedSlots(int node) { return sharedSlots[node]; }

    /** GPU thousandths left on a node: its whole free GPUs and the room on its shared slots. */
    public long gpuMilliLeft(int node) { return (long) free[node] * JobSpec.WHOLE_GPU + sharedRoom[node]; }

    /** Per node, the node-fit jobs of a GPU demand (GPUs × 10,000 + thousandths), or null when none ever ran. */
    public int[] hostedOf(long demand) { return hosted.get(demand); }

    /** The GPU demands (GPUs × 10,000 + thousandths) node-fit jobs have ever had, for {@link #hostedOf}. */
    public java.util.Set<Long> hostedDemands() { return java.util.Collections.unmodifiableSet(hosted.keySet()); }

    /** Shared GPU slots of a model that have room for another share. */
    public long roomySharedSlots(int model) { return roomySlots[model]; }

    /** Changes whenever the node's GPUs, CPU, memory, health or reservation change: a key for caches, not state. */
    public int version(int node) { return version[node]; }

    /** Changes whenever anything of a node of the model changes: a key for caches, not state. */
    public long modelVersion(int model) { return modelVersion[model]; }

    private void touch(int node) {
        version[node]++;
        modelVersion[fleet.poolOfNode(node)]++;
    }

    /**
     * Thousandths left on each GPU of a node, into {@code out} (at least {@code fleet.nodeGpus(node)} long): its shared
     * slots first (in slot order), then its whole free GPUs (1000 each), then the GPUs jobs hold whole (0).
     * Returns the node's GPU count.
     */
    public int gpuLeft(int node, int[] out) {
        int count = fleet.nodeGpus(node);
        int k = 0;
        int base = fleet.gpuBase(node);
        if (sharedSlots[node] > 0) {
            for (int s = 0; s < count; s++) if (shareUsed[base + s] > 0) out[k++] = JobSpec.WHOLE_GPU - shareUsed[base + s];
        }
        for (int i = 0; i < free[node]; i++) out[k++] = JobSpec.WHOLE_GPU;
        while (k < count) out[k++] = 0;
        return count;
    }

    /**
     * A node-fit job takes what it asked of a node: whole GPUs, or {@code milli} thousandths of shared slot
     * {@code slot} (a slot that held no share takes one whole free GPU first), and CPU and memory.
     */
    public void takeNodeFit(int node, int wholeGpus, int slot, int milli, int cpu, long memory, long demand) {
        if (slot >= 0) {
            int i = fleet.gpuBase(node) + slot;
            int m = fleet.poolOfNode(node);
            if (shareUsed[i] == 0) {
                take(node, 1);
                sharedSlots[node]++;
                sharedRoom[node] += JobSpec.WHOLE_GPU;
            } else if (shareUsed[i] < JobSpec.WHOLE_GPU) {
                roomySlots[m]--;
            }
            shareUsed[i] += milli;
            sharedRoom[node] -= milli;
            if (shareUsed[i] > JobSpec.WHOLE_GPU) throw new IllegalStateException("GPU slot " + slot + " of node " + fleet.nodeName(node) + " over-shared: " + shareUsed[i]);
            if (shareUsed[i] < JobSpec.WHOLE_GPU) roomySlots[m]++;
        } else if (wholeGpus > 0) {
            take(node, wholeGpus);
        }
        if (cpuLeft[node] != Integer.MAX_VALUE) cpuLeft[node] -= cpu;
        if (memLeft[node] != Long.MAX_VALUE) memLeft[node] -= memory;
        if (cpuLeft[node] < 0 || memLeft[node] < 0) throw new IllegalStateException("node " + fleet.nodeName(node) + " over-allocated in CPU or memory");
        hosted.computeIfAbsent(demand, d -> new int[free.length])[node]++;
        touch(node);
    }

    /** Gives back what {@link #takeNodeFit} took. */
    public void releaseNodeFit(int node, int wholeGpus, int slot, int milli, int cpu, long memory, long demand) {
        if (slot >= 0) {
            int i = fleet.gpuBase(node) + slot;
            int m = fleet.poolOfNode(node);
            if (shareUsed[i] < JobSpec.WHOLE_GPU) roomySlots[m]--;
            shareUsed[i] -= milli;
            sharedRoom[node] += milli;
            if (shareUsed[i] < 0) throw new IllegalStateException("GPU slot " + slot + " of node " + fleet.nodeName(node) + " released more than it held");
            if (shareUsed[i] == 0) {
                sharedSlots[node]--;
                sharedRoom[node] -= JobSpec.WHOLE_GPU;
                release(node, 1);
            } else {
                roomySlots[m]++;
            }
        } else if (wholeGpus > 0) {
            release(node, wholeGpus);
        }
        if (cpuLeft[node] != Integer.MAX_VALUE) cpuLeft[node] += cpu;
        if (memLeft[node] != Long.MAX_VALUE) memLeft[node] += memory;
        hosted.get(demand)[node]--;
        touch(node);
    }

    public void take(int node, int gpus) {
        touch(node);
        int before = usable(node);
        detach(node);
        free[node] -= gpus;
        if (free[node] < 0) throw new IllegalStateException("node " + fleet.nodeName(node) + " over-allocated by " + (-free[node]));
        attach(node);
        retree(node, before, reserved[node]);
    }

    public void release(int node, int gpus) {
        touch(node);
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
        touch(node);
        int before = usable(node);
        detach(node);
        health[node] = state;
        attach(node);
        retree(node, before, reserved[node]);
    }

    public void setReserved(int node, boolean value) {
        if (reserved[node] == value) return;
        touch(node);
        int before = usable(node);
        detach(node);
        reserved[node] = value;
        attach(node);
        retree(node, before, !value);
    }

    private void detach(int node) {
        update(node, -1);
        int e = usable(node);
        if (e > 0) (reserved[node] ? reservedBags : openBags)[fleet.poolOfNode(node)][e].remove(node);
    }

    private void attach(int node) {
        update(node, 1);
        int e = usable(node);
        if (e > 0) (reserved[node] ? reservedBags : openBags)[fleet.poolOfNode(node)][e].add(node);
    }

    private void update(int node, int sign) {
        int e = usable(node);
        int m = fleet.poolOfNode(node);
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
            int m = fleet.poolOfBlock(fleet.blockOfRack(r));
            rackTrees[1][m].set(rackSlot[r], domainFree[0][r]);
            rackTrees[0][m].set(rackSlot[r], domainFree[1][r]);
            rackDirty[r] = false;
        }
        for (int i = 0; i < dirtyBlocks.size(); i++) {
            int b = dirtyBlocks.get(i);
            int m = fleet.poolOfBlock(b);
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
        int[] domains = level == Level.RACK ? fleet.racksOfPool(model) : fleet.blocksOfPool(model);
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

package kr.nuri.core.fleet;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The immutable topology of a fleet: sites, InfiniBand blocks, racks (NVLink domains), nodes.
 *
 * <p>Stored as flat arrays because the national fleet has ~32,500 nodes and placement walks them on the hot
 * path. Nodes are numbered so that every rack, block and site is a contiguous range of node indexes, which
 * makes any domain an interval. Every block holds one GPU model (an InfiniBand scalable unit is homogeneous);
 * a site may hold several. Build one with {@link FleetBuilder}.
 *
 * <p>Every block also has an owner (a tenant). A <em>pool</em> is the capacity of one owner in one GPU model
 * (Kueue's ResourceFlavor): the engine places, indexes and counts quota per pool, so the per-model lists below are
 * per pool. A pool is named by its model, {@code B200@naicc}, or by the model alone when its blocks name no owner
 * (a fleet without owners has one pool per model, with the model's name).
 */
public final class Fleet {
    private final String name;
    private final List<String> models;
    private final String[] siteNames;
    private final int[] siteFirstBlock;
    private final String[] blockNames;
    private final int[] blockSite;
    private final int[] blockModel;
    private final String[] blockOwner;
    private final int[] blockPool;
    private final List<String> pools;
    private final int[] poolModel;
    private final String[] poolOwner;
    private final int[] blockFirstRack;
    private final String[] rackNames;
    private final int[] rackBlock;
    private final int[] rackFirstNode;
    private final String[] nodeNames;
    private final int[] nodeRack;
    private final int[] nodeGpus;
    private final int maxGpusPerNode;
    private final Map<String, Integer> nodeIndex;
    private final int[][] blocksByPool;
    private final int[][] racksByPool;
    private final int[][] blocksBySitePool;
    private final int[][] siteDomainsByPool;
    private final long[] gpusByModel;
    private final long[] gpusByPool;
    private final long[] gpusByBlock;
    private final int[] nodeCpuMilli;
    private final long[] nodeMemoryMib;
    private final int[] gpuBase;
    private final int[][] nodesByPool;

    Fleet(String name, List<String> models, String[] siteNames, int[] siteFirstBlock, String[] blockNames,
          int[] blockSite, int[] blockModel, String[] blockOwner, int[] blockFirstRack, String[] rackNames,
          int[] rackBlock, int[] rackFirstNode, String[] nodeNames, int[] nodeRack, int[] nodeGpus,
          int[] nodeCpuMilli, long[] nodeMemoryMib, List<String> priorPools) {
        this.nodeCpuMilli = nodeCpuMilli;
        this.nodeMemoryMib = nodeMemoryMib;
        this.gpuBase = new int[nodeGpus.length + 1];
        for (int n = 0; n < nodeGpus.length; n++) gpuBase[n + 1] = gpuBase[n] + nodeGpus[n];
        this.name = name;
        this.models = List.copyOf(models);
        this.siteNames = siteNames;
        this.siteFirstBlock = siteFirstBlock;
        this.blockNames = blockNames;
        this.blockSite = blockSite;
        this.blockModel = blockModel;
        this.blockOwner = blockOwner;
        this.blockFirstRack = blockFirstRack;
        this.rackNames = rackNames;
        this.rackBlock = rackBlock;
        this.rackFirstNode = rackFirstNode;
        this.nodeNames = nodeNames;
        this.nodeRack = nodeRack;
        this.nodeGpus = nodeGpus;
        this.maxGpusPerNode = Arrays.stream(nodeGpus).max().orElse(0);
        this.nodeIndex = new HashMap<>(nodeNames.length * 2);
        for (int i = 0; i < nodeNames.length; i++) {
            nodeIndex.put(nodeNames[i], i);
        }
        List<String> poolNames = new ArrayList<>();
        List<Integer> pm = new ArrayList<>();
        List<String> po = new ArrayList<>();
        for (String prior : priorPools) {
            int at = prior.lastIndexOf('@');
            poolNames.add(prior);
            pm.add(models.indexOf(at < 0 ? prior : prior.substring(0, at)));
            po.add(at < 0 ? UNASSIGNED : prior.substring(at + 1));
        }
        this.blockPool = new int[blockNames.length];
        for (int b = 0; b < blockNames.length; b++) {
            String owner = blockOwner[b];
            String pool = UNASSIGNED.equals(owner) ? models.get(blockModel[b]) : models.get(blockModel[b]) + "@" + owner;
            int p = poolNames.indexOf(pool);
            if (p < 0) {
                p = poolNames.size();
                poolNames.add(pool);
                pm.add(blockModel[b]);
                po.add(owner);
            }
            blockPool[b] = p;
        }
        this.pools = List.copyOf(poolNames);
        this.poolModel = pm.stream().mapToInt(Integer::intValue).toArray();
        this.poolOwner = po.toArray(String[]::new);
        int m = pools.size();
        List<List<Integer>> bm = lists(m);
        List<List<Integer>> rm = lists(m);
        List<List<Integer>> bsm = lists(siteNames.length * m);
        gpusByModel = new long[models.size()];
        gpusByPool = new long[m];
        for (int b = 0; b < blockNames.length; b++) {
            bm.get(blockPool[b]).add(b);
            bsm.get(blockSite[b] * m + blockPool[b]).add(b);
            for (int r = blockFirstRack[b]; r < blockFirstRack[b + 1]; r++) {
                rm.get(blockPool[b]).add(r);
            }
        }
        gpusByBlock = new long[blockNames.length];
        for (int n = 0; n < nodeGpus.length; n++) {
            gpusByModel[modelOfNode(n)] += nodeGpus[n];
            gpusByPool[poolOfNode(n)] += nodeGpus[n];
            gpusByBlock[blockOfNode(n)] += nodeGpus[n];
        }
        blocksByPool = toArrays(bm);
        racksByPool = toArrays(rm);
        List<List<Integer>> nm = lists(m);
        for (int n = 0; n < nodeGpus.length; n++) nm.get(poolOfNode(n)).add(n);
        nodesByPool = toArrays(nm);
        blocksBySitePool = toArrays(bsm);
        List<List<Integer>> sdm = lists(m);
        for (int s = 0; s < siteNames.length; s++) {
            for (int k = 0; k < m; k++) {
                if (blocksBySitePool[s * m + k].length > 0) sdm.get(k).add(s * m + k);
            }
        }
        siteDomainsByPool = toArrays(sdm);
    }

    private static List<List<Integer>> lists(int n) {
        List<List<Integer>> l = new ArrayList<>(n);
        for (int i = 0; i < n; i++) l.add(new ArrayList<>());
        return l;
    }

    private static int[][] toArrays(List<List<Integer>> lists) {
        int[][] out = new int[lists.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = lists.get(i).stream().mapToInt(Integer::intValue).toArray();
        }
        return out;
    }

    /** A block's owner when the fleet file names none: no tenant owns it, so every tenant's subtree may claim it. */
    public static final String UNASSIGNED = "unassigned";

    public String name() { return name; }
    /** The GPU models, in first-seen order. */
    public List<String> models() { return models; }
    public int modelCount() { return models.size(); }

    /** The pools (owner × GPU model), in first-seen order of their blocks; the engine's per-pool indexes use this order. */
    public List<String> pools() { return pools; }
    public int poolCount() { return pools.size(); }
    public String poolName(int p) { return pools.get(p); }
    /** The GPU model of a pool. */
    public int modelOfPool(int p) { return poolModel[p]; }
    /** The owner (a tenant name, or {@link #UNASSIGNED}) of a pool. */
    public String ownerOfPool(int p) { return poolOwner[p]; }

    /** Whether a job that names {@code asked} (a GPU model or a pool) may run on {@code modelOrPool} (a GPU model or a pool). */
    public boolean covers(String modelOrPool, String asked) {
        if (modelOrPool.equalsIgnoreCase(asked)) return true;
        int p = poolIndex(modelOrPool);
        int q = poolIndex(asked);
        String model = p >= 0 ? models.get(modelOfPool(p)) : modelOrPool;
        return q < 0 ? model.equalsIgnoreCase(asked) : p < 0 && models.get(modelOfPool(q)).equalsIgnoreCase(modelOrPool);
    }

    /** Index of a pool by name (case-insensitive), or -1. */
    public int poolIndex(String pool) {
        for (int i = 0; i < pools.size(); i++) {
            if (pools.get(i).equalsIgnoreCase(pool)) return i;
        }
        return -1;
    }

    /** Index of a GPU model by name (case-insensitive), or -1. */
    public int modelIndex(String model) {
        for (int i = 0; i < models.size(); i++) {
            if (models.get(i).equalsIgnoreCase(model)) return i;
        }
        return -1;
    }

    public int siteCount() { return siteNames.length; }
    public int blockCount() { return blockNames.length; }
    public int rackCount() { return rackNames.length; }
    public int nodeCount() { return nodeNames.length; }
    public int maxGpusPerNode() { return maxGpusPerNode; }

    public String siteName(int s) { return siteNames[s]; }
    public String blockName(int b) { return blockNames[b]; }
    public String rackName(int r) { return rackNames[r]; }
    public String nodeName(int n) { return nodeNames[n]; }

    /** Node index by name, or -1. */
    public int nodeIndex(String node) {
        Integer i = nodeIndex.get(node);
        return i == null ? -1 : i;
    }

    public int nodeGpus(int n) { return nodeGpus[n]; }
    /** A node's CPU in thousandths of a core; 0 = not modelled (jobs' CPU requests are not checked there). */
    public int nodeCpuMilli(int n) { return nodeCpuMilli[n]; }
    /** A node's memory in MiB; 0 = not modelled. */
    public long nodeMemoryMib(int n) { return nodeMemoryMib[n]; }
    /** Whether any node models CPU or memory. */
    public boolean modelsNodeResources() {
        for (int n = 0; n < nodeCpuMilli.length; n++) if (nodeCpuMilli[n] > 0 || nodeMemoryMib[n] > 0) return true;
        return false;
    }
    /** The index of a node's first GPU among all the fleet's GPUs (node order); {@code gpuBase(nodeCount())} = all GPUs. */
    public int gpuBase(int n) { return gpuBase[n]; }
    /** The nodes of a pool, in node order. */
    public int[] nodesOfPool(int pool) { return nodesByPool[pool]; }
    public int rackOfNode(int n) { return nodeRack[n]; }
    public int blockOfNode(int n) { return rackBlock[nodeRack[n]]; }
    public int siteOfNode(int n) { return blockSite[blockOfNode(n)]; }
    /** A node's GPU model. */
    public int modelOfNode(int n) { return blockModel[blockOfNode(n)]; }
    public int poolOfNode(int n) { return blockPool[blockOfNode(n)]; }

    public int blockOfRack(int r) { return rackBlock[r]; }
    public int siteOfBlock(int b) { return blockSite[b]; }
    public int modelOfBlock(int b) { return blockModel[b]; }
    public int poolOfBlock(int b) { return blockPool[b]; }
    public String ownerOfBlock(int b) { return blockOwner[b]; }

    public int firstNodeOfRack(int r) { return rackFirstNode[r]; }
    public int endNodeOfRack(int r) { return rackFirstNode[r + 1]; }
    public int firstRackOfBlock(int b) { return blockFirstRack[b]; }
    public int endRackOfBlock(int b) { return blockFirstRack[b + 1]; }
    public int firstBlockOfSite(int s) { return siteFirstBlock[s]; }
    public int endBlockOfSite(int s) { return siteFirstBlock[s + 1]; }
    public int firstNodeOfBlock(int b) { return rackFirstNode[blockFirstRack[b]]; }
    public int endNodeOfBlock(int b) { return rackFirstNode[blockFirstRack[b + 1]]; }

    /** Blocks of a pool. */
    public int[] blocksOfPool(int pool) { return blocksByPool[pool]; }
    /** Racks of a pool. */
    public int[] racksOfPool(int pool) { return racksByPool[pool]; }
    /** Blocks of a site in a pool. */
    public int[] blocksOfSitePool(int site, int pool) { return blocksBySitePool[site * pools.size() + pool]; }

    /** The SITE-level domains (site × pools + pool, as {@link #domainOf}) that hold GPUs of a pool. */
    public int[] siteDomainsOfPool(int pool) { return siteDomainsByPool[pool]; }

    /** GPUs of a GPU model, over all its pools. */
    public long gpusOfModel(int model) { return gpusByModel[model]; }
    public long gpusOfPool(int pool) { return gpusByPool[pool]; }
    public long gpusOfBlock(int block) { return gpusByBlock[block]; }

    public long totalGpus() {
        long t = 0;
        for (long g : gpusByModel) t += g;
        return t;
    }

    /** The domain index of a node at a level: node, rack, block, site*pools+pool, or pool for the fleet. */
    public int domainOf(Level level, int node) {
        return switch (level) {
            case NODE -> node;
            case RACK -> nodeRack[node];
            case BLOCK -> blockOfNode(node);
            case SITE -> siteOfNode(node) * pools.size() + poolOfNode(node);
            case FLEET -> poolOfNode(node);
        };
    }

    /** Block index by name, or -1. */
    public int blockIndex(String block) {
        for (int b = 0; b < blockNames.length; b++) if (blockNames[b].equals(block)) return b;
        return -1;
    }

    /**
     * This fleet with a block of {@code racks} × {@code nodesPerRack} nodes of {@code gpusPerNode} GPUs appended after every
     * node (named as the fleet file names them: {@code <block>-r<i>-n<j>}), so that no node, rack, block, site or pool
     * index moves: in its site when that site comes last, else in a new segment of it (a topology domain of its own).
     */
    public Fleet withBlock(String site, String block, String model, String owner, int racks, int nodesPerRack, int gpusPerNode) {
        FleetBuilder b = rebuilt(-1, null);
        if (siteNames[siteNames.length - 1].equals(site)) {
            // the last site continues
        } else if (java.util.Arrays.asList(siteNames).contains(site)) {
            b.segment(site);
        } else {
            b.site(site);
        }
        b.block(block, model, owner).racks(racks, nodesPerRack, gpusPerNode);
        return b.build(pools);
    }

    /** This fleet with block {@code block}'s owner changed: its nodes move to that owner's pool (appended when new); no index moves. */
    public Fleet withOwner(int block, String owner) {
        return rebuilt(block, owner).build(pools);
    }

    /** A builder holding this fleet as it is (block {@code changed}'s owner replaced by {@code owner}). */
    private FleetBuilder rebuilt(int changed, String owner) {
        FleetBuilder b = new FleetBuilder(name);
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int s = 0; s < siteNames.length; s++) {
            if (seen.add(siteNames[s])) b.site(siteNames[s]); else b.segment(siteNames[s]);
            for (int k = siteFirstBlock[s]; k < siteFirstBlock[s + 1]; k++) {
                b.block(blockNames[k], models.get(blockModel[k]), k == changed ? owner : blockOwner[k]);
                for (int r = blockFirstRack[k]; r < blockFirstRack[k + 1]; r++) {
                    b.rack(rackNames[r]);
                    for (int n = rackFirstNode[r]; n < rackFirstNode[r + 1]; n++) b.node(nodeNames[n], nodeGpus[n], nodeCpuMilli[n], nodeMemoryMib[n]);
                }
            }
        }
        return b;
    }

    /** Distinct block owners (the tenants whose hardware it is), in first-seen order. */
    public List<String> owners() {
        List<String> out = new ArrayList<>();
        for (String o : blockOwner) {
            if (!out.contains(o)) out.add(o);
        }
        return Collections.unmodifiableList(out);
    }
}

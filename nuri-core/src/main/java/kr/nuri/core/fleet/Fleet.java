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
    private final int[] blockFirstRack;
    private final String[] rackNames;
    private final int[] rackBlock;
    private final int[] rackFirstNode;
    private final String[] nodeNames;
    private final int[] nodeRack;
    private final int[] nodeGpus;
    private final int maxGpusPerNode;
    private final Map<String, Integer> nodeIndex;
    private final int[][] blocksByModel;
    private final int[][] racksByModel;
    private final int[][] blocksBySiteModel;
    private final int[][] siteDomainsByModel;
    private final long[] gpusByModel;
    private final long[] gpusByBlock;
    private final int[] nodeCpuMilli;
    private final long[] nodeMemoryMib;
    private final int[] gpuBase;
    private final int[][] nodesByModel;

    Fleet(String name, List<String> models, String[] siteNames, int[] siteFirstBlock, String[] blockNames,
          int[] blockSite, int[] blockModel, String[] blockOwner, int[] blockFirstRack, String[] rackNames,
          int[] rackBlock, int[] rackFirstNode, String[] nodeNames, int[] nodeRack, int[] nodeGpus,
          int[] nodeCpuMilli, long[] nodeMemoryMib) {
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
        int m = models.size();
        List<List<Integer>> bm = lists(m);
        List<List<Integer>> rm = lists(m);
        List<List<Integer>> bsm = lists(siteNames.length * m);
        gpusByModel = new long[m];
        for (int b = 0; b < blockNames.length; b++) {
            bm.get(blockModel[b]).add(b);
            bsm.get(blockSite[b] * m + blockModel[b]).add(b);
            for (int r = blockFirstRack[b]; r < blockFirstRack[b + 1]; r++) {
                rm.get(blockModel[b]).add(r);
            }
        }
        gpusByBlock = new long[blockNames.length];
        for (int n = 0; n < nodeGpus.length; n++) {
            gpusByModel[modelOfNode(n)] += nodeGpus[n];
            gpusByBlock[blockOfNode(n)] += nodeGpus[n];
        }
        blocksByModel = toArrays(bm);
        racksByModel = toArrays(rm);
        List<List<Integer>> nm = lists(m);
        for (int n = 0; n < nodeGpus.length; n++) nm.get(modelOfNode(n)).add(n);
        nodesByModel = toArrays(nm);
        blocksBySiteModel = toArrays(bsm);
        List<List<Integer>> sdm = lists(m);
        for (int s = 0; s < siteNames.length; s++) {
            for (int k = 0; k < m; k++) {
                if (blocksBySiteModel[s * m + k].length > 0) sdm.get(k).add(s * m + k);
            }
        }
        siteDomainsByModel = toArrays(sdm);
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

    public String name() { return name; }
    public List<String> models() { return models; }
    public int modelCount() { return models.size(); }

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
    /** The nodes of a GPU model, in node order. */
    public int[] nodesOfModel(int model) { return nodesByModel[model]; }
    public int rackOfNode(int n) { return nodeRack[n]; }
    public int blockOfNode(int n) { return rackBlock[nodeRack[n]]; }
    public int siteOfNode(int n) { return blockSite[blockOfNode(n)]; }
    public int modelOfNode(int n) { return blockModel[blockOfNode(n)]; }

    public int blockOfRack(int r) { return rackBlock[r]; }
    public int siteOfBlock(int b) { return blockSite[b]; }
    public int modelOfBlock(int b) { return blockModel[b]; }
    public String ownerOfBlock(int b) { return blockOwner[b]; }

    public int firstNodeOfRack(int r) { return rackFirstNode[r]; }
    public int endNodeOfRack(int r) { return rackFirstNode[r + 1]; }
    public int firstRackOfBlock(int b) { return blockFirstRack[b]; }
    public int endRackOfBlock(int b) { return blockFirstRack[b + 1]; }
    public int firstBlockOfSite(int s) { return siteFirstBlock[s]; }
    public int endBlockOfSite(int s) { return siteFirstBlock[s + 1]; }
    public int firstNodeOfBlock(int b) { return rackFirstNode[blockFirstRack[b]]; }
    public int endNodeOfBlock(int b) { return rackFirstNode[blockFirstRack[b + 1]]; }

    /** Blocks holding GPUs of a model. */
    public int[] blocksOfModel(int model) { return blocksByModel[model]; }
    /** Racks holding GPUs of a model. */
    public int[] racksOfModel(int model) { return racksByModel[model]; }
    /** Blocks of a site holding GPUs of a model. */
    public int[] blocksOfSiteModel(int site, int model) { return blocksBySiteModel[site * models.size() + model]; }

    /** The SITE-level domains (site × models + model, as {@link #domainOf}) that hold GPUs of a model. */
    public int[] siteDomainsOfModel(int model) { return siteDomainsByModel[model]; }

    public long gpusOfModel(int model) { return gpusByModel[model]; }
    public long gpusOfBlock(int block) { return gpusByBlock[block]; }

    public long totalGpus() {
        long t = 0;
        for (long g : gpusByModel) t += g;
        return t;
    }

    /** The domain index of a node at a level: node, rack, block, site*models+model, or model for the fleet. */
    public int domainOf(Level level, int node) {
        return switch (level) {
            case NODE -> node;
            case RACK -> nodeRack[node];
            case BLOCK -> blockOfNode(node);
            case SITE -> siteOfNode(node) * models.size() + modelOfNode(node);
            case FLEET -> modelOfNode(node);
        };
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

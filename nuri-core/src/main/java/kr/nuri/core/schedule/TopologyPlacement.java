package kr.nuri.core.schedule;

import java.util.Arrays;
import kr.nuri.core.fleet.Fleet;
import kr.nuri.core.fleet.Level;
import kr.nuri.core.job.PendingReason;
import kr.nuri.core.state.Capacity;

/**
 * {@code topology}, the gang placement: topology-aware and all-or-nothing, in the spirit of Slurm's
 * {@code topology/tree} with {@code --switches} and Kueue's Topology-Aware Scheduling.
 *
 * <p>A gang of M members × g GPUs (each member on one node) must lie in one domain of its level. Among the
 * domains that can hold it, the placer picks the one with the fewest free GPUs left over (best fit, so big
 * holes stay whole for big gangs), then fills it top-down: into the single child that fits best if one can
 * hold the rest, otherwise the fullest-capacity children first, and inside a rack the nodes with the fewest
 * free GPUs first. Single-member jobs go straight to the best-fit node bucket in O(max GPUs per node).
 */
public final class TopologyPlacement implements GangPlacement {
    private static final Level[] LEVELS = Level.values();
    private final Capacity capacity;
    private final Fleet fleet;
    private final int models;
    private PendingReason lastFailure = PendingReason.INSUFFICIENT_CAPACITY;
    private int[] outNodes = new int[64];
    private int[] outGpus = new int[64];
    private int outSize;
    private long bestLeftover;
    private int bestFound;
    /** Per level, two scratch arrays for {@link #fill}. */
    private final long[][][] scratch = new long[LEVELS.length][2][];

    public TopologyPlacement(Capacity capacity) {
        this.capacity = capacity;
        this.fleet = capacity.fleet();
        this.models = fleet.poolCount();
    }

    @Override
    public PendingReason lastFailure() {
        return lastFailure;
    }

    /** Finds the domain without filling it when {@code choose == false}. */
    @Override
    public Placement place(int model, int members, int g, Level level, boolean required, boolean includeReserved, boolean choose) {
        long total = (long) members * g;
        if (capacity.freeGpus(model, includeReserved) < total) {
            lastFailure = PendingReason.INSUFFICIENT_CAPACITY;
            return null;
        }
        if (members == 1 || level == Level.NODE) {
            int node = capacity.bestFitNode(model, (int) Math.min(total, Integer.MAX_VALUE), includeReserved);
            if (node >= 0 && (members == 1 || total <= fleet.nodeGpus(node))) {
                return choose ? new Placement(model, new int[] {node}, new int[] {(int) total}) : FITS;
            }
            if (members == 1 || required) {
                lastFailure = PendingReason.NO_TOPOLOGY_DOMAIN;
                return null;
            }
            level = Level.RACK;
        }
        if (capacity.members(Level.FLEET, model, g, includeReserved) < members) {
            lastFailure = PendingReason.NO_TOPOLOGY_DOMAIN;
            return null;
        }
        Level[] levels = LEVELS;
        for (int l = level.ordinal(); l < levels.length; l++) {
            int domain = bestDomain(levels[l], model, members, g, includeReserved);
            if (domain >= 0) {
                if (!choose) return FITS;
                outSize = 0;
                fill(levels[l], domain, model, members, g, includeReserved);
                return new Placement(model, Arrays.copyOf(outNodes, outSize), Arrays.copyOf(outGpus, outSize));
            }
            if (required) break;
        }
        lastFailure = PendingReason.NO_TOPOLOGY_DOMAIN;
        return null;
    }

    /** The domain of a level that holds the gang with the least free GPUs left over, or -1. */
    int bestDomain(Level level, int model, int members, int g, boolean includeReserved) {
        if (level == Level.FLEET) {
            return capacity.members(Level.FLEET, model, g, includeReserved) >= members ? model : -1;
        }
        int best = -1;
        long bestLeft = Long.MAX_VALUE;
        if (level == Level.SITE) {
            for (int d : fleet.siteDomainsOfPool(model)) {
                long left = leftover(level, d, members, g, includeReserved);
                if (left < bestLeft) { bestLeft = left; best = d; }
            }
            return best;
        }
        bestLeftover = Long.MAX_VALUE;
        bestFound = -1;
        capacity.forEachDomainWithFree(level, model, (long) members * g, includeReserved, d -> {
            long left = leftover(level, d, members, g, includeReserved);
            if (left < bestLeftover || (left == bestLeftover && d < bestFound)) {
                bestLeftover = left;
                bestFound = d;
            }
        });
        return bestFound;
    }

    private long leftover(Level level, int d, int members, int g, boolean includeReserved) {
        if (capacity.members(level, d, g, includeReserved) < members) return Long.MAX_VALUE;
        return capacity.freeIn(level, d, includeReserved) - (long) members * g;
    }

    private void fill(Level level, int domain, int model, int need, int g, boolean includeReserved) {
        if (level == Level.RACK) {
            fillRack(domain, need, g, includeReserved);
            return;
        }
        // Children: a block's racks (a range), a site's blocks of the model, or the model's blocks.
        int[] children = null;
        int firstRack = 0;
        int count;
        Level childLevel;
        switch (level) {
            case BLOCK -> {
                firstRack = fleet.firstRackOfBlock(domain);
                count = fleet.endRackOfBlock(domain) - firstRack;
                childLevel = Level.RACK;
            }
            case SITE -> {
                children = fleet.blocksOfSitePool(domain / models, model);
                count = children.length;
                childLevel = Level.BLOCK;
            }
            default -> {
                children = fleet.blocksOfPool(model);
                count = children.length;
                childLevel = Level.BLOCK;
            }
        }
        // Scratch per level: a fill only recurses into lower levels, so each level's arrays stay its own.
        long[] caps = scratch(level, 0, count);
        int single = -1;
        for (int i = 0; i < count; i++) {
            caps[i] = capacity.members(childLevel, children == null ? firstRack + i : children[i], g, includeReserved);
            if (caps[i] >= need && (single < 0 || caps[i] < caps[single])) single = i;
        }
        if (single >= 0) {
            fill(childLevel, children == null ? firstRack + single : children[single], model, need, g, includeReserved);
            return;
        }
        // Fullest children first, ties by position: sort (capacity, reversed position) as one long, descending.
        // Children that hold no member are never taken, so they are not sorted.
        long[] order = scratch(level, 1, count);
        int holding = 0;
        for (int i = 0; i < count; i++) if (caps[i] > 0) order[holding++] = (caps[i] << 32) | (0xFFFFFFFFL - i);
        Arrays.sort(order, 0, holding);
        int left = need;
        for (int k = holding - 1; k >= 0 && left > 0; k--) {
            int i = (int) (0xFFFFFFFFL - (order[k] & 0xFFFFFFFFL));
            int take = (int) Math.min(caps[i], left);
            fill(childLevel, children == null ? firstRack + i : children[i], model, take, g, includeReserved);
            left -= take;
        }
    }

    /** Scratch array {@code which} (0 or 1) of a level, at least {@code size} long. */
    private long[] scratch(Level level, int which, int size) {
        long[] a = scratch[level.ordinal()][which];
        if (a == null || a.length < size) a = scratch[level.ordinal()][which] = new long[Math.max(size, 16)];
        return a;
    }

    private void fillRack(int rack, int need, int g, boolean includeReserved) {
        int first = fleet.firstNodeOfRack(rack);
        int end = fleet.endNodeOfRack(rack);
        long[] keyed = scratch(Level.RACK, 0, end - first);
        int count = 0;
        for (int n = first; n < end; n++) {
            int u = capacity.usable(n);
            if (u >= g && (includeReserved || !capacity.reserved(n))) keyed[count++] = ((long) u << 32) | n;
        }
        Arrays.sort(keyed, 0, count);
        int left = need;
        for (int i = 0; i < count && left > 0; i++) {
            int node = (int) keyed[i];
            int fit = Math.min((int) (keyed[i] >>> 32) / g, left);
            emit(node, fit * g);
            left -= fit;
        }
        if (left > 0) throw new IllegalStateException("rack " + fleet.rackName(rack) + " histogram promised " + need + " members");
    }

    private void emit(int node, int gpus) {
        if (outSize == outNodes.length) {
            outNodes = Arrays.copyOf(outNodes, outSize * 2);
            outGpus = Arrays.copyOf(outGpus, outSize * 2);
        }
        outNodes[outSize] = node;
        outGpus[outSize++] = gpus;
    }
}

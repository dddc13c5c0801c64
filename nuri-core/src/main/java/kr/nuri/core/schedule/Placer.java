package kr.nuri.core.schedule;

import java.util.Arrays;
import kr.nuri.core.fleet.Fleet;
import kr.nuri.core.fleet.Level;
import kr.nuri.core.job.PendingReason;
import kr.nuri.core.state.Capacity;

/**
 * Topology-aware, all-or-nothing gang placement.
 *
 * <p>A gang of M members × g GPUs (each member on one node) must lie in one domain of its level. Among the
 * domains that can hold it, the placer picks the one with the fewest free GPUs left over (best fit, so big
 * holes stay whole for big gangs), then fills it top-down: into the single child that fits best if one can
 * hold the rest, otherwise the fullest-capacity children first, and inside a rack the nodes with the fewest
 * free GPUs first. Single-member jobs go straight to the best-fit node bucket in O(max GPUs per node).
 */
public final class Placer {
    private final Capacity capacity;
    private final Fleet fleet;
    private final int models;
    private PendingReason lastFailure = PendingReason.INSUFFICIENT_CAPACITY;
    private int[] outNodes = new int[64];
    private int[] outGpus = new int[64];
    private int outSize;
    private long bestLeftover;
    private int bestFound;

    public Placer(Capacity capacity) {
        this.capacity = capacity;
        this.fleet = capacity.fleet();
        this.models = fleet.modelCount();
    }

    /** Sets the failure reason when a caller answers from its memo instead of searching. */
    void setLastFailure(PendingReason reason) {
        lastFailure = reason;
    }

    /** Why the last {@link #place} returned null. */
    public PendingReason lastFailure() {
        return lastFailure;
    }

    /**
     * Places a gang, or returns null (see {@link #lastFailure()}). With {@code required == false} the level is
     * only preferred: wider levels are tried after it.
     */
    public Placement place(int model, int members, int g, Level level, boolean required, boolean includeReserved) {
        long total = (long) members * g;
        if (capacity.freeGpus(model, includeReserved) < total) {
            lastFailure = PendingReason.INSUFFICIENT_CAPACITY;
            return null;
        }
        if (members == 1 || level == Level.NODE) {
            int node = capacity.bestFitNode(model, (int) Math.min(total, Integer.MAX_VALUE), includeReserved);
            if (node >= 0 && (members == 1 || total <= fleet.nodeGpus(node))) {
                return new Placement(model, new int[] {node}, new int[] {(int) total});
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
        Level[] levels = Level.values();
        for (int l = level.ordinal(); l < levels.length; l++) {
            int domain = bestDomain(levels[l], model, members, g, includeReserved);
            if (domain >= 0) {
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
            for (int d : fleet.siteDomainsOfModel(model)) {
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
        int[] children;
        Level childLevel;
        switch (level) {
            case BLOCK -> {
                int first = fleet.firstRackOfBlock(domain);
                children = new int[fleet.endRackOfBlock(domain) - first];
                for (int i = 0; i < children.length; i++) children[i] = first + i;
                childLevel = Level.RACK;
            }
            case SITE -> {
                children = fleet.blocksOfSiteModel(domain / models, model);
                childLevel = Level.BLOCK;
            }
            default -> {
                children = fleet.blocksOfModel(model);
                childLevel = Level.BLOCK;
            }
        }
        long[] caps = new long[children.length];
        int single = -1;
        for (int i = 0; i < children.length; i++) {
            caps[i] = capacity.members(childLevel, children[i], g, includeReserved);
            if (caps[i] >= need && (single < 0 || caps[i] < caps[single])) single = i;
        }
        if (single >= 0) {
            fill(childLevel, children[single], model, need, g, includeReserved);
            return;
        }
        // Fullest children first, ties by position: sort (capacity, reversed position) as one long, descending.
        long[] order = new long[children.length];
        for (int i = 0; i < order.length; i++) order[i] = (caps[i] << 32) | (0xFFFFFFFFL - i);
        Arrays.sort(order);
        int left = need;
        for (int k = order.length - 1; k >= 0; k--) {
            int i = (int) (0xFFFFFFFFL - (order[k] & 0xFFFFFFFFL));
            if (left == 0 || caps[i] == 0) break;
            int take = (int) Math.min(caps[i], left);
            fill(childLevel, children[i], model, take, g, includeReserved);
            left -= take;
        }
    }

    private void fillRack(int rack, int need, int g, boolean includeReserved) {
        int first = fleet.firstNodeOfRack(rack);
        int end = fleet.endNodeOfRack(rack);
        long[] keyed = new long[end - first];
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

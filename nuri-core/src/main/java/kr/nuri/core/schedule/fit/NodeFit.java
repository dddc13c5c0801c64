package kr.nuri.core.schedule.fit;

import kr.nuri.core.fleet.Fleet;
import kr.nuri.core.fleet.Health;
import kr.nuri.core.job.JobSpec;
import kr.nuri.core.state.Capacity;

/**
 * A node-fit policy: where a node-fit job goes (one member asking for a share of one GPU, CPU or memory, or no GPU;
 * see {@link JobSpec#nodeFit()}). It scores every node of the allowed models that can take the job and picks the
 * best, the lowest node index on ties; a share goes on the fullest shared GPU of that node that can serve it, else
 * on a free GPU, unless the policy chooses the GPU itself. CPU and memory count only on nodes whose fleet entry
 * models them. Named in a fleet file as {@code scheduler: {placement: NAME}} and made by {@code schedule/Policies}.
 *
 * <p>A choice depends only on the state (and a policy's own seed and the job), so replay and an engine restored from
 * a snapshot choose alike; caches a policy keeps are keyed by {@link Capacity#version} and are not state. This is a
 * measured hot path (every feasible node is scored per job): {@link #place} is one loop, and each engine holds one
 * policy, so the call to {@link #score} stays monomorphic.
 */
public abstract class NodeFit {
    protected final Capacity capacity;
    protected final Fleet fleet;
    /** Per node, the most thousandths left on one of its shared GPUs, as of {@link #roomSeen} (the node's version). */
    private int[] mostRoom;
    private int[] roomSeen;

    protected NodeFit(Capacity capacity, Fleet fleet) {
        this.capacity = capacity;
        this.fleet = fleet;
    }

    /** A node and, for a share, the GPU slot on it. */
    public record Choice(int node, int slot) { }

    /** Called once per {@link #place} before any {@link #score}. */
    protected void begin(JobSpec spec) { }

    /** The node's score for the job; lower is better unless {@link #largerIsBetter()}. */
    protected abstract double score(int n, JobSpec spec);

    protected boolean largerIsBetter() { return false; }

    /** The GPU slot for a share on the chosen node. */
    protected int slotFor(int n, JobSpec spec) { return fullestSlot(n, spec.gpuMilli()); }

    /**
     * The node for the job among the nodes of {@code models} (the first {@code count} entries), or null when none can
     * take it; reserved nodes only with {@code includeReserved}. {@code seq} is the job's submit sequence.
     */
    public Choice place(JobSpec spec, long seq, int[] models, int count, boolean includeReserved) {
        begin(spec);
        boolean largest = largerIsBetter();
        int best = -1;
        double bestScore = 0;
        for (int k = 0; k < count; k++) {
            for (int n : fleet.nodesOfPool(models[k])) {
                if (!fits(n, spec, includeReserved)) continue;
                double s = score(n, spec);
                if (best < 0 || (largest ? s > bestScore : s < bestScore) || (s == bestScore && n < best)) {
                    best = n;
                    bestScore = s;
                }
            }
        }
        if (best < 0) return null;
        return new Choice(best, spec.sharing() ? slotFor(best, spec) : -1);
    }

    /** Whether the node can take the job now: up, open (or reserved ones allowed), CPU, memory, model, GPUs. */
    public final boolean fits(int n, JobSpec spec, boolean includeReserved) {
        if (capacity.health(n) != Health.UP || (!includeReserved && capacity.reserved(n))) return false;
        if (spec.cpuMilli() > capacity.cpuLeft(n) || spec.memoryMib() > capacity.memoryLeft(n)) return false;
        if (spec.gpusPerMember() == 0) return true;
        if (!spec.sharing()) return capacity.free(n) >= spec.gpusPerMember();
        return capacity.free(n) > 0 || mostRoomOnASharedGpu(n) >= spec.gpuMilli();
    }

    /**
     * The most thousandths left on one shared GPU of the node (0 with none; Capacity keeps their sum), cached by the
     * node's version: a share job asks it of every node.
     */
    private int mostRoomOnASharedGpu(int n) {
        if (capacity.sharedSlots(n) == 0) return 0;
        if (mostRoom == null) {
            mostRoom = new int[fleet.nodeCount()];
            roomSeen = new int[fleet.nodeCount()];
            java.util.Arrays.fill(roomSeen, -1);
        }
        int version = capacity.version(n);
        if (roomSeen[n] != version) {
            int room = 0;
            for (int s = 0; s < fleet.nodeGpus(n); s++) {
                int used = capacity.shareUsed(n, s);
                if (used > 0) room = Math.max(room, JobSpec.WHOLE_GPU - used);
            }
            mostRoom[n] = room;
            roomSeen[n] = version;
        }
        return mostRoom[n];
    }

    /** The shared slot with the least room that still holds {@code milli}, lowest slot on ties; -1 if none. */
    protected final int fullestSharedSlot(int n, int milli) {
        if (capacity.sharedSlots(n) == 0) return -1;
        int best = -1;
        int bestLeft = Integer.MAX_VALUE;
        for (int s = 0; s < fleet.nodeGpus(n); s++) {
            int used = capacity.shareUsed(n, s);
            int left = JobSpec.WHOLE_GPU - used;
            if (used > 0 && left >= milli && left < bestLeft) {
                best = s;
                bestLeft = left;
            }
        }
        return best;
    }

    /** The slot for a share: the fullest shared GPU that can serve it, else a free GPU (the lowest free slot). */
    protected final int fullestSlot(int n, int milli) {
        int s = fullestSharedSlot(n, milli);
        return s >= 0 ? s : freeSlot(n);
    }

    protected final int freeSlot(int n) {
        for (int s = 0; s < fleet.nodeGpus(n); s++) if (capacity.shareUsed(n, s) == 0) return s;
        throw new IllegalStateException("node " + fleet.nodeName(n) + " has no free GPU slot");
    }

    /** A node's GPU capacity in thousandths (at least 1). */
    protected final double gpuCapacity(int n) {
        return Math.max(1, (long) fleet.nodeGpus(n) * JobSpec.WHOLE_GPU);
    }
}

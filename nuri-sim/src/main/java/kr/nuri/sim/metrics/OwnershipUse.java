package kr.nuri.sim.metrics;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import kr.nuri.core.config.EngineConfig;
import kr.nuri.core.fleet.Fleet;
import kr.nuri.core.tenancy.TenantTree;

/**
 * Whose hardware runs whose work: per owner (a tenant that owns blocks), the GPU-hours its own jobs ran on its own
 * nodes, what it lent (others' jobs on its nodes) and what it borrowed (its jobs on others' nodes). A job belongs to the
 * owner that is its project or the nearest tenant above it that owns nodes; a job under no owner borrows all it runs.
 * The measure the tenancy issue's finding 1 asks for (an SK project on KISTI's nodes shows as SK borrowing, KISTI lending).
 */
public final class OwnershipUse {
    /** The owner a job under no owning tenant counts as. */
    public static final String NONE = "(none)";

    private final Fleet fleet;
    private final TenantTree tree;
    private final Set<String> owners = new TreeSet<>();
    private final Map<String, String> ownerOfProject = new HashMap<>();
    private final Map<String, double[]> byOwner = new LinkedHashMap<>(); // [own, lent, borrowed] GPU-seconds
    private final Map<String, Run> running = new HashMap<>();

    private record Run(String owner, String[] nodeOwners, double[] gpus, long start) {}

    public OwnershipUse(EngineConfig config) {
        this.fleet = config.fleet();
        this.tree = new TenantTree(config.tenants());
        for (int b = 0; b < fleet.blockCount(); b++) owners.add(fleet.ownerOfBlock(b));
    }

    /** The owner a project's jobs belong to. */
    public String ownerOf(String project) {
        return ownerOfProject.computeIfAbsent(project, p -> {
            for (int t = tree.index(p); t >= 0; t = tree.parent(t)) {
                if (owners.contains(tree.name(t))) return tree.name(t);
            }
            return NONE;
        });
    }

    /** A run started on {@code nodes}, holding {@code gpus[i]} GPUs on each (a share as its fraction of one). */
    public void started(String jobId, String project, int[] nodes, double[] gpus, long time) {
        String[] nodeOwners = new String[nodes.length];
        for (int i = 0; i < nodes.length; i++) nodeOwners[i] = fleet.ownerOfBlock(fleet.blockOfNode(nodes[i]));
        running.put(jobId, new Run(ownerOf(project), nodeOwners, gpus.clone(), time));
    }

    /** The run ended, its GPUs held until {@code time}. */
    public void ended(String jobId, long time) {
        Run r = running.remove(jobId);
        if (r == null) return;
        long held = time - r.start();
        for (int i = 0; i < r.nodeOwners().length; i++) {
            double gpuSeconds = r.gpus()[i] * held;
            if (r.nodeOwners()[i].equals(r.owner())) {
                row(r.owner())[0] += gpuSeconds;
            } else {
                row(r.nodeOwners()[i])[1] += gpuSeconds;
                row(r.owner())[2] += gpuSeconds;
            }
        }
    }

    private double[] row(String owner) {
        return byOwner.computeIfAbsent(owner, o -> new double[3]);
    }

    /** Per owner, in order of first use: GPU-hours {own, lent, borrowed}. */
    public Map<String, double[]> gpuHours() {
        Map<String, double[]> out = new LinkedHashMap<>();
        for (String o : owners) if (byOwner.containsKey(o)) out.put(o, hours(byOwner.get(o)));
        if (byOwner.containsKey(NONE)) out.put(NONE, hours(byOwner.get(NONE)));
        return out;
    }

    private static double[] hours(double[] s) {
        return new double[] {s[0] / 3600, s[1] / 3600, s[2] / 3600};
    }
}

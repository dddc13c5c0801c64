package kr.nuri.core.state;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.NavigableSet;
import java.util.TreeSet;
import kr.nuri.core.fleet.Fleet;
import kr.nuri.core.fleet.Level;
import kr.nuri.core.job.Job;

/**
 * Running jobs indexed three ways: by walltime deadline (for timeouts, reservations and estimated starts),
 * by node (for node failures), and, per GPU model, the preemptible ones and the ones running on borrowed quota,
 * cheapest victim first (lowest priority, then most recently started: least work lost).
 */
public final class RunningIndex {
    private static final Level[] DOMAIN_LEVELS = {Level.RACK, Level.BLOCK, Level.SITE, Level.FLEET};
    /** Deadline, then sequence number. (Written out: these sets are compared millions of times a second.) */
    static final Comparator<Job> BY_DEADLINE = (a, b) -> {
        int c = Long.compare(a.deadline(), b.deadline());
        return c != 0 ? c : Long.compare(a.seq(), b.seq());
    };
    /** Victim order: lowest priority, then most recently started (least work lost), then latest submitted. */
    public static final Comparator<Job> BY_VICTIM_COST = (a, b) -> {
        int c = Integer.compare(a.priority(), b.priority());
        if (c != 0) return c;
        c = Long.compare(b.startTime(), a.startTime());
        return c != 0 ? c : Long.compare(b.seq(), a.seq());
    };

    private final TreeSet<Job> byDeadline = new TreeSet<>(BY_DEADLINE);
    private final List<Job>[] byNode;
    private final TreeSet<Job>[] preemptible;
    private final TreeSet<Job>[] borrowed;
    private final long[] borrowedGpus;
    private final int[] priorities;
    private final Fleet fleet;
    /** [level RACK, BLOCK, SITE, FLEET][domain * classes + class]: GPUs held by preemptible jobs. */
    private final long[][] preemptibleInDomain = new long[4][];
    /** Per GPU model: a counter that moves whenever a job of the model is added or removed (for search memos; not state). */
    private final long[] version;

    @SuppressWarnings("unchecked")
    public RunningIndex(Fleet fleet, int[] classPriorities) {
        this.fleet = fleet;
        int nodes = fleet.nodeCount();
        int models = fleet.poolCount();
        int k = classPriorities.length;
        preemptibleInDomain[0] = new long[fleet.rackCount() * k];
        preemptibleInDomain[1] = new long[fleet.blockCount() * k];
        preemptibleInDomain[2] = new long[fleet.siteCount() * models * k];
        preemptibleInDomain[3] = new long[models * k];
        this.priorities = classPriorities.clone();
        this.borrowedGpus = new long[models];
        this.version = new long[models];
        byNode = new List[nodes];
        preemptible = new TreeSet[models];
        borrowed = new TreeSet[models];
        for (int m = 0; m < models; m++) {
            preemptible[m] = new TreeSet<>(BY_VICTIM_COST);
            borrowed[m] = new TreeSet<>(BY_VICTIM_COST);
        }
    }

    public void add(Job job) {
        version[job.pool()]++;
        byDeadline.add(job);
        for (int n : job.nodes()) {
            if (byNode[n] == null) byNode[n] = new ArrayList<>(4);
            // Kept in submission order, not start order, so an engine restored from a snapshot walks a node's
            // jobs exactly as the engine that took it.
            List<Job> on = byNode[n];
            int at = on.size();
            while (at > 0 && on.get(at - 1).seq() > job.seq()) at--;
            on.add(at, job);
        }
        if (job.preemptible()) {
            preemptible[job.pool()].add(job);
            countInDomains(job, 1);
        }
        if (job.borrowed()) {
            borrowed[job.pool()].add(job);
            borrowedGpus[job.pool()] += job.totalGpus();
        }
    }

    /** Call before the job's start time or placement change. */
    public void remove(Job job) {
        version[job.pool()]++;
        byDeadline.remove(job);
        for (int n : job.nodes()) byNode[n].remove(job);
        if (job.preemptible()) {
            preemptible[job.pool()].remove(job);
            countInDomains(job, -1);
        }
        if (job.borrowed()) {
            borrowed[job.pool()].remove(job);
            borrowedGpus[job.pool()] -= job.totalGpus();
        }
    }

    public NavigableSet<Job> byDeadline() { return byDeadline; }

    public List<Job> onNode(int node) {
        return byNode[node] == null ? List.of() : byNode[node];
    }

    /** Preemptible running jobs of a model, cheapest victim first. */
    public NavigableSet<Job> preemptible(int model) { return preemptible[model]; }

    /** Running jobs of a model that were admitted on borrowed quota, cheapest victim first. */
    public NavigableSet<Job> borrowed(int model) { return borrowed[model]; }

    private void countInDomains(Job job, int sign) {
        int k = priorities.length;
        for (int i = 0; i < job.nodes().length; i++) {
            int n = job.nodes()[i];
            long g = (long) sign * job.gpus()[i];
            for (Level level : DOMAIN_LEVELS) {
                preemptibleInDomain[level.ordinal() - 1][fleet.domainOf(level, n) * k + job.priorityClass()] += g;
            }
        }
    }

    /**
     * GPUs held in a domain by preemptible jobs of classes with priority below {@code priority}: a rack, a
     * block, a (site, model) or, for FLEET, a GPU model (domains as {@link Fleet#domainOf}).
     */
    public long preemptibleGpusBelow(Level level, int domain, int priority) {
        long[] a = preemptibleInDomain[level.ordinal() - 1];
        int k = priorities.length;
        long sum = 0;
        for (int c = 0; c < k; c++) {
            if (priorities[c] < priority) sum += a[domain * k + c];
        }
        return sum;
    }

    /** GPUs of a model held by jobs running on borrowed quota. */
    public long borrowedGpus(int model) { return borrowedGpus[model]; }

    public int size() { return byDeadline.size(); }

    /** Changes whenever a running job of the model is added or removed: a key for caches, not state. */
    public long version(int model) { return version[model]; }
}

package kr.nuri.core.state;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.NavigableSet;
import java.util.TreeSet;
import kr.nuri.core.job.Job;

/**
 * Running jobs indexed three ways: by walltime deadline (for timeouts, reservations and estimated starts),
 * by node (for node failures), and, per GPU model, the preemptible ones and the ones running on borrowed quota,
 * cheapest victim first (lowest priority, then most recently started: least work lost).
 */
public final class RunningIndex {
    static final Comparator<Job> BY_DEADLINE =
            Comparator.comparingLong(Job::deadline).thenComparingLong(Job::seq);
    static final Comparator<Job> BY_VICTIM_COST = Comparator.comparingInt(Job::priority)
            .thenComparing(Comparator.comparingLong(Job::startTime).reversed())
            .thenComparing(Comparator.comparingLong(Job::seq).reversed());

    private final TreeSet<Job> byDeadline = new TreeSet<>(BY_DEADLINE);
    private final List<Job>[] byNode;
    private final TreeSet<Job>[] preemptible;
    private final TreeSet<Job>[] borrowed;
    private final long[][] preemptibleGpusByPriority;
    private final long[] borrowedGpus;
    private final int[] priorities;
    private final kr.nuri.core.fleet.Fleet fleet;
    /** [level RACK, BLOCK, SITE][domain * classes + class]: GPUs held by preemptible jobs. */
    private final long[][] preemptibleInDomain = new long[3][];

    @SuppressWarnings("unchecked")
    public RunningIndex(kr.nuri.core.fleet.Fleet fleet, int[] classPriorities) {
        this.fleet = fleet;
        int nodes = fleet.nodeCount();
        int models = fleet.modelCount();
        int k = classPriorities.length;
        preemptibleInDomain[0] = new long[fleet.rackCount() * k];
        preemptibleInDomain[1] = new long[fleet.blockCount() * k];
        preemptibleInDomain[2] = new long[fleet.siteCount() * models * k];
        this.priorities = classPriorities.clone();
        this.preemptibleGpusByPriority = new long[models][classPriorities.length];
        this.borrowedGpus = new long[models];
        byNode = new List[nodes];
        preemptible = new TreeSet[models];
        borrowed = new TreeSet[models];
        for (int m = 0; m < models; m++) {
            preemptible[m] = new TreeSet<>(BY_VICTIM_COST);
            borrowed[m] = new TreeSet<>(BY_VICTIM_COST);
        }
    }

    public void add(Job job) {
        byDeadline.add(job);
        for (int n : job.nodes()) {
            if (byNode[n] == null) byNode[n] = new ArrayList<>(4);
            byNode[n].add(job);
        }
        if (job.preemptible()) {
            preemptible[job.model()].add(job);
            preemptibleGpusByPriority[job.model()][job.priorityClass()] += job.totalGpus();
            countInDomains(job, 1);
        }
        if (job.borrowed()) {
            borrowed[job.model()].add(job);
            borrowedGpus[job.model()] += job.totalGpus();
        }
    }

    /** Call before the job's start time or placement change. */
    public void remove(Job job) {
        byDeadline.remove(job);
        for (int n : job.nodes()) byNode[n].remove(job);
        if (job.preemptible()) {
            preemptible[job.model()].remove(job);
            preemptibleGpusByPriority[job.model()][job.priorityClass()] -= job.totalGpus();
            countInDomains(job, -1);
        }
        if (job.borrowed()) {
            borrowed[job.model()].remove(job);
            borrowedGpus[job.model()] -= job.totalGpus();
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

    /** GPUs of a model held by preemptible jobs of classes with priority below {@code priority}. */
    public long preemptibleGpusBelow(int model, int priority) {
        long sum = 0;
        for (int c = 0; c < priorities.length; c++) {
            if (priorities[c] < priority) sum += preemptibleGpusByPriority[model][c];
        }
        return sum;
    }

    private void countInDomains(Job job, int sign) {
        int k = priorities.length;
        for (int i = 0; i < job.nodes().length; i++) {
            int n = job.nodes()[i];
            long g = (long) sign * job.gpus()[i];
            preemptibleInDomain[0][fleet.rackOfNode(n) * k + job.priorityClass()] += g;
            preemptibleInDomain[1][fleet.blockOfNode(n) * k + job.priorityClass()] += g;
            preemptibleInDomain[2][fleet.domainOf(kr.nuri.core.fleet.Level.SITE, n) * k + job.priorityClass()] += g;
        }
    }

    /**
     * GPUs held in a rack, block or (site, model) domain by preemptible jobs of classes with priority below
     * {@code priority}; for FLEET the domain is the model.
     */
    public long preemptibleGpusBelow(kr.nuri.core.fleet.Level level, int domain, int priority) {
        if (level == kr.nuri.core.fleet.Level.FLEET) return preemptibleGpusBelow(domain, priority);
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
}

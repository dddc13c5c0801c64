package kr.nuri.core.state;

import java.util.TreeMap;
import kr.nuri.core.job.Job;
import kr.nuri.core.util.IntBag;

/**
 * Waiting jobs, one FIFO per (priority class, project) ordered by submit sequence, so a requeued job goes
 * back to its old place. The scheduler orders classes by priority and projects by fair share, then walks
 * each FIFO with {@link #next}, which tolerates jobs leaving the queue during the walk.
 */
public final class PendingQueue {
    private final TreeMap<Long, Job>[][] fifo;
    private final IntBag[] nonEmpty;
    private int size;

    @SuppressWarnings("unchecked")
    public PendingQueue(int classes, int tenants) {
        fifo = new TreeMap[classes][tenants];
        nonEmpty = new IntBag[classes];
        for (int c = 0; c < classes; c++) nonEmpty[c] = new IntBag(new int[tenants]);
    }

    public void add(Job job) {
        int c = job.priorityClass();
        int p = job.project();
        TreeMap<Long, Job> q = fifo[c][p];
        if (q == null) q = fifo[c][p] = new TreeMap<>();
        if (q.isEmpty()) nonEmpty[c].add(p);
        if (q.put(job.seq(), job) != null) throw new IllegalStateException("job " + job.id() + " queued twice");
        size++;
    }

    public void remove(Job job) {
        TreeMap<Long, Job> q = fifo[job.priorityClass()][job.project()];
        if (q == null || q.remove(job.seq()) == null) throw new IllegalStateException("job " + job.id() + " is not queued");
        if (q.isEmpty()) nonEmpty[job.priorityClass()].remove(job.project());
        size--;
    }

    /** The first job of a (class, project) FIFO after sequence {@code afterSeq}, or null. */
    public Job next(int priorityClass, int project, long afterSeq) {
        TreeMap<Long, Job> q = fifo[priorityClass][project];
        if (q == null) return null;
        var e = q.higherEntry(afterSeq);
        return e == null ? null : e.getValue();
    }

    /** Projects with waiting jobs in a class (unordered). */
    public int[] projects(int priorityClass) {
        IntBag b = nonEmpty[priorityClass];
        int[] out = new int[b.size()];
        for (int i = 0; i < out.length; i++) out[i] = b.get(i);
        return out;
    }

    public int size() { return size; }
}

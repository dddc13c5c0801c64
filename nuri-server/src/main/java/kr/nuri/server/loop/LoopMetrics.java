package kr.nuri.server.loop;

import kr.nuri.core.schedule.PassStats;

/** What the loop reports about itself; the server binds it to Prometheus. */
public interface LoopMetrics {
    void journalAppend(long nanos, int events);

    void pass(long nanos, PassStats stats);

    void request(long nanos);

    LoopMetrics NONE = new LoopMetrics() {
        @Override public void journalAppend(long nanos, int events) {}
        @Override public void pass(long nanos, PassStats stats) {}
        @Override public void request(long nanos) {}
    };
}

package kr.nuri.server.loop;

/**
 * Timing of the engine loop.
 *
 * @param tickMillis        how often the clock is advanced with a full scheduling pass (walltime ends,
 *                          award windows, every waiting job's reason and estimated start)
 * @param checkpointEvery   events between state-hash checkpoints in the journal
 * @param snapshotEvery     events between snapshots of the whole state (a restart replays at most this many)
 * @param queueCapacity     requests that may wait for the engine before new ones get 503
 * @param leaseRenewMillis  how often an idle server renews its writer lease
 */
public record LoopSettings(long tickMillis, long checkpointEvery, long snapshotEvery, int queueCapacity, long leaseRenewMillis) {
    public static final LoopSettings DEFAULT = new LoopSettings(30_000, 50_000, 200_000, 100_000, 5_000);
}

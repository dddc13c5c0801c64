package kr.nuri.server;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import kr.nuri.core.engine.Engine;
import kr.nuri.core.state.Snapshot;
import kr.nuri.server.journal.SnapshotStore;
import kr.nuri.server.loop.EngineLoop;
import kr.nuri.server.usage.UsageLedger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Snapshots of the engine and the usage ledger: copied on the engine thread, compressed and written on a
 * thread of their own. A failed write is logged and retried at the next snapshot; the journal is the truth.
 */
final class ServerSnapshots implements EngineLoop.Snapshotter, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ServerSnapshots.class);
    private final Engine engine;
    private final UsageLedger ledger;
    private final SnapshotStore store;
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().name("nuri-snapshot").daemon().unstarted(r));

    /**
     * What a snapshot holds: the engine's state and the server's usage projection, and the {@link
     * kr.nuri.server.journal.FleetIdentity#orderHash()} of the fleet it was taken on (its arrays are positions in
     * that fleet; 0 in snapshots of builds before 2026-12-07).
     */
    record Body(Snapshot engine, UsageLedger.Data ledger, long identity) {}

    private final long identity;

    ServerSnapshots(Engine engine, UsageLedger ledger, SnapshotStore store, long identity) {
        this.identity = identity;
        this.engine = engine;
        this.ledger = ledger;
        this.store = store;
    }

    @Override
    public Runnable capture(long seq, long stateHash, long atMillis) {
        Body body = new Body(engine.snapshot(), ledger.snapshot(), identity);
        return () -> writer.execute(() -> {
            long t0 = System.nanoTime();
            try {
                store.save(seq, stateHash, atMillis, body);
                log.info("snapshot at event {} written in {} ms", seq, (System.nanoTime() - t0) / 1_000_000);
            } catch (RuntimeException e) {
                log.warn("snapshot at event {} not written: {}", seq, e.toString());
            }
        });
    }

    @Override
    public void close() {
        writer.shutdown();
        try {
            writer.awaitTermination(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package kr.nuri.server.journal;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import kr.nuri.core.event.Event;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * The append-only event journal. {@link #append} writes one group of events (a whole batch of requests)
 * in one transaction, renewing the writer lease in it; callers acknowledge requests only after it returns.
 */
public final class Journal {
    private final Database db;
    private final EventCodec codec;
    private final Lease lease;
    private long nextSeq;
    private long lastSyncNanos;

    public Journal(Database db, EventCodec codec, Lease lease) {
        this.db = db;
        this.codec = codec;
        this.lease = lease;
        this.nextSeq = db.jdbi().withHandle(h -> h.createQuery("SELECT COALESCE(MAX(seq), 0) FROM journal").mapTo(Long.class).one()) + 1;
    }

    /** How long the last append's commit took: the store syncs its log to disk before the commit returns. */
    public long lastSyncNanos() { return lastSyncNanos; }

    /** The sequence number the next appended event gets. */
    public long nextSeq() { return nextSeq; }

    /** Events of one engine batch, and the state hash after them when a checkpoint is due. */
    public record Group(List<Event> events, Long checkpointHash) {}

    /**
     * Appends groups of events (with their checkpoints) durably, in one transaction that also renews the writer
     * lease: when it returns, the rows are on disk (SQLite {@code synchronous=FULL}, PostgreSQL's commit).
     *
     * @throws LeaseLostException if another process took the writer lease; nothing was written
     */
    public void append(List<Group> groups, long nowMillis) {
        append(groups, List.of(), nowMillis);
    }

    /** {@link #append(List, long)} with the audit entries of the acts whose events these are, in the same transaction. */
    public void append(List<Group> groups, List<AuditLog.Entry> audits, long nowMillis) {
        // Encode once, numbering as the rows will be stored.
        List<JournalRow> rows = new ArrayList<>();
        long seq = nextSeq;
        for (Group g : groups) {
            for (Event e : g.events()) rows.add(JournalRow.event(seq++, e.time(), EventCodec.kind(e), codec.encode(e)));
            if (g.checkpointHash() != null) rows.add(JournalRow.checkpoint(seq - 1, g.checkpointHash(), nowMillis));
        }
        long t0 = System.nanoTime();
        db.jdbi().useTransaction(h -> {
            if (!lease.renew(h, nowMillis)) {
                throw new LeaseLostException("this process lost the writer lease of " + db.url()
                        + "; another nuri serve took over. Stopping without writing.");
            }
            insert(h, rows);
            AuditLog.insert(h, audits);
        });
        lastSyncNanos = System.nanoTime() - t0;
        nextSeq = seq;
    }

    /** Inserts journal rows (events and checkpoints) in the caller's transaction. */
    public static void insert(org.jdbi.v3.core.Handle h, List<JournalRow> rows) {
        PreparedBatch events = h.prepareBatch("INSERT INTO journal (seq, at, kind, body) VALUES (:seq, :at, :kind, :body)");
        PreparedBatch checkpoints = h.prepareBatch("INSERT INTO checkpoint (seq, state_hash, at) VALUES (:seq, :hash, :at)");
        boolean anyEvent = false;
        boolean anyCheckpoint = false;
        for (JournalRow r : rows) {
            if (r.event()) {
                events.bind("seq", r.seq()).bind("at", r.at()).bind("kind", r.kind()).bind("body", r.body()).add();
                anyEvent = true;
            } else {
                checkpoints.bind("seq", r.seq()).bind("hash", r.hash()).bind("at", r.at()).add();
                anyCheckpoint = true;
            }
        }
        if (anyEvent) events.execute();
        if (anyCheckpoint) checkpoints.execute();
    }

    /** Renews the writer lease when there is nothing to append. */
    public void renewLease(long nowMillis) {
        if (!lease.renew(nowMillis)) {
            throw new LeaseLostException("this process lost the writer lease of " + db.url() + "; another nuri serve took over.");
        }
    }

    /** Streams every event from {@code fromSeq} on, in order, with its sequence number. */
    public void readFrom(long fromSeq, SeqConsumer consumer) {
        // PostgreSQL streams with a fetch size only inside a transaction.
        db.jdbi().useTransaction(h -> {
            try (var rows = h.createQuery("SELECT seq, kind, body FROM journal WHERE seq >= :from ORDER BY seq")
                    .bind("from", fromSeq).setFetchSize(5_000)
                    .map((rs, ctx) -> new Row(rs.getLong(1), rs.getString(2), rs.getString(3))).stream()) {
                rows.forEach(r -> consumer.accept(r.seq(), codec.decode(r.seq(), r.kind(), r.body())));
            }
        });
    }

    /** Streams the raw rows (kind, body) from {@code fromSeq} to {@code toSeq}, in order (no decoding). */
    public void readRaw(long fromSeq, long toSeq, RawConsumer consumer) {
        db.jdbi().useTransaction(h -> {
            try (var rows = h.createQuery("SELECT seq, kind, body FROM journal WHERE seq >= :from AND seq <= :to ORDER BY seq")
                    .bind("from", fromSeq).bind("to", toSeq).setFetchSize(5_000)
                    .map((rs, ctx) -> new Row(rs.getLong(1), rs.getString(2), rs.getString(3))).stream()) {
                rows.forEach(r -> consumer.accept(r.seq(), r.kind(), r.body()));
            }
        });
    }

    /** Receives raw journal rows. */
    @FunctionalInterface
    public interface RawConsumer {
        void accept(long seq, String kind, String body);
    }

    /** Streams the raw bodies of events of one kind from {@code fromSeq} on, in order (no decoding). */
    public void readKinds(long fromSeq, String kind, java.util.function.BiConsumer<Long, String> consumer) {
        db.jdbi().useTransaction(h -> {
            try (var rows = h.createQuery("SELECT seq, body FROM journal WHERE seq >= :from AND kind = :kind ORDER BY seq")
                    .bind("from", fromSeq).bind("kind", kind).setFetchSize(5_000)
                    .map((rs, ctx) -> new Row(rs.getLong(1), kind, rs.getString(2))).stream()) {
                rows.forEach(r -> consumer.accept(r.seq(), r.body()));
            }
        });
    }

    /** Checkpoints (seq → state hash) in order, for verifying a replay. */
    public void checkpoints(Consumer<long[]> consumer) {
        db.jdbi().useHandle(h -> h.createQuery("SELECT seq, state_hash FROM checkpoint ORDER BY seq")
                .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2)}).forEach(consumer));
    }

    /** Receives journal rows. */
    @FunctionalInterface
    public interface SeqConsumer {
        void accept(long seq, Event event);
    }

    private record Row(long seq, String kind, String body) {}

    /** The writer lease was taken by another process: this one must stop deciding. */
    public static final class LeaseLostException extends RuntimeException {
        public LeaseLostException(String message) {
            super(message);
        }
    }
}

package kr.nuri.server.journal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import tools.jackson.databind.json.JsonMapper;

/**
 * Snapshots of the engine (and the server's projections) after a journal position, gzipped JSON. Only the
 * latest few are kept; the journal stays the truth, so a snapshot that cannot be read is skipped.
 */
public final class SnapshotStore {
    private static final int KEEP = 2;
    private final Database db;
    private final JsonMapper json;

    public SnapshotStore(Database db, JsonMapper json) {
        this.db = db;
        this.json = json;
    }

    /** A stored snapshot: the journal position it follows, the state hash there, the decoded body. */
    public record Stored<T>(long seq, long stateHash, T body) {}

    public void save(long seq, long stateHash, long atMillis, Object body) {
        byte[] bytes = gzip(body);
        db.jdbi().useTransaction(h -> {
            h.createUpdate("INSERT INTO snapshot (seq, state_hash, at, body) VALUES (:seq, :hash, :at, :body)")
                    .bind("seq", seq).bind("hash", stateHash).bind("at", atMillis).bind("body", bytes).execute();
            h.createUpdate("DELETE FROM snapshot WHERE seq < (SELECT MIN(seq) FROM (SELECT seq FROM snapshot ORDER BY seq DESC LIMIT "
                    + KEEP + ") AS newest)").execute();
        });
    }

    /** Removes snapshots taken after journal position {@code seq}. */
    public void dropAfter(long seq) {
        db.jdbi().useHandle(h -> h.createUpdate("DELETE FROM snapshot WHERE seq > :seq").bind("seq", seq).execute());
    }

    /** The newest snapshot, if there is one. */
    public <T> Optional<Stored<T>> latest(Class<T> type) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT seq, state_hash, body FROM snapshot ORDER BY seq DESC LIMIT 1")
                .map((rs, ctx) -> new Stored<>(rs.getLong(1), rs.getLong(2), gunzip(rs.getBytes(3), type))).findOne());
    }

    private byte[] gzip(Object body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out, 1 << 16)) {
            json.writeValue(z, body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private <T> T gunzip(byte[] bytes, Class<T> type) {
        try (GZIPInputStream z = new GZIPInputStream(new ByteArrayInputStream(bytes), 1 << 16)) {
            return json.readValue(z, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package kr.nuri.server.journal.legacy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import kr.nuri.core.config.EngineConfig;
import kr.nuri.core.engine.Engine;
import kr.nuri.server.journal.Database;
import kr.nuri.server.journal.Journal;
import kr.nuri.server.journal.JournalRow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Imports a journal that an earlier Nuri (up to 2026-12) wrote to its embedded H2 store, {@code nuri.mv.db} with
 * the write-ahead file {@code nuri.wal} (and {@code nuri.wal.1}) beside it, into the new embedded store. Both are
 * read as that build recovered them: H2 compacted first when the file holds rows (which finishes a commit a kill
 * left half done), then every row of the file that H2 lacks. The journal, its checkpoints, the tokens and the
 * store's metadata are copied in one transaction; the copy is replayed on the engine and must reproduce the state
 * hash at every checkpoint the old server recorded; the old files stay where they were.
 */
public final class H2Import {
    private static final Logger log = LoggerFactory.getLogger(H2Import.class);
    /** The tables copied as they are (snapshots are not: the import replays the journal anyway). */
    private static final List<String> TABLES = List.of("nuri_meta", "api_token", "journal", "checkpoint");

    private H2Import() {}

    /** What an import did; {@code stateHash}: the positional hash (journal format 1) the old server printed, after its last event. */
    public record Summary(Path from, long events, int checkpointsVerified, int rowsFromWriteAheadFile, long stateHash) {}

    /** The H2 database file an earlier Nuri left in {@code dataDir}, if any. */
    public static Path h2File(Path dataDir) {
        return dataDir.resolve("nuri.mv.db");
    }

    /** Whether {@code dataDir} holds an H2 store and {@code target}'s journal is still empty: an import is due. */
    public static boolean due(Path dataDir, Database target) {
        if (!Files.exists(h2File(dataDir))) return false;
        long rows = target.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM journal").mapTo(Long.class).one());
        return rows == 0;
    }

    /**
     * Copies the H2 store of {@code dataDir} into {@code target} and verifies it by replaying it on an engine built
     * from {@code config}; throws, leaving {@code target}'s journal empty, if anything does not add up.
     */
    public static Summary run(Path dataDir, Database target, kr.nuri.server.journal.EventCodec codec, EngineConfig config) {
        Path base = dataDir.toAbsolutePath().resolve("nuri");
        String url = "jdbc:h2:file:" + base + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_ON_EXIT=FALSE";
        Path wal = dataDir.resolve("nuri.wal");
        List<JournalRow> fileRows = readSegments(wal);
        int fromFile;
        try {
            if (!fileRows.isEmpty()) {
                // As the old build did at start: compaction finishes a commit a kill left half done.
                try (Connection c = DriverManager.getConnection(url, "", ""); Statement st = c.createStatement()) {
                    st.execute("SHUTDOWN COMPACT");
                }
            }
            try (Connection h2 = DriverManager.getConnection(url, "", "")) {
                fromFile = target.jdbi().inTransaction(t -> {
                    Connection to = t.getConnection();
                    for (String table : TABLES) copy(h2, to, table);
                    List<JournalRow> missing = missingFrom(to, fileRows);
                    Journal.insert(t, missing);
                    return missing.size();
                });
                try (Statement st = h2.createStatement()) {
                    st.execute("SHUTDOWN");
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the H2 store " + base + ".mv.db: " + e.getMessage()
                    + ". Maybe another process has it open?", e);
        }
        Summary s = verify(dataDir, target, codec, config, fromFile);
        log.info("imported {} events from the H2 store {} ({} from its write-ahead file), state hash {} verified at {} checkpoints",
                s.events(), h2File(dataDir), fromFile, String.format("%016x", s.stateHash()), s.checkpointsVerified());
        return s;
    }

    /** Replays the copy: contiguous from event 1, and the hash the old server recorded at each checkpoint. */
    private static Summary verify(Path dataDir, Database target, kr.nuri.server.journal.EventCodec codec, EngineConfig config, int fromFile) {
        Map<Long, Long> checkpoints = new HashMap<>();
        target.jdbi().useHandle(h -> h.createQuery("SELECT seq, state_hash FROM checkpoint").map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2)})
                .forEach(c -> checkpoints.put(c[0], c[1])));
        Engine engine = new Engine(config);
        long[] expected = {1};
        int[] verified = {0};
        try {
            target.jdbi().useTransaction(h -> {
                try (var rows = h.createQuery("SELECT seq, kind, body FROM journal ORDER BY seq").setFetchSize(5_000)
                        .map((rs, ctx) -> new Object[] {rs.getLong(1), rs.getString(2), rs.getString(3)}).stream()) {
                    rows.forEach(r -> {
                        long seq = (Long) r[0];
                        if (seq != expected[0]) {
                            throw new IllegalStateException("the H2 store has no event " + expected[0] + " but goes on at event " + seq
                                    + " (neither H2 nor its write-ahead file holds it)");
                        }
                        engine.replay(codec.decode(seq, (String) r[1], (String) r[2]));
                        Long hash = checkpoints.get(seq);
                        if (hash != null) {
                            if (hash != engine.positionalStateHash()) {
                                throw new IllegalStateException("replaying the imported journal gave state hash " + Long.toHexString(engine.positionalStateHash())
                                        + " at event " + seq + " where the old server recorded " + Long.toHexString(hash)
                                        + ". Maybe the fleet file is not the one that store was written with?");
                            }
                            verified[0]++;
                        }
                        expected[0]++;
                    });
                }
            });
        } catch (RuntimeException e) {
            target.jdbi().useTransaction(h -> {
                for (String table : TABLES) h.execute("DELETE FROM " + table);
            });
            throw new IllegalStateException("the H2 store in " + dataDir + " was not imported: " + e.getMessage()
                    + ". Its files are untouched; nothing was kept of the copy.", e);
        }
        return new Summary(h2File(dataDir), expected[0] - 1, verified[0], fromFile, engine.positionalStateHash());
    }

    /** Copies one table, all columns by name. */
    private static void copy(Connection from, Connection to, String table) throws SQLException {
        try (Statement st = from.createStatement(); ResultSet rs = st.executeQuery("SELECT * FROM " + table)) {
            int n = rs.getMetaData().getColumnCount();
            List<String> cols = new ArrayList<>();
            for (int i = 1; i <= n; i++) cols.add(rs.getMetaData().getColumnLabel(i).toLowerCase(java.util.Locale.ROOT));
            String sql = "INSERT INTO " + table + " (" + String.join(", ", cols) + ") VALUES (" + "?, ".repeat(n - 1) + "?)";
            try (PreparedStatement ins = to.prepareStatement(sql)) {
                int batched = 0;
                while (rs.next()) {
                    for (int i = 1; i <= n; i++) ins.setObject(i, rs.getObject(i));
                    ins.addBatch();
                    if (++batched % 5_000 == 0) ins.executeBatch();
                }
                ins.executeBatch();
            }
        }
    }

    /** The write-ahead file's rows that the copied tables lack. */
    private static List<JournalRow> missingFrom(Connection to, List<JournalRow> fileRows) throws SQLException {
        Set<Long> events = seqs(to, "journal");
        Set<Long> checkpoints = seqs(to, "checkpoint");
        List<JournalRow> missing = new ArrayList<>();
        for (JournalRow r : fileRows) {
            if (!(r.event() ? events : checkpoints).contains(r.seq())) missing.add(r);
        }
        return missing;
    }

    private static Set<Long> seqs(Connection c, String table) throws SQLException {
        Set<Long> out = new HashSet<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT seq FROM " + table)) {
            while (rs.next()) out.add(rs.getLong(1));
        }
        return out;
    }

    /**
     * The complete rows of the old write-ahead file's two segments, the older ({@code nuri.wal.1}) first. One row per
     * line, tab-separated: {@code E seq at kind body} or {@code C seq hash at}; a last line without its newline was
     * a write a kill interrupted, never acknowledged.
     */
    static List<JournalRow> readSegments(Path wal) {
        List<JournalRow> rows = read(wal.resolveSibling(wal.getFileName() + ".1"));
        rows.addAll(read(wal));
        return rows;
    }

    private static List<JournalRow> read(Path path) {
        List<JournalRow> rows = new ArrayList<>();
        if (!Files.exists(path)) return rows;
        try (BufferedReader in = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            StringBuilder line = new StringBuilder();
            int lineNo = 0;
            for (int c; (c = in.read()) >= 0; ) {
                if (c != '\n') {
                    line.append((char) c);
                    continue;
                }
                lineNo++;
                rows.add(parse(path, lineNo, line.toString()));
                line.setLength(0);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the old write-ahead file " + path + ": " + e.getMessage(), e);
        }
        return rows;
    }

    private static JournalRow parse(Path path, int lineNo, String line) {
        String[] f = line.split("\t", 5);
        try {
            if (f[0].equals("E") && f.length == 5) return JournalRow.event(Long.parseLong(f[1]), Long.parseLong(f[2]), f[3], f[4]);
            if (f[0].equals("C") && f.length == 4) return JournalRow.checkpoint(Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]));
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalStateException(path + " line " + lineNo + " is not a journal row: '"
                + (line.length() > 80 ? line.substring(0, 80) + "…" : line) + "'. The file is damaged.");
    }
}

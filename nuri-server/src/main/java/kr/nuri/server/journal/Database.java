package kr.nuri.server.journal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;

/**
 * The store behind the journal: an embedded H2 file database by default, PostgreSQL in production. Opens a
 * small connection pool and brings the schema up to date with Flyway before anything reads it.
 */
public final class Database implements AutoCloseable {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Database.class);
    private final String url;
    private final HikariDataSource pool;
    private final Jdbi jdbi;

    private Database(String url, HikariDataSource pool) {
        this.url = url;
        this.pool = pool;
        this.jdbi = Jdbi.create(pool);
    }

    /** The embedded default: an H2 file database in {@code dir} (created if missing). */
    public static String embeddedUrl(Path dir) {
        // DB_CLOSE_ON_EXIT=FALSE: Nuri's own shutdown hook writes what is waiting and releases the lease first.
        return "jdbc:h2:file:" + dir.toAbsolutePath().resolve("nuri") + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_ON_EXIT=FALSE";
    }

    /** The write-ahead file of an H2 file database ({@code <database file>.wal}); null for other stores. */
    public static Path journalFileFor(String url) {
        if (url == null || !url.startsWith("jdbc:h2:file:")) return null;
        return Path.of(url.substring("jdbc:h2:file:".length()).split(";", 2)[0] + ".wal").toAbsolutePath();
    }

    /**
     * Opens the store; for an H2 file database, {@code journalFile} is its write-ahead file (see
     * {@link JournalFile} and {@link #journalFileFor}): rows it holds beyond H2's are put back into H2 first.
     */
    public static Database open(String url, String user, String password, Path journalFile) {
        if (url == null || !(url.startsWith("jdbc:h2:") || url.startsWith("jdbc:postgresql:"))) {
            throw new IllegalArgumentException("--db '" + url + "' is not a database Nuri supports. "
                    + "Maybe jdbc:postgresql://host:5432/nuri, or leave it out for the embedded H2 database?");
        }
        if (url.startsWith("jdbc:h2:file:")) {
            try {
                String path = url.substring("jdbc:h2:file:".length()).split(";", 2)[0];
                Path parent = Path.of(path).toAbsolutePath().getParent();
                if (parent != null) Files.createDirectories(parent);
            } catch (java.io.IOException e) {
                throw new IllegalStateException("cannot create the data directory for " + url + ": " + e.getMessage(), e);
            }
        }
        if (url.startsWith("jdbc:h2:file:")) settleEmbedded(url, user, password, journalFile);
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(url);
        if (user != null) hc.setUsername(user);
        if (password != null) hc.setPassword(password);
        hc.setMaximumPoolSize(4);
        hc.setPoolName("nuri");
        hc.setInitializationFailTimeout(10_000);
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(hc);
        } catch (RuntimeException e) {
            String cause = rootMessage(e);
            if (url.startsWith("jdbc:h2:") && cause != null && cause.contains("locked")) {
                throw new IllegalStateException("the embedded database " + url.split(";", 2)[0].substring("jdbc:h2:file:".length())
                        + " is open in another process (another nuri serve?). Stop that one, or give this one its own --data DIR.", e);
            }
            throw new IllegalStateException("cannot connect to " + url + ": " + cause
                    + ". Maybe the server is not running, or the user/password (--db-user, NURI_DB_USER) is wrong?", e);
        }
        // Shared SQL in common/; what the two databases spell differently (binary columns) in one folder each.
        String vendor = url.startsWith("jdbc:postgresql:") ? "postgresql" : "h2";
        Flyway.configure().dataSource(pool).locations("classpath:db/migration/common", "classpath:db/migration/" + vendor).load().migrate();
        return new Database(url, pool);
    }

    /**
     * Opens the embedded database alone (compacting it first when its write-ahead file holds rows), puts back the
     * rows of that file that H2 lacks, and shuts it down cleanly before the pool opens it for good; the file is
     * emptied only after that clean shutdown. Killed again and again, H2 came back without commits it had
     * acknowledged, also after {@code CHECKPOINT SYNC} (see README, durability); the write-ahead file is what keeps them.
     */
    private static void settleEmbedded(String url, String user, String password, Path journalFile) {
        List<JournalFile.Row> rows = journalFile == null ? List.of() : JournalFile.readSegments(journalFile);
        int restored = 0;
        String u = user == null ? "" : user;
        String pw = password == null ? "" : password;
        if (!rows.isEmpty()) {
            // A run wrote since the last start, and may have been killed. H2 killed mid-commit was seen to reopen with
            // committed rows that no query shows and that an insert of the same key then waits on forever (its
            // transaction left "committing"; a replay would also skip them). SHUTDOWN COMPACT rewrites the store and
            // finishes such commits; the rows are then visible and the restore below finds them.
            try (java.sql.Connection c = java.sql.DriverManager.getConnection(url, u, pw); java.sql.Statement st = c.createStatement()) {
                st.execute("SHUTDOWN COMPACT");
            } catch (java.sql.SQLException e) {
                throw embeddedFailure(url, e);
            }
        }
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(url, u, pw)) {
            if (!rows.isEmpty()) {
                // A second connection for the rows: a Jdbi handle cannot be closed once SHUTDOWN has closed the database.
                try (org.jdbi.v3.core.Handle h = Jdbi.open(url, u, pw)) {
                    restored = restore(h, rows, journalFile);
                }
            }
            try (java.sql.Statement st = c.createStatement()) {
                st.execute("SHUTDOWN");
            }
        } catch (java.sql.SQLException | org.jdbi.v3.core.JdbiException e) {
            throw embeddedFailure(url, e);
        }
        if (restored > 0) log.warn("the embedded database lacked {} journal rows that {} held; they are back", restored, journalFile);
        if (journalFile != null) JournalFile.truncate(journalFile);
    }

    private static IllegalStateException embeddedFailure(String url, Exception e) {
        String cause = rootMessage(e);
        if (cause != null && cause.contains("locked")) {
            return new IllegalStateException("the embedded database " + url.split(";", 2)[0].substring("jdbc:h2:file:".length())
                    + " is open in another process (another nuri serve?). Stop that one, or give this one its own --data DIR.", e);
        }
        return new IllegalStateException("cannot open the embedded database " + url + ": " + cause, e);
    }

    /**
     * Inserts the file's rows that H2 lacks (as {@link Journal} inserts rows); returns how many. H2 was seen to keep a
     * later commit and lose an earlier one (a snapshot ahead of the journal), so rows are looked up one by one
     * rather than taken from H2's last row on.
     */
    private static int restore(org.jdbi.v3.core.Handle h, List<JournalFile.Row> rows, Path journalFile) {
        boolean hasJournal = h.queryMetadata(md -> md.getTables(null, null, "journal", null)).mapToMap().findFirst().isPresent();
        if (!hasJournal) {
            throw new IllegalStateException(journalFile + " holds journal rows but the embedded database has no journal: "
                    + "it is not the database they were written to. Move the file aside or restore that database.");
        }
        long first = rows.getFirst().seq();
        long last = rows.getLast().seq();
        java.util.Set<Long> events = seqs(h, "journal", first, last);
        java.util.Set<Long> checkpoints = seqs(h, "checkpoint", first, last);
        long before = h.createQuery("SELECT COALESCE(MAX(seq), 0) FROM journal WHERE seq < :first").bind("first", first).mapTo(Long.class).one();
        JournalFile.Row firstEvent = rows.stream().filter(JournalFile.Row::event).findFirst().orElse(null);
        if (firstEvent != null && !events.contains(firstEvent.seq()) && before != firstEvent.seq() - 1) {
            throw new IllegalStateException(journalFile + " continues the journal at event " + firstEvent.seq() + " but the database ends at event "
                    + before + ": rows in between are in neither. Refusing to start on a journal with a hole.");
        }
        List<JournalFile.Row> missing = new java.util.ArrayList<>();
        for (JournalFile.Row r : rows) {
            if (!(r.event() ? events : checkpoints).contains(r.seq())) missing.add(r);
        }
        long lastKept = events.stream().mapToLong(Long::longValue).max().orElse(before);
        h.useTransaction(t -> Journal.insert(t, missing));
        long inside = missing.stream().filter(r -> r.event() && r.seq() < lastKept).count();
        if (inside > 0) log.warn("{} of the restored rows lay below rows the embedded database had kept", inside);
        return missing.size();
    }

    private static java.util.Set<Long> seqs(org.jdbi.v3.core.Handle h, String table, long from, long to) {
        return new java.util.HashSet<>(h.createQuery("SELECT seq FROM " + table + " WHERE seq BETWEEN :from AND :to")
                .bind("from", from).bind("to", to).mapTo(Long.class).list());
    }

    private static String rootMessage(Throwable e) {
        while (e.getCause() != null) e = e.getCause();
        return e.getMessage();
    }

    public String url() { return url; }

    public Jdbi jdbi() { return jdbi; }

    public boolean isPostgres() { return url.startsWith("jdbc:postgresql:"); }

    /**
     * Makes what was just committed survive a crash. PostgreSQL's commit already does (synchronous_commit);
     * H2 keeps commits in memory and writes them in the background, so a killed process loses acknowledged
     * transactions (H2's documented "durability problems") unless it is told to write and sync them.
     */
    public void sync(org.jdbi.v3.core.Handle h) {
        if (!isPostgres()) h.execute("CHECKPOINT SYNC");
    }

    @Override
    public void close() {
        pool.close();
    }
}

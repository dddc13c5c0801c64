package kr.nuri.server.journal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;

/**
 * The store behind the journal: an embedded H2 file database by default, PostgreSQL in production. Opens a
 * small connection pool and brings the schema up to date with Flyway before anything reads it.
 */
public final class Database implements AutoCloseable {
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

    public static Database open(String url, String user, String password) {
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
        if (url.startsWith("jdbc:h2:file:")) settleEmbedded(url, user, password);
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
     * Opens the embedded database alone and shuts it down cleanly before the pool opens it for good. Killed again
     * and again, H2 came back without commits it had acknowledged (25 of 2,260 acknowledged submissions lost over
     * 25 SIGKILLs); with this clean open and shutdown after each crash the loss fell to 10 of 10,823 over 115
     * SIGKILLs. It does not end it: see README, durability.
     */
    private static void settleEmbedded(String url, String user, String password) {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(url, user == null ? "" : user, password == null ? "" : password);
             java.sql.Statement st = c.createStatement()) {
            st.execute("SHUTDOWN");
        } catch (java.sql.SQLException e) {
            String cause = rootMessage(e);
            if (cause != null && cause.contains("locked")) {
                throw new IllegalStateException("the embedded database " + url.split(";", 2)[0].substring("jdbc:h2:file:".length())
                        + " is open in another process (another nuri serve?). Stop that one, or give this one its own --data DIR.", e);
            }
            throw new IllegalStateException("cannot open the embedded database " + url + ": " + cause, e);
        }
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

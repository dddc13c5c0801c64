package kr.nuri.server.journal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;

/**
 * The store behind the journal: an embedded SQLite database by default (WAL journal mode, {@code synchronous=FULL}:
 * a commit is on disk when it returns, which is SQLite's own job and among the most tested code there is), PostgreSQL
 * in production (its commit is durable likewise). Opens a small connection pool and brings the schema up to date
 * with Flyway before anything reads it. What the two spell differently is named here: {@link #forUpdate()} and
 * the binary column type of {@code snapshot} (one migration folder each).
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

    /** The embedded default: a SQLite database {@code nuri.db} in {@code dir} (created if missing). */
    public static String embeddedUrl(Path dir) {
        return "jdbc:sqlite:" + dir.toAbsolutePath().resolve("nuri.db");
    }

    /** Opens the store: the embedded SQLite file or a PostgreSQL server. */
    public static Database open(String url, String user, String password) {
        if (url != null && url.startsWith("jdbc:h2:")) {
            throw new IllegalArgumentException("--db '" + url + "': H2 is no longer a journal store (killed, it was measured to lose commits "
                    + "it had acknowledged). Maybe leave --db out: nuri serve --data DIR imports the H2 store it finds in DIR into SQLite?");
        }
        if (url == null || !(url.startsWith("jdbc:sqlite:") || url.startsWith("jdbc:postgresql:"))) {
            throw new IllegalArgumentException("--db '" + url + "' is not a database Nuri supports. "
                    + "Maybe jdbc:postgresql://host:5432/nuri, or leave it out for the embedded SQLite database?");
        }
        boolean sqlite = url.startsWith("jdbc:sqlite:");
        if (sqlite) createPrivateDirectory(Path.of(url.substring("jdbc:sqlite:".length()).split("\\?", 2)[0]).toAbsolutePath().getParent());
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(url);
        if (user != null) hc.setUsername(user);
        if (password != null) hc.setPassword(password);
        if (sqlite) {
            // Every connection: write-ahead log, a commit synced before it returns, and a wait (not an error) while the
            // one writer holds the lock.
            hc.addDataSourceProperty("journal_mode", "WAL");
            hc.addDataSourceProperty("synchronous", "FULL");
            hc.addDataSourceProperty("busy_timeout", "10000");
        }
        hc.setMaximumPoolSize(4);
        hc.setPoolName("nuri");
        hc.setInitializationFailTimeout(10_000);
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(hc);
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot connect to " + url + ": " + rootMessage(e)
                    + ". Maybe the server is not running, or the user/password (--db-user, NURI_DB_USER) is wrong?", e);
        }
        // Shared SQL in common/; what the two databases spell differently (binary columns) in one folder each.
        String vendor = sqlite ? "sqlite" : "postgresql";
        try {
            Flyway.configure().dataSource(pool).locations("classpath:db/migration/common", "classpath:db/migration/" + vendor).load().migrate();
        } catch (RuntimeException e) {
            pool.close();
            throw new IllegalStateException("cannot bring the schema of " + url + " up to date: " + rootMessage(e), e);
        }
        if (sqlite) restrictFiles(Path.of(url.substring("jdbc:sqlite:".length()).split("\\?", 2)[0]).toAbsolutePath());
        return new Database(url, pool);
    }

    /** The data directory, created readable by its owner alone (it holds the journal and token hashes). */
    private static void createPrivateDirectory(Path dir) {
        if (dir == null) return;
        try {
            boolean existed = Files.isDirectory(dir);
            Files.createDirectories(dir);
            if (!existed) setPermissions(dir, "rwx------");
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot create the data directory " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The database file and SQLite's files beside it: readable and writable by their owner alone. */
    private static void restrictFiles(Path file) {
        for (String suffix : new String[] {"", "-wal", "-shm"}) {
            Path f = file.resolveSibling(file.getFileName() + suffix);
            if (Files.exists(f)) setPermissions(f, "rw-------");
        }
    }

    private static void setPermissions(Path p, String perms) {
        try {
            Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString(perms));
        } catch (UnsupportedOperationException | java.io.IOException e) {
            // not a POSIX file system: the files are as private as their directory
        }
    }

    private static String rootMessage(Throwable e) {
        while (e.getCause() != null) e = e.getCause();
        return e.getMessage();
    }

    public String url() { return url; }

    public Jdbi jdbi() { return jdbi; }

    public boolean isPostgres() { return url.startsWith("jdbc:postgresql:"); }

    /** The row lock a read-then-write transaction takes: PostgreSQL's; SQLite has one writer, whose lock is the file's. */
    public String forUpdate() {
        return isPostgres() ? " FOR UPDATE" : "";
    }

    @Override
    public void close() {
        pool.close();
    }

    /** A fact about this store (nuri_meta), or null. */
    public String meta(String name) {
        return jdbi.withHandle(h -> h.createQuery("SELECT val FROM nuri_meta WHERE name = :n").bind("n", name)
                .mapTo(String.class).findOne().orElse(null));
    }

    public void setMeta(String name, String value) {
        jdbi.useTransaction(h -> {
            h.createUpdate("DELETE FROM nuri_meta WHERE name = :n").bind("n", name).execute();
            h.createUpdate("INSERT INTO nuri_meta (name, val) VALUES (:n, :v)").bind("n", name).bind("v", value).execute();
        });
    }
}

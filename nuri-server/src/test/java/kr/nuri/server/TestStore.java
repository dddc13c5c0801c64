package kr.nuri.server;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The two stores the integration tests run against: the embedded SQLite file database, and the real
 * PostgreSQL (NURI_TEST_PG, default jdbc:postgresql://127.0.0.1:5432/test as postgres) in a fresh schema
 * per test, dropped afterwards.
 */
public enum TestStore {
    SQLITE, POSTGRES;

    private static final AtomicInteger SCHEMAS = new AtomicInteger();
    public static final String PG_URL = System.getenv().getOrDefault("NURI_TEST_PG", "jdbc:postgresql://127.0.0.1:5432/test");
    public static final String PG_USER = System.getenv().getOrDefault("NURI_TEST_PG_USER", "postgres");
    public static final String PG_PASSWORD = System.getenv().getOrDefault("NURI_TEST_PG_PASSWORD", "postgres");

    /** A JDBC URL for a new, empty database of this kind (null = embedded in {@code dir}). */
    public String newDatabase(Path dir) {
        if (this == SQLITE) return null;
        String schema = "nuri_it_" + ProcessHandle.current().pid() + "_" + SCHEMAS.incrementAndGet();
        try (Connection c = DriverManager.getConnection(PG_URL, PG_USER, PG_PASSWORD)) {
            c.createStatement().execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            c.createStatement().execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + PG_URL + " is needed for the integration tests: " + e.getMessage()
                    + ". .ci/run starts it; locally: pg_ctlcluster --skip-systemctl-redirect 15 main start", e);
        }
        return PG_URL + (PG_URL.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    public static void drop(String url) {
        if (url == null) return;
        String schema = url.substring(url.indexOf("currentSchema=") + "currentSchema=".length());
        try (Connection c = DriverManager.getConnection(PG_URL, PG_USER, PG_PASSWORD)) {
            c.createStatement().execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        } catch (SQLException e) {
            // leave it; the name is unique
        }
    }
}

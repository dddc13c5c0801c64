package kr.nuri.server;

import java.nio.file.Path;
import kr.nuri.core.config.AssertionLevel;
import kr.nuri.config.NuriConfig;
import kr.nuri.server.loop.LoopSettings;

/**
 * How to run a server.
 *
 * @param dbUrl      JDBC URL; null = the embedded SQLite database in {@code dataDir}
 * @param dataDir    where the embedded database and the first operator token live
 * @param assertions invariant checks while replaying and running (off in production; full in tests)
 * @param tokenTtlMillis how long a token works unless its maker says otherwise
 */
public record ServerOptions(NuriConfig config, String host, int port, String dbUrl, String dbUser, String dbPassword,
                            Path dataDir, LoopSettings loop, AssertionLevel assertions, long leaseTtlMillis, long tokenTtlMillis) {

    public ServerOptions {
        if (tokenTtlMillis < 60_000) throw new IllegalArgumentException("tokens would expire after " + tokenTtlMillis + " ms. Maybe 90 days?");
    }

    /** Options with tokens valid for 90 days. */
    public ServerOptions(NuriConfig config, String host, int port, String dbUrl, String dbUser, String dbPassword,
                         Path dataDir, LoopSettings loop, AssertionLevel assertions, long leaseTtlMillis) {
        this(config, host, port, dbUrl, dbUser, dbPassword, dataDir, loop, assertions, leaseTtlMillis,
                kr.nuri.server.auth.TokenStore.DEFAULT_TTL_MILLIS);
    }

    public boolean embedded() {
        return dbUrl == null;
    }
}

package kr.nuri.server;

import java.nio.file.Path;
import kr.nuri.core.config.AssertionLevel;
import kr.nuri.config.NuriConfig;
import kr.nuri.server.api.FleetVisibility;
import kr.nuri.server.loop.LoopSettings;

/**
 * How to run a server.
 *
 * @param dbUrl      JDBC URL; null = the embedded SQLite database in {@code dataDir}
 * @param dataDir    where the embedded database and the first operator token live
 * @param assertions invariant checks while replaying and running (off in production; full in tests)
 * @param tokenTtlMillis how long a token works unless its maker says otherwise
 * @param visibility what of the fleet tenants' members see
 */
public record ServerOptions(NuriConfig config, String host, int port, String dbUrl, String dbUser, String dbPassword,
                            Path dataDir, LoopSettings loop, AssertionLevel assertions, long leaseTtlMillis, long tokenTtlMillis,
                            FleetVisibility visibility) {

    public ServerOptions {
        if (visibility == null) throw new IllegalArgumentException("visibility is null. Maybe FleetVisibility.DEFAULT?");
        if (tokenTtlMillis < 60_000) throw new IllegalArgumentException("tokens would expire after " + tokenTtlMillis + " ms. Maybe 90 days?");
    }

    /** Options with the default fleet visibility. */
    public ServerOptions(NuriConfig config, String host, int port, String dbUrl, String dbUser, String dbPassword,
                         Path dataDir, LoopSettings loop, AssertionLevel assertions, long leaseTtlMillis, long tokenTtlMillis) {
        this(config, host, port, dbUrl, dbUser, dbPassword, dataDir, loop, assertions, leaseTtlMillis, tokenTtlMillis, FleetVisibility.DEFAULT);
    }

    /** These options, tenants' members seeing {@code v} of the fleet. */
    public ServerOptions withVisibility(FleetVisibility v) {
        return new ServerOptions(config, host, port, dbUrl, dbUser, dbPassword, dataDir, loop, assertions, leaseTtlMillis, tokenTtlMillis, v);
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

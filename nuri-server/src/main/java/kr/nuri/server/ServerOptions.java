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
 */
public record ServerOptions(NuriConfig config, String host, int port, String dbUrl, String dbUser, String dbPassword,
                            Path dataDir, LoopSettings loop, AssertionLevel assertions, long leaseTtlMillis) {

    public boolean embedded() {
        return dbUrl == null;
    }
}

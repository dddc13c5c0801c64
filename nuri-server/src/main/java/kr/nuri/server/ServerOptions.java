package kr.nuri.server;

import java.nio.file.Path;
import kr.nuri.core.config.AssertionLevel;
import kr.nuri.config.NuriConfig;
import kr.nuri.server.loop.LoopSettings;

/**
 * How to run a server.
 *
 * @param dbUrl      JDBC URL; null = the embedded H2 database in {@code dataDir}
 * @param dataDir    where the embedded database and the first operator token live
 * @param assertions invariant checks while replaying and running (off in production; full in tests)
 * @param walSegmentBytes size at which an H2 file database's write-ahead file starts a new segment (see
 *                   {@link kr.nuri.server.journal.JournalFile})
 */
public record ServerOptions(NuriConfig config, String host, int port, String dbUrl, String dbUser, String dbPassword,
                            Path dataDir, LoopSettings loop, AssertionLevel assertions, long leaseTtlMillis, long walSegmentBytes) {
    /** 64 MiB: at 5,000 submissions/s a new segment about every 20 s. */
    public static final long DEFAULT_WAL_SEGMENT_BYTES = 64L << 20;

    public ServerOptions {
        if (walSegmentBytes < 4_096) {
            throw new IllegalArgumentException("the write-ahead file's segment size " + walSegmentBytes + " bytes is under 4 KiB. Maybe 64 MiB?");
        }
    }

    public boolean embedded() {
        return dbUrl == null;
    }
}

package kr.nuri.server;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A test class whose every test runs on each store ({@link TestStore}: SQLite, PostgreSQL) against a server started
 * fresh in a temporary data directory ({@link #s}) and stopped after it. (Both annotations are inherited.)
 */
@ParameterizedClass
@EnumSource(TestStore.class)
abstract class ServerTestCase {
    @Parameter
    TestStore store;

    @TempDir
    Path dir;

    TestServer s;

    @BeforeEach
    void start() {
        s = new TestServer(store, dir).start();
    }

    @AfterEach
    void stop() {
        s.close();
    }
}

package kr.nuri.cli;

import picocli.CommandLine.Option;

/** Where the journal lives: PostgreSQL by URL, user and password (options or environment), else embedded SQLite. */
final class DatabaseOptions {
    @Option(names = "--db", defaultValue = "${env:NURI_DB}", paramLabel = "JDBC_URL",
            description = "PostgreSQL, e.g. jdbc:postgresql://127.0.0.1:5432/nuri (env NURI_DB). Default: the embedded SQLite database (--data DIR).")
    String url;

    @Option(names = "--db-user", defaultValue = "${env:NURI_DB_USER}", description = "Database user (env NURI_DB_USER).")
    String user;

    @Option(names = "--db-password", defaultValue = "${env:NURI_DB_PASSWORD}", description = "Database password (env NURI_DB_PASSWORD).")
    String password;

    String url() { return blankToNull(url); }

    String user() { return blankToNull(user); }

    String password() { return blankToNull(password); }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}

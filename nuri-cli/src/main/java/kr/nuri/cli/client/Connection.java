package kr.nuri.cli.client;

import picocli.CommandLine.Option;

/** The server options every client command shares. */
public final class Connection {
    @Option(names = "--url", description = "Server URL (env NURI_URL; default http://127.0.0.1:8080).")
    String url;

    @Option(names = "--token", description = "Bearer token (env NURI_TOKEN; default ./nuri-data/operator-token).")
    String token;

    public ApiClient client() {
        return ApiClient.from(url, token);
    }
}

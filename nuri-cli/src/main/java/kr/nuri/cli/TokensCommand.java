package kr.nuri.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import kr.nuri.cli.client.Connection;
import kr.nuri.cli.client.Query;
import kr.nuri.cli.client.Table;
import kr.nuri.cli.client.Text;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/** {@code nuri tokens list|create|revoke}: bearer tokens (operators all; tenant admins their subtree's). */
@Command(name = "tokens", mixinStandardHelpOptions = true,
        description = "List, create or revoke bearer tokens: nuri tokens list | create --user U --role R [--tenant T] [--days N] | revoke ID")
final class TokensCommand implements Callable<Integer> {
    @Mixin Connection connection;

    @Parameters(index = "0", paramLabel = "list|create|revoke")
    String action;

    @Parameters(index = "1", arity = "0..1", paramLabel = "ID")
    String id;

    @Option(names = "--user", description = "create: the user the token acts as.")
    String user;

    @Option(names = "--role", defaultValue = "user", description = "create: operator, programme-manager, tenant-admin or user (default: ${DEFAULT-VALUE}).")
    String role;

    @Option(names = "--tenant", description = "create: the tenant a user or tenant-admin token acts in.")
    String tenant;

    @Option(names = "--days", description = "create: how many days it works (default: the server's, 90 unless set).")
    Integer days;

    @Override
    public Integer call() {
        var c = connection.client();
        switch (action) {
            case "list" -> {
                Table t = new Table("ID", "USER", "ROLE", "TENANT", "CREATED", "EXPIRES", "LAST_USED");
                for (JsonNode k : c.get("/api/v1/tokens")) {
                    t.row(k.path("id").asString(), k.path("user").asString(), k.path("role").asString(), k.path("tenant").asString("-"),
                            k.path("created").asString(), k.path("expires").asString(), k.path("lastUsed").asString("never"));
                }
                t.print(System.out);
            }
            case "create" -> {
                if (user == null) throw new IllegalArgumentException("nuri tokens create needs --user. Maybe --user alice --role user --tenant kaist?");
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("user", user);
                body.put("role", role);
                if (tenant != null) body.put("tenant", tenant);
                if (days != null) body.put("expiresInDays", days);
                JsonNode made = c.post("/api/v1/tokens", body);
                System.out.println("token " + Text.printable(made.path("token").path("id").asString()) + " for " + Text.printable(user)
                        + ", works until " + made.path("token").path("expires").asString() + " (shown once):");
                System.out.println("  " + made.path("secret").asString());
            }
            case "revoke" -> {
                if (id == null) throw new IllegalArgumentException("nuri tokens revoke needs the token's ID (see nuri tokens list)");
                c.send("DELETE", "/api/v1/tokens/" + Query.encode(id), null);
                System.out.println("revoked " + Text.printable(id));
            }
            default -> throw new IllegalArgumentException("nuri tokens " + Text.printable(action) + ": maybe list, create or revoke?");
        }
        return 0;
    }
}

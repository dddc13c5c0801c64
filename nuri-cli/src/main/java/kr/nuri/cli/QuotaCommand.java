package kr.nuri.cli;

import java.util.concurrent.Callable;
import kr.nuri.cli.client.Connection;
import kr.nuri.cli.client.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import tools.jackson.databind.JsonNode;

/** {@code nuri quota}: the quota tree you may see, per GPU model: nominal, limits, awarded, used, borrowed. */
@Command(name = "quota", mixinStandardHelpOptions = true, description = "Show quotas and usage per tenant and GPU model.")
final class QuotaCommand implements Callable<Integer> {
    @Mixin Connection connection;

    @Override
    public Integer call() {
        JsonNode tenants = connection.client().get("/api/v1/tenants");
        Table t = new Table("TENANT", "PARENT", "MODEL", "NOMINAL", "BORROW", "LEND", "AWARDED", "GUARANTEED", "USED", "BORROWED");
        for (JsonNode tenant : tenants) {
            JsonNode quotas = tenant.path("quotas");
            if (quotas.isEmpty()) {
                t.row(tenant.path("name").asString(), tenant.path("parent").asString("-"), "", "", "", "", "", "", "", "");
            }
            for (JsonNode q : quotas) {
                t.row(tenant.path("name").asString(), tenant.path("parent").asString("-"), q.path("model").asString(),
                        q.path("nominal").asInt(), limit(q.path("borrowingLimit").asInt()), limit(q.path("lendingLimit").asInt()),
                        q.path("awarded").asInt(), q.path("guaranteed").asLong(), q.path("used").asLong(), q.path("borrowed").asLong());
            }
        }
        t.print(System.out);
        return 0;
    }

    private static String limit(int v) {
        return v < 0 ? "none" : String.valueOf(v);
    }
}

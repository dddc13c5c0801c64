package kr.nuri.cli;

import java.util.concurrent.Callable;
import kr.nuri.cli.client.Connection;
import kr.nuri.cli.client.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import tools.jackson.databind.JsonNode;

/**
 * {@code nuri quota}: the quota tree you may see, per pool (an owner's GPUs of one model): nominal, limits, awarded, used,
 * borrowed; then the pools: GPUs, guaranteed, used by the owner's line, lent now, free.
 */
@Command(name = "quota", mixinStandardHelpOptions = true, description = "Show quotas and usage per tenant and pool, then the pools.")
final class QuotaCommand implements Callable<Integer> {
    @Mixin Connection connection;

    @Override
    public Integer call() {
        JsonNode tenants = connection.client().get("/api/v1/tenants");
        Table t = new Table("TENANT", "PARENT", "POOL", "NOMINAL", "BORROW", "LEND", "AWARDED", "GUARANTEED", "USED", "BORROWED");
        for (JsonNode tenant : tenants) {
            JsonNode quotas = tenant.path("quotas");
            if (quotas.isEmpty()) {
                t.row(tenant.path("name").asString(), tenant.path("parent").asString("-"), "", "", "", "", "", "", "", "");
            }
            for (JsonNode q : quotas) {
                t.row(tenant.path("name").asString(), tenant.path("parent").asString("-"), q.path("pool").asString(),
                        q.path("nominal").asInt(), limit(q.path("borrowingLimit").asInt()), limit(q.path("lendingLimit").asInt()),
                        q.path("awarded").asInt(), q.path("guaranteed").asLong(), q.path("used").asLong(), q.path("borrowed").asLong());
            }
        }
        t.print(System.out);
        System.out.println();
        Table pools = new Table("POOL", "MODEL", "OWNER", "GPUS", "GUARANTEED", "OWNER_USES", "LENT", "FREE");
        for (JsonNode p : connection.client().get("/api/v1/pools")) {
            pools.row(p.path("name").asString(), p.path("model").asString(), p.path("owner").asString(), p.path("gpus").asLong(),
                    p.path("guaranteed").asLong(), p.path("usedByOwner").asLong(), p.path("lent").asLong(), p.path("free").asLong());
        }
        pools.print(System.out);
        return 0;
    }

    private static String limit(int v) {
        return v < 0 ? "none" : String.valueOf(v);
    }
}

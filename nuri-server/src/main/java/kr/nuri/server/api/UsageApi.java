package kr.nuri.server.api;

import static io.javalin.http.HandlerType.GET;

import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import kr.nuri.core.state.StateView;
import kr.nuri.core.tenancy.TenantTree;
import kr.nuri.server.auth.Principal;
import kr.nuri.server.auth.Role;
import kr.nuri.server.usage.UsageLedger;

/** GPU-hours by tenant, project, award or GPU model over a time range, as JSON or CSV (like sreport). */
final class UsageApi {
    private final ApiContext api;
    private final UsageLedger ledger;

    UsageApi(ApiContext api, UsageLedger ledger) {
        this.api = api;
        this.ledger = ledger;
    }

    List<ApiRoute> routes() {
        return List.of(new ApiRoute(GET, "/api/v1/usage", Set.of(Role.values()),
                "GPU-hours over [from, to) grouped by=tenant|project|award|model (format=json|csv)", null, this::usage)
                .withQuery("by", "from", "to", "format"));
    }

    record UsageRow(String key, String model, double gpuHours) {}

    record Usage(String from, String to, String by, List<UsageRow> rows, double totalGpuHours) {}

    private void usage(Context ctx) {
        Principal p = ApiContext.principal(ctx);
        String by = ctx.queryParam("by") == null ? "project" : ctx.queryParam("by").toLowerCase(Locale.ROOT);
        if (!List.of("tenant", "project", "award", "model").contains(by)) {
            throw Problem.badRequest("by", by, "by must be tenant, project, award or model");
        }
        String format = ctx.queryParam("format") == null ? "json" : ctx.queryParam("format");
        if (!format.equals("json") && !format.equals("csv")) throw Problem.badRequest("format", format, "format must be json or csv");
        Long fromQ = ctx.queryParam("from") == null ? null : ApiContext.parseTime("from", ctx.queryParam("from"));
        Long toQ = ctx.queryParam("to") == null ? null : ApiContext.parseTime("to", ctx.queryParam("to"));
        if (fromQ != null && toQ != null && toQ <= fromQ) throw Problem.badRequest("to", ctx.queryParam("to"), "to must be after from");
        Usage u = api.call(s -> {
            StateView st = s.engine().state();
            TenantTree tree = st.tenants();
            long now = s.now();
            long from = fromQ == null ? 0 : fromQ;
            long to = toQ == null ? now + 1 : toQ;
            Map<String, Long> sums = new TreeMap<>();
            ledger.forEach(from, to, now, (project, award, model, gpuSeconds) -> {
                if (!api.access.seesTenant(p, project)) return;
                String m = st.fleet().models().get(st.fleet().modelOfPool(model));
                switch (by) {
                    case "project" -> sums.merge(tree.name(project) + "\t" + m, gpuSeconds, Long::sum);
                    case "model" -> sums.merge(m + "\t" + m, gpuSeconds, Long::sum);
                    case "award" -> {
                        if (award >= 0) sums.merge(st.awards().get(award).id() + "\t" + m, gpuSeconds, Long::sum);
                    }
                    default -> {
                        for (int t = project; t >= 0; t = tree.parent(t)) {
                            if (api.access.seesTenant(p, t)) sums.merge(tree.name(t) + "\t" + m, gpuSeconds, Long::sum);
                        }
                    }
                }
            });
            List<UsageRow> rows = new ArrayList<>();
            double total = 0;
            for (var e : sums.entrySet()) {
                String[] k = e.getKey().split("\t");
                rows.add(new UsageRow(k[0], k[1], e.getValue() / 3600.0));
            }
            for (UsageRow r : rows) {
                if (!by.equals("tenant")) total += r.gpuHours();
            }
            if (by.equals("tenant")) total = rows.stream().filter(r -> tree.parent(tree.index(r.key())) < 0
                    || !api.access.seesTenant(p, tree.parent(tree.index(r.key())))).mapToDouble(UsageRow::gpuHours).sum();
            return new Usage(Views.time(from), Views.time(to), by, rows, total);
        });
        if (format.equals("csv")) {
            StringBuilder sb = new StringBuilder(by).append(",model,gpu_hours\n");
            for (UsageRow r : u.rows()) sb.append(r.key()).append(',').append(r.model()).append(',').append(String.format(Locale.ROOT, "%.3f", r.gpuHours())).append('\n');
            ctx.contentType("text/csv").result(sb.toString());
        } else {
            ctx.json(u);
        }
    }
}

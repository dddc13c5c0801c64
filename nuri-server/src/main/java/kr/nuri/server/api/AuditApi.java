package kr.nuri.server.api;

import static io.javalin.http.HandlerType.GET;

import io.javalin.http.Context;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import kr.nuri.server.auth.Principal;
import kr.nuri.server.auth.Role;
import kr.nuri.server.journal.AuditLog;

/**
 * The audit trail: who created or revoked a token, changed a quota, an award or a node's state, or cancelled someone
 * else's job, when, and what it was before and after. Operators read all of it; programme managers the acts on
 * quotas and awards.
 */
final class AuditApi {
    /** What a programme manager may read: the acts on what they manage. */
    private static final List<String> PROGRAMME_ACTIONS = List.of("quota.", "award.");
    private final ApiContext api;

    AuditApi(ApiContext api) {
        this.api = api;
    }

    List<ApiRoute> routes() {
        return List.of(new ApiRoute(GET, "/api/v1/audit", Set.of(Role.OPERATOR, Role.PROGRAMME_MANAGER),
                "The audit trail, newest first (filters: from, to, actor, action prefix; limit)", null, this::list)
                .withQuery("from", "to", "actor", "action", "limit"));
    }

    /** An entry as shown: its time as ISO-8601. */
    record EntryView(long id, String at, String actor, String role, String token, String action, String target, String before, String after) {}

    private void list(Context ctx) {
        Principal p = ApiContext.principal(ctx);
        long from = ctx.queryParam("from") == null ? 0 : ApiContext.parseTime("from", ctx.queryParam("from")) * 1000;
        long to = ctx.queryParam("to") == null ? Long.MAX_VALUE : ApiContext.parseTime("to", ctx.queryParam("to")) * 1000;
        String actor = Identifiers.check("actor", ctx.queryParam("actor"));
        String action = Identifiers.check("action", ctx.queryParam("action"));
        int limit = ApiContext.queryInt(ctx, "limit", 100, 1, 10_000);
        List<AuditLog.Entry> entries = api.audit.list(from, to, actor, action, p.isOperator() ? limit : 10_000);
        ctx.json(entries.stream()
                .filter(e -> p.isOperator() || PROGRAMME_ACTIONS.stream().anyMatch(e.action()::startsWith))
                .limit(limit)
                .map(e -> new EntryView(e.id(), Instant.ofEpochMilli(e.at()).toString(), e.actor(), e.role(), e.token(), e.action(),
                        e.target(), e.before(), e.after()))
                .toList());
    }
}

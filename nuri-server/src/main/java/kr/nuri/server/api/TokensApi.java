package kr.nuri.server.api;

import static io.javalin.http.HandlerType.DELETE;
import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;

import io.javalin.http.Context;
import java.util.List;
import java.util.Set;
import kr.nuri.server.auth.Principal;
import kr.nuri.server.auth.Role;
import kr.nuri.server.auth.TokenStore;

/**
 * Who am I, and tokens: operators make any; tenant admins make tokens for members of their subtree
 * (users and other tenant admins there). The secret is in the answer to the creation only.
 */
final class TokensApi {
    private static final Set<Role> ALL = Set.of(Role.values());
    private static final Set<Role> ADMINS = Set.of(Role.OPERATOR, Role.TENANT_ADMIN);
    private static final java.util.regex.Pattern USER = java.util.regex.Pattern.compile("[A-Za-z0-9._@-]{1,64}");
    private final ApiContext api;

    TokensApi(ApiContext api) {
        this.api = api;
    }

    List<ApiRoute> routes() {
        return List.of(
                new ApiRoute(GET, "/api/v1/whoami", ALL, "The caller's user, role and tenant", null, this::whoami),
                new ApiRoute(GET, "/api/v1/tokens", ADMINS, "Tokens of members you administer (never secrets)", null, this::list),
                new ApiRoute(POST, "/api/v1/tokens", ADMINS, "Make a token for a member (the secret is shown once)", "TokenRequest", this::create),
                new ApiRoute(DELETE, "/api/v1/tokens/{id}", ADMINS, "Revoke a token", null, this::revoke));
    }

    record TokenRequest(String user, String role, String tenant, Integer expiresInDays) {}

    /** A token as shown: never its secret; times as ISO-8601. */
    record TokenView(String id, String user, String role, String tenant, String created, String expires, String lastUsed) {}

    record Created(TokenView token, String secret) {}

    private TokenView view(TokenStore.TokenInfo t) {
        long used = api.tokens.lastUsed(t.id());
        return new TokenView(t.id(), t.user(), t.role().wireName(), t.tenant(), java.time.Instant.ofEpochMilli(t.createdAt()).toString(),
                java.time.Instant.ofEpochMilli(t.expiresAt()).toString(), used == 0 ? null : java.time.Instant.ofEpochMilli(used).toString());
    }

    private void whoami(Context ctx) {
        Principal p = ApiContext.principal(ctx);
        TokenStore.TokenInfo t = api.tokens.get(p.tokenId());
        ctx.json(t == null ? new TokenView(p.tokenId(), p.user(), p.role().wireName(), p.tenant(), null, null, null) : view(t));
    }

    /** Whether p administers a token bound to {@code tenant}: operators all; tenant admins their subtree. */
    private boolean administers(Principal p, String tenant) {
        if (p.isOperator()) return true;
        if (tenant == null) return false;
        return api.access.seesTenant(p, api.access.tenant(tenant));
    }

    private void list(Context ctx) {
        Principal p = ApiContext.principal(ctx);
        ctx.json(api.tokens.all().stream().filter(t -> administers(p, t.tenant())).map(this::view).toList());
    }

    private void create(Context ctx) {
        Principal p = ApiContext.principal(ctx);
        TokenRequest r = api.body(ctx, TokenRequest.class);
        Identifiers.check("user", r.user());
        Identifiers.check("tenant", r.tenant());
        if (r.user() == null || !USER.matcher(r.user()).matches()) {
            throw Problem.badRequest("user", r.user(), "user must be 1 to 64 letters, digits or . _ @ -");
        }
        Role role = r.role() == null ? Role.USER : Role.parse(r.role());
        if (role == null) throw Problem.badRequest("role", r.role(), "role must be operator, programme-manager, tenant-admin or user");
        if ((role == Role.USER || role == Role.TENANT_ADMIN) && r.tenant() == null) {
            throw Problem.badRequest("tenant", null, "a " + role.wireName() + " token needs the tenant it acts in");
        }
        // A tenant the caller may not see answers exactly as one that does not exist (no existence oracle).
        if (r.tenant() != null && (api.access.tenant(r.tenant()) < 0
                || !(p.readsAll() || api.access.seesTenant(p, api.access.tenant(r.tenant()))))) {
            throw Problem.badRequest("tenant", r.tenant(), "no tenant '" + r.tenant() + "'");
        }
        if (!p.isOperator() && (role == Role.OPERATOR || role == Role.PROGRAMME_MANAGER || !administers(p, r.tenant()))) {
            throw Problem.forbidden("a tenant admin makes user or tenant-admin tokens inside " + p.tenant() + " only");
        }
        String tenant = role == Role.OPERATOR || role == Role.PROGRAMME_MANAGER ? null : r.tenant();
        if (r.expiresInDays() != null && (r.expiresInDays() < 1 || r.expiresInDays() > 3_650)) {
            throw Problem.badRequest("expiresInDays", r.expiresInDays(), "expiresInDays must be 1 to 3650. Maybe leave it out for "
                    + api.tokens.defaultTtlMillis() / 86_400_000L + "?");
        }
        long ttl = r.expiresInDays() == null ? api.tokens.defaultTtlMillis() : r.expiresInDays() * 86_400_000L;
        TokenStore.Issued issued = api.tokens.issue(r.user(), role, tenant, api.clockMillis.getAsLong(), ttl);
        api.audit.record(api.act(p, "token.create", issued.info().id(), null,
                "user=" + r.user() + " role=" + role.wireName() + " tenant=" + tenant + " expires=" + view(issued.info()).expires()));
        ctx.status(201).json(new Created(view(issued.info()), issued.token()));
    }

    private void revoke(Context ctx) {
        Principal p = ApiContext.principal(ctx);
        String id = ctx.pathParam("id");
        TokenStore.TokenInfo t = api.tokens.get(id);
        if (t == null || !administers(p, t.tenant())) throw Problem.notFound("token", id);
        try {
            api.tokens.revoke(id, api.clockMillis.getAsLong());
            api.audit.record(api.act(p, "token.revoke", id, "user=" + t.user() + " role=" + t.role().wireName() + " tenant=" + t.tenant(), "revoked"));
        } catch (TokenStore.LastOperatorException e) {
            throw new Problem(409, "last-operator-token", "id", id, e.getMessage());
        }
        ctx.status(204);
    }
}

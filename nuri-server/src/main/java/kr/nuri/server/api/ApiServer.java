package kr.nuri.server.api;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson3;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import kr.nuri.core.tenancy.TenantTree;
import kr.nuri.server.auth.Principal;
import kr.nuri.server.auth.Role;
import kr.nuri.server.auth.TokenStore;
import kr.nuri.server.journal.EventCodec;
import kr.nuri.server.loop.EngineLoop;
import kr.nuri.server.usage.UsageLedger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Where an HTTP request becomes a command: the routes of every API area, bearer-token authentication and
 * role checks around each, problem-details errors, the SSE stream, /metrics and /openapi.json.
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ApiServer.class);
    public static final long MAX_BODY_BYTES = 1_000_000;
    private final ApiContext api;
    private final List<ApiRoute> routes = new ArrayList<>();
    private final EventStream stream;
    private final ServerMetrics metrics;
    private final Map<String, Object> openApi;
    private Javalin app;

    /** {@code tree}: the engine's quota tree as it is now (it grows when a tenant is created). */
    public ApiServer(EngineLoop loop, JsonMapper json, java.util.function.Supplier<TenantTree> tree, TokenStore tokens, UsageLedger ledger,
                     EventCodec codec, ServerMetrics metrics, LongSupplier clockMillis, LongSupplier journalEvents, String version,
                     kr.nuri.server.journal.AuditLog audit, kr.nuri.server.exec.Executions executions,
                     kr.nuri.server.journal.Journal journal, FleetVisibility visibility) {
        Access access = new Access(tree, visibility);
        this.api = new ApiContext(loop, json, access, tokens, clockMillis, audit);
        this.metrics = metrics;
        this.stream = new EventStream(access, codec, journalEvents.getAsLong());
        // A client that missed more than the stream keeps gets it from the journal: read here (off the engine thread), made
        // into messages on the engine thread (who may see a job is decided there).
        stream.replayFrom((after, upTo) -> {
            java.util.List<String[]> rows = new java.util.ArrayList<>();
            journal.readRaw(after + 1, upTo, (seq, kind, body) -> rows.add(new String[] {Long.toString(seq), kind, body}));
            return this.api.call(s -> stream.fromRows(rows, s.engine()));
        });
        routes.addAll(new JobsApi(api, ledger, executions).routes());
        routes.addAll(new FleetApi(api).routes());
        routes.addAll(new TenantsApi(api).routes());
        routes.addAll(new UsageApi(api, ledger).routes());
        routes.addAll(new TokensApi(api).routes());
        routes.addAll(new AuditApi(api).routes());
        routes.addAll(new StatusApi(api, journalEvents, version).routes());
        this.openApi = OpenApi.document(routes, Map.of(
                "SubmitRequest", JobsApi.SubmitRequest.class, "CompleteRequest", JobsApi.CompleteRequest.class,
                "QuotaRequest", TenantsApi.QuotaRequest.class, "AwardRequest", TenantsApi.AwardRequest.class,
                "ReviseRequest", TenantsApi.ReviseRequest.class, "TokenRequest", TokensApi.TokenRequest.class,
                "PolicyRequest", TenantsApi.PolicyRequest.class, "RetireRequest", TenantsApi.RetireRequest.class), version);
        loop.subscribe(stream::prepare);
        metrics.gauge("nuri.engine.queue", "Requests waiting for the engine thread", loop::queueDepth);
        metrics.gauge("nuri.sse.clients", "Open event streams", stream::clients);
        // Wait time to the first start, by class: read on the engine thread as each batch is decided.
        loop.subscribe((firstSeq, events, engine) -> {
            for (var e : events) {
                if (e instanceof kr.nuri.core.event.Event.JobStarted st) {
                    var j = engine.job(st.jobId());
                    if (j != null && j.runs() == 1 && j.startTime() == st.time()) metrics.waited(j.spec().priorityClass(), st.time() - j.submitTime());
                }
            }
            return () -> { };
        });
    }

    /** Every authenticated route, for the OpenAPI document and the isolation tests. */
    public List<ApiRoute> routes() {
        return List.copyOf(routes);
    }

    public ApiServer start(String host, int port) {
        app = Javalin.create(config -> {
            config.jsonMapper(new JavalinJackson3(api.json, false));
            config.http.maxRequestSize = MAX_BODY_BYTES;
            // Javalin copies each response through a buffer of this size, allocated per response; its default (Jetty's
            // 32-KiB output buffer) was 45% of all allocation under a submission load, whose answers are under 1 KiB.
            config.http.responseBufferSize = 4_096;
            config.startup.showJavalinBanner = false;
            config.requestLogger.http((ctx, ms) -> {
                String route;
                try {
                    route = ctx.endpoint().path;
                } catch (RuntimeException none) {
                    route = "unmatched";
                }
                metrics.http(ctx.method().name(), route, ctx.statusCode(), ms);
            });
            config.concurrency.useVirtualThreads = true;
            config.jetty.modifyServer(server -> server.setErrorHandler(new JettyProblems()));
            for (ApiRoute r : routes) config.routes.addHttpHandler(r.method(), r.path(), secured(r.roles(), knownQuery(r)));
            config.routes.get("/healthz", ctx -> ctx.json(Map.of("status", api.loop.isRunning() ? "ok" : "stopped")));
            config.routes.get("/openapi.json", ctx -> ctx.json(openApi));
            config.routes.get("/metrics", secured(Set.of(Role.OPERATOR, Role.PROGRAMME_MANAGER), ctx -> {
                api.call(s -> {
                    metrics.refresh(s.engine().state());
                    return null;
                });
                ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape());
            }));
            // Refused before the stream opens, with a status a browser's EventSource does not retry forever.
            config.routes.before("/api/v1/events", ctx -> {
                Principal p = authenticate(ctx);
                if (p == null) {
                    refused(ctx);
                    ctx.header("WWW-Authenticate", "Bearer realm=\"nuri\"");
                    throw new Problem(401, "unauthenticated", "Authorization", null, "a valid bearer token is required: Authorization: Bearer nuri_…");
                }
                String accept = ctx.header("Accept");
                if (accept == null || !accept.contains("text/event-stream")) {
                    throw new Problem(406, "not-acceptable", "Accept", accept, "this route is a server-sent-event stream: send Accept: text/event-stream");
                }
                for (String q : ctx.queryParamMap().keySet()) {
                    throw Problem.badRequest(q, null, "query parameter '" + Identifiers.escaped(q) + "' is not one GET /api/v1/events takes (it takes none)");
                }
                if (!stream.admits(p)) {
                    throw new Problem(429, "too-many-streams", "Authorization", p.tokenId(), "this token has " + EventStream.MAX_PER_TOKEN
                            + " event streams open already. Maybe close one?");
                }
                ctx.attribute(ApiContext.PRINCIPAL, p);
            });
            config.routes.sse("/api/v1/events", client -> {
                client.keepAlive();
                Principal p = client.ctx().attribute(ApiContext.PRINCIPAL);
                String last = client.ctx().header("Last-Event-ID");
                long lastId = -1;
                try {
                    if (last != null) lastId = Long.parseLong(last.strip());
                } catch (NumberFormatException e) {
                    lastId = 0; // not one of ours: everything still held, or a reset
                }
                stream.serve(client, p, lastId); // blocks this (virtual) request thread until the client goes
            });
            config.routes.exception(Problem.class, (e, ctx) -> ApiContext.problem(ctx, e));
            config.routes.exception(EngineLoop.Unavailable.class, (e, ctx) -> ApiContext.problem(ctx, e));
            config.routes.exception(HttpResponseException.class, (e, ctx) ->
                    ApiContext.problem(ctx, new Problem(e.getStatus(), "http-" + e.getStatus(), null, null, e.getMessage())));
            config.routes.exception(Exception.class, (e, ctx) -> ApiContext.problem(ctx, e));
            config.routes.error(404, ctx -> {
                if (ctx.result() == null) ApiContext.problem(ctx, new Problem(404, "no-route", "path", ctx.path(), "no such route. See /openapi.json"));
            });
            config.routes.error(405, ctx -> ApiContext.problem(ctx, new Problem(405, "method-not-allowed", "method", ctx.method().name(), "see /openapi.json")));
            config.routes.error(413, ctx -> ApiContext.problem(ctx, new Problem(413, "body-too-large", "body", null,
                    "the body is larger than " + MAX_BODY_BYTES + " bytes")));
        });
        app.start(host, port);
        return this;
    }

    public int port() {
        return app.port();
    }

    /** A query parameter the route does not take is refused, naming it: a filter silently ignored answers too much. */
    private static Handler knownQuery(ApiRoute r) {
        return ctx -> {
            for (String name : ctx.queryParamMap().keySet()) {
                if (!r.query().contains(name)) {
                    throw Problem.badRequest(name, Identifiers.escaped(String.join(",", ctx.queryParams(name))), "query parameter '"
                            + Identifiers.escaped(name) + "' is not one " + r.method().name() + " " + r.path() + " takes"
                            + (r.query().isEmpty() ? " (it takes none)" : "; it takes " + r.query().stream().sorted().toList()));
                }
            }
            r.handler().handle(ctx);
        };
    }

    private final java.util.concurrent.atomic.AtomicLong lastRefusalLog = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong refusedSinceLog = new java.util.concurrent.atomic.AtomicLong();

    /** A refused authentication, logged so that an operator can see an attack: at most one line every 10 s, with a count. */
    private void refused(Context ctx) {
        metrics.authFailure();
        long n = refusedSinceLog.incrementAndGet();
        long now = api.clockMillis.getAsLong();
        long last = lastRefusalLog.get();
        if (now - last >= 10_000 && lastRefusalLog.compareAndSet(last, now)) {
            refusedSinceLog.addAndGet(-n);
            String token = ctx.header("Authorization");
            log.warn("refused authentication: {} in the last {} s, the latest from {} for {} {} ({})", n, last == 0 ? 0 : (now - last) / 1000,
                    ctx.ip(), ctx.method().name(), Identifiers.escaped(ctx.path()), token == null ? "no token" : "an unknown, revoked or expired token");
        }
    }

    private Handler secured(Set<Role> roles, Handler handler) {
        return ctx -> {
            Principal p = authenticate(ctx);
            if (p == null) {
                refused(ctx);
                ctx.header("WWW-Authenticate", "Bearer realm=\"nuri\"");
                throw new Problem(401, "unauthenticated", "Authorization", null,
                        "a valid bearer token is required: Authorization: Bearer nuri_…");
            }
            if (!roles.contains(p.role())) {
                throw Problem.forbidden("role " + p.role().wireName() + " may not " + ctx.method().name() + " " + ctx.path());
            }
            ctx.attribute(ApiContext.PRINCIPAL, p);
            handler.handle(ctx);
        };
    }

    private Principal authenticate(Context ctx) {
        String h = ctx.header("Authorization");
        if (h == null || !h.regionMatches(true, 0, "Bearer ", 0, 7)) return null;
        return api.tokens.authenticate(h.substring(7).trim());
    }



    @Override
    public void close() {
        if (app != null) app.stop();
    }
}

package kr.nuri.server.api;

import io.javalin.http.Context;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.concurrent.ExecutionException;
import java.util.function.LongSupplier;
import kr.nuri.core.engine.Result;
import kr.nuri.server.auth.Principal;
import kr.nuri.server.auth.TokenStore;
import kr.nuri.server.loop.EngineLoop;
import kr.nuri.server.loop.Work;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.json.JsonMapper;

/** What every handler needs: the engine loop, JSON, access rules, tokens, the clock. */
final class ApiContext {
    static final String PRINCIPAL = "nuri.principal";
    final EngineLoop loop;
    final JsonMapper json;
    final Access access;
    final TokenStore tokens;
    final LongSupplier clockMillis;
    final kr.nuri.server.journal.AuditLog audit;

    ApiContext(EngineLoop loop, JsonMapper json, Access access, TokenStore tokens, LongSupplier clockMillis, kr.nuri.server.journal.AuditLog audit) {
        this.loop = loop;
        this.json = json;
        this.access = access;
        this.tokens = tokens;
        this.clockMillis = clockMillis;
        this.audit = audit;
    }

    /** An audit entry for an act of {@code p}, now. */
    kr.nuri.server.journal.AuditLog.Entry act(Principal p, String action, String target, String before, String after) {
        return audit.entry(clockMillis.getAsLong(), p.user(), p.role().wireName(), p.tokenId(), action, target, before, after);
    }

    static Principal principal(Context ctx) {
        return ctx.attribute(PRINCIPAL);
    }

    /** Runs work on the engine thread and waits until its batch is durable. */
    <T> T call(Work<T> work) {
        try {
            return loop.submit(work).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Problem(503, "interrupted", null, null, "the request was interrupted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IllegalStateException(e.getCause());
        }
    }

    /**
     * Runs work on the engine thread and answers when its batch is durable, without holding a thread while
     * it waits: the request is suspended on the future (many requests then share one group commit).
     */
    <T> void respond(Context ctx, int status, Work<T> work) {
        respond(ctx, status, work, value -> { });
    }

    /** As {@link #respond(Context, int, Work)}, letting {@code decorate} add headers from the value first. */
    <T> void respond(Context ctx, int status, Work<T> work, java.util.function.Consumer<T> decorate) {
        ctx.future(() -> loop.submit(work).handle((value, error) -> {
            if (error == null) {
                decorate.accept(value);
                ctx.status(status).json(value);
            } else {
                Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null ? error.getCause() : error;
                problem(ctx, cause);
            }
            return null;
        }));
    }

    /** Renders any failure as problem+json: a Problem as it is, an unavailable engine as 503, the rest as 500. */
    static void problem(Context ctx, Throwable t) {
        Problem p = switch (t) {
            case Problem x -> x;
            case EngineLoop.Unavailable u -> {
                ctx.header("Retry-After", "1");
                yield new Problem(503, "unavailable", null, null, u.getMessage());
            }
            case IllegalArgumentException e -> Problem.badRequest("body", null, e.getMessage());
            default -> {
                org.slf4j.LoggerFactory.getLogger(ApiContext.class).error("{} {} failed", ctx.method(), ctx.path(), t);
                yield new Problem(500, "internal-error", null, null, "the server failed; it is logged");
            }
        };
        ctx.status(p.status()).json(p.body(ctx.path()));
        ctx.contentType("application/problem+json"); // after json(), which sets its own
    }

    static void accepted(Result r) {
        if (!r.accepted()) throw Problem.of(r.rejection());
    }

    /** Reads a JSON body into a record; every failure names the field and the value. */
    <T> T body(Context ctx, Class<T> type) {
        byte[] bytes = ctx.bodyAsBytes();
        if (bytes.length == 0) throw Problem.badRequest("body", "", "the request needs a JSON body");
        try {
            T value = json.readValue(bytes, type);
            if (value == null) throw Problem.badRequest("body", "null", "the request needs a JSON object");
            return value;
        } catch (JacksonException first) {
            throw explain(bytes, first, type);
        }
    }

    /** What a field of a request record must be, in the request's words (never the JSON library's). */
    static String expected(Class<?> type, String field) {
        String top = field.contains(".") ? field.substring(0, field.indexOf('.')) : field;
        boolean element = top.contains("[");
        if (element) top = top.substring(0, top.indexOf('['));
        if (type.isRecord()) {
            for (var c : type.getRecordComponents()) {
                if (!c.getName().equals(top)) continue;
                Class<?> t = c.getType();
                if (java.util.List.class.isAssignableFrom(t)) return element ? "a string" : "a list of strings";
                if (t == Integer.class || t == int.class) return "a whole number from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE;
                if (t == Long.class || t == long.class) return "a whole number from " + Long.MIN_VALUE + " to " + Long.MAX_VALUE;
                if (t == Double.class || t == double.class) return "a finite number";
                if (t == Boolean.class || t == boolean.class) return "true or false";
                if (t == String.class) return "a string";
            }
        }
        return "a value of the right type";
    }

    /** Re-reads a refused body as a tree to name the field and the value at fault (only on the error path). */
    private Problem explain(byte[] bytes, JacksonException first, Class<?> type) {
        JsonNode tree;
        try {
            tree = json.readTree(bytes);
        } catch (JacksonException e) {
            var at = e.getLocation();
            return Problem.badRequest("body", null, "malformed JSON" + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr())
                    + ". Maybe a missing quote, comma or brace?");
        }
        if (tree == null || !tree.isObject()) {
            return Problem.badRequest("body", tree == null ? "" : abbreviate(tree.toString()), "the request needs a JSON object");
        }
        JacksonException e = first;
        if (e instanceof UnrecognizedPropertyException u) {
            return Problem.badRequest(path(u), u.getPropertyName(), "unknown field '" + u.getPropertyName()
                    + "'. Maybe one of " + u.getKnownPropertyIds() + "?");
        }
        String field = path(e);
        JsonNode at = tree.at("/" + field.replace('.', '/').replaceAll("\\[(\\d+)]", "/$1"));
        String value = at == null || at.isMissingNode() ? null : abbreviate(at.toString());
        if (field.isEmpty()) return Problem.badRequest("body", null, "the body must be one JSON object and nothing after it");
        return Problem.badRequest(field, value, field + " must be " + expected(type, field));
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "…";
    }

    private static String path(JacksonException e) {
        StringBuilder sb = new StringBuilder();
        for (JacksonException.Reference r : e.getPath()) {
            if (r.getPropertyName() != null) sb.append(sb.isEmpty() ? "" : ".").append(r.getPropertyName());
            else if (r.getIndex() >= 0) sb.append('[').append(r.getIndex()).append(']');
        }
        return sb.toString();
    }

    /** An ISO instant or date (UTC) as engine seconds. */
    static long parseTime(String field, String text) {
        if (text == null || text.isBlank()) throw Problem.badRequest(field, text, field + " is required, e.g. 2026-01-01 or 2026-01-01T09:00:00Z");
        try {
            return text.length() == 10 ? LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toEpochSecond() : Instant.parse(text).getEpochSecond();
        } catch (DateTimeParseException e) {
            throw Problem.badRequest(field, text, field + " is not a date or time. Maybe 2026-01-01 or 2026-01-01T09:00:00Z?");
        }
    }

    static int queryInt(Context ctx, String name, int dflt, int min, int max) {
        String v = ctx.queryParam(name);
        if (v == null) return dflt;
        try {
            int i = Integer.parseInt(v);
            if (i >= min && i <= max) return i;
        } catch (NumberFormatException e) {
            // fall through
        }
        throw Problem.badRequest(name, v, name + " must be a whole number from " + min + " to " + max);
    }
}

package kr.nuri.server.api;

import kr.nuri.core.engine.Rejection;

/**
 * An RFC 9457 problem-details answer: HTTP status, a short title, the field at fault and its value, and
 * a detail that says what to do. Thrown by handlers; rendered by the server as application/problem+json.
 */
public final class Problem extends RuntimeException {
    private final int status;
    private final String title;
    private final String field;
    private final String value;

    /** The field, value and detail may quote what a client sent: anything not printable is written as {@code \\uXXXX}. */
    public Problem(int status, String title, String field, Object value, String detail) {
        super(detail == null ? null : Identifiers.escaped(detail));
        this.status = status;
        this.title = title;
        this.field = field == null ? null : Identifiers.escaped(field);
        this.value = value == null ? null : Identifiers.escaped(String.valueOf(value));
    }

    public static Problem badRequest(String field, Object value, String detail) {
        return new Problem(400, "invalid-field", field, value, detail);
    }

    public static Problem notFound(String what, String id) {
        return new Problem(404, "not-found", what, id, "no " + what + " '" + id + "' that you may see");
    }

    public static Problem forbidden(String detail) {
        return new Problem(403, "forbidden", null, null, detail);
    }

    /** The engine refused a command: unknown things are 404 or 400, conflicts 409, a class the tenant may not use 403, the rest 400. */
    public static Problem of(Rejection r) {
        int status = switch (r.code()) {
            case UNKNOWN_JOB -> 404;
            case CLASS_NOT_ALLOWED -> 403;
            case TENANT_RETIRED -> 409;
            case DUPLICATE_JOB, DUPLICATE_AWARD, JOB_NOT_RUNNING, JOB_ALREADY_FINISHED -> 409;
            default -> 400;
        };
        return new Problem(status, r.code().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'), r.field(), r.value(),
                r.message());
    }

    public int status() { return status; }

    public String title() { return title; }

    public String field() { return field; }

    public String value() { return value; }

    /** The JSON body. */
    public Body body(String instance) {
        return new Body("https://nuri.kr/problems/" + title, title, status, getMessage(), field, value, instance);
    }

    /** problem+json members (RFC 9457) plus {@code field} and {@code value}. */
    public record Body(String type, String title, int status, String detail, String field, String value, String instance) {}
}

package kr.nuri.cli.client;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * An API path with its query, every value a user typed URL-encoded (a tenant or user named with '&', '#' or a space
 * must not change the request): {@code Query.of("/api/v1/jobs").with("limit", 100).with("tenant", t)}.
 */
public final class Query {
    private final StringBuilder text;
    private boolean first = true;

    private Query(String path) {
        this.text = new StringBuilder(path);
    }

    public static Query of(String path) {
        return new Query(path);
    }

    /** Adds {@code name=value}; a null value adds nothing. */
    public Query with(String name, Object value) {
        if (value == null) return this;
        text.append(first ? '?' : '&').append(name).append('=').append(encode(value.toString()));
        first = false;
        return this;
    }

    /** One path segment (an id or a name), encoded. */
    public static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return text.toString();
    }
}

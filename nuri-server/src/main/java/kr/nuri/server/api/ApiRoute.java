package kr.nuri.server.api;

import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.util.Set;
import kr.nuri.server.auth.Role;

/**
 * One route of the API: method, path, who may call it, what it does. The list of these is the single
 * source for the router, the OpenAPI document and the isolation test that walks every route.
 *
 * @param body  the request body's schema name, or null for none
 * @param query the query parameters it takes
 */
public record ApiRoute(HandlerType method, String path, Set<Role> roles, String summary, String body, Handler handler, Set<String> query) {
    public ApiRoute {
        query = Set.copyOf(query);
    }

    /** A route that takes no query parameter. */
    public ApiRoute(HandlerType method, String path, Set<Role> roles, String summary, String body, Handler handler) {
        this(method, path, roles, summary, body, handler, Set.of());
    }

    /** The same route taking these query parameters (any other is refused, naming it). */
    public ApiRoute withQuery(String... names) {
        return new ApiRoute(method, path, roles, summary, body, handler, Set.of(names));
    }
}

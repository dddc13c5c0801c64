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
 */
public record ApiRoute(HandlerType method, String path, Set<Role> roles, String summary, String body, Handler handler) {}

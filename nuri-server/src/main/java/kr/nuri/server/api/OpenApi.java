package kr.nuri.server.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The OpenAPI 3.1 document, generated from the same route list the router uses, so it cannot drift from
 * what the server answers. Request bodies are described from the request records' components.
 */
final class OpenApi {
    private static final Pattern PARAM = Pattern.compile("\\{([^}]+)}");

    private OpenApi() {}

    static Map<String, Object> document(List<ApiRoute> routes, Map<String, Class<? extends Record>> bodies, String version) {
        Map<String, Object> paths = new LinkedHashMap<>();
        for (ApiRoute r : routes) {
            @SuppressWarnings("unchecked")
            Map<String, Object> item = (Map<String, Object>) paths.computeIfAbsent(r.path(), k -> new LinkedHashMap<>());
            Map<String, Object> op = new LinkedHashMap<>();
            op.put("summary", r.summary());
            op.put("x-roles", r.roles().stream().map(x -> x.wireName()).sorted().toList());
            List<Map<String, Object>> params = new java.util.ArrayList<>();
            Matcher m = PARAM.matcher(r.path());
            while (m.find()) params.add(Map.of("name", m.group(1), "in", "path", "required", true, "schema", Map.of("type", "string")));
            for (String q : r.query().stream().sorted().toList()) {
                params.add(Map.of("name", q, "in", "query", "required", false, "schema", Map.of("type", "string")));
            }
            if (!params.isEmpty()) op.put("parameters", params);
            if (r.body() != null) {
                op.put("requestBody", Map.of("required", true, "content",
                        Map.of("application/json", Map.of("schema", Map.of("$ref", "#/components/schemas/" + r.body())))));
            }
            op.put("responses", Map.of(
                    "200", Map.of("description", "OK"),
                    "4XX", Map.of("description", "Problem details naming the field and value",
                            "content", Map.of("application/problem+json", Map.of("schema", Map.of("$ref", "#/components/schemas/Problem"))))));
            item.put(r.method().name().toLowerCase(Locale.ROOT), op);
        }
        Map<String, Object> schemas = new LinkedHashMap<>();
        bodies.forEach((name, type) -> schemas.put(name, schema(type)));
        schemas.put("Problem", schema(Problem.Body.class));
        return Map.of(
                "openapi", "3.1.0",
                "info", Map.of("title", "Nuri API", "version", version,
                        "description", "Allocation, scheduling and metering for a national GPU fleet. Bearer tokens; roles in x-roles."),
                "components", Map.of("schemas", schemas,
                        "securitySchemes", Map.of("bearer", Map.of("type", "http", "scheme", "bearer"))),
                "security", List.of(Map.of("bearer", List.of())),
                "paths", paths);
    }

    private static Map<String, Object> schema(Class<? extends Record> type) {
        Map<String, Object> props = new LinkedHashMap<>();
        for (var c : type.getRecordComponents()) props.put(c.getName(), Map.of("type", jsonType(c.getType())));
        return Map.of("type", "object", "additionalProperties", false, "properties", props);
    }

    private static String jsonType(Class<?> t) {
        if (t == Integer.class || t == int.class || t == Long.class || t == long.class) return "integer";
        if (t == Double.class || t == double.class) return "number";
        if (t == Boolean.class || t == boolean.class) return "boolean";
        if (List.class.isAssignableFrom(t)) return "array";
        if (Map.class.isAssignableFrom(t)) return "object";
        return "string";
    }
}

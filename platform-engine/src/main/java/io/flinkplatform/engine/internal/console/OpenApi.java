package io.flinkplatform.engine.internal.console;

import io.flinkplatform.engine.console.ConsoleSettings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The OpenAPI 3 document of the REST API, made from the registered {@link Routes} (so every served
 * route is documented), served at {@code /api/v1/openapi.json} without a login.
 */
final class OpenApi {
  static final String PATH = "/openapi.json";
  private final Routes routes;
  private final ConsoleSettings settings;

  OpenApi(Routes routes, ConsoleSettings settings) {
    this.routes = routes;
    this.settings = settings;
  }

  void register(Routes registry) {
    registry
        .get(PATH)
        .open()
        .tag("api")
        .summary("This document: the REST API in OpenAPI 3")
        .handle(c -> document());
  }

  Map<String, Object> document() {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("openapi", "3.0.3");
    doc.put(
        "info",
        Map.of(
            "title",
            "flink-platform console API",
            "version",
            "v1",
            "description",
            "Every call acts as the caller (a session cookie with its X-CSRF-Token header on"
                + " state-changing calls, or an API token as Authorization: Bearer) in the path's"
                + " workspace; errors are {error, message, ...fields} with the Java API's"
                + " exception names."));
    doc.put("servers", List.of(Map.of("url", settings.basePath() + Routes.PREFIX)));
    Map<String, Object> paths = new TreeMap<>();
    for (Route r : routes.all()) {
      @SuppressWarnings("unchecked")
      Map<String, Object> item =
          (Map<String, Object>) paths.computeIfAbsent(r.path(), p -> new LinkedHashMap<>());
      item.put(r.method().toLowerCase(java.util.Locale.ROOT), operation(r));
    }
    doc.put("paths", paths);
    doc.put(
        "components",
        Map.of(
            "securitySchemes",
            Map.of(
                "session",
                Map.of("type", "apiKey", "in", "cookie", "name", Authn.COOKIE),
                "token",
                Map.of("type", "http", "scheme", "bearer")),
            "schemas",
            Map.of(
                "Error",
                Map.of(
                    "type",
                    "object",
                    "required",
                    List.of("error", "message"),
                    "properties",
                    Map.of(
                        "error",
                        Map.of("type", "string", "description", "the Java exception's name"),
                        "message",
                        Map.of("type", "string"))))));
    return doc;
  }

  private static Map<String, Object> operation(Route r) {
    Map<String, Object> op = new LinkedHashMap<>();
    op.put("tags", List.of(r.tag()));
    op.put("summary", r.summary());
    op.put("operationId", operationId(r));
    r.action()
        .ifPresent(
            a -> {
              op.put("x-action", a.id());
              op.put(
                  "x-role",
                  a.role().map(role -> role.name().toLowerCase()).orElse("platform-admin"));
            });
    List<Map<String, Object>> params = new ArrayList<>();
    for (String p : r.params()) {
      params.add(
          Map.of("name", p, "in", "path", "required", true, "schema", Map.of("type", "string")));
    }
    r.query()
        .forEach(
            (name, description) ->
                params.add(
                    Map.of(
                        "name",
                        name,
                        "in",
                        "query",
                        "required",
                        false,
                        "description",
                        description,
                        "schema",
                        Map.of("type", "string"))));
    if (!params.isEmpty()) {
      op.put("parameters", params);
    }
    r.body()
        .ifPresent(
            b ->
                op.put(
                    "requestBody",
                    Map.of(
                        "description",
                        b,
                        "content",
                        Map.of("application/json", Map.of("schema", Map.of("type", "object"))))));
    if (r.open()) {
      op.put("security", List.of());
    }
    Map<String, Object> error =
        Map.of(
            "description",
            "an error",
            "content",
            Map.of(
                "application/json",
                Map.of("schema", Map.of("$ref", "#/components/schemas/Error"))));
    op.put("responses", Map.of("200", Map.of("description", "done"), "default", error));
    return op;
  }

  static String operationId(Route r) {
    StringBuilder id = new StringBuilder(r.method().toLowerCase(java.util.Locale.ROOT));
    for (String part : r.path().split("[/{}.]")) {
      if (!part.isEmpty()) {
        id.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
      }
    }
    return id.toString();
  }
}

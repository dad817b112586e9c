package io.flinkplatform.tasks.sql;

import io.flinkplatform.spi.ApiOperation;
import io.flinkplatform.spi.ApiOperation.Column;
import io.flinkplatform.spi.ApiRequest;
import io.flinkplatform.spi.InvalidInputException;
import io.flinkplatform.spi.Role;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The plugin's console operations over {@link DatasourceRegistry}, as the caller in the path's
 * workspace (the registry checks the role again and writes the audit row of each change): list,
 * read, connection test, create, update, delete. Nothing returned holds a password: URLs and
 * properties are masked with the platform's {@link io.flinkplatform.spi.Redaction}, and a password
 * shows only how it is kept.
 */
final class DatasourceApi {
  private static final String BODY =
      "{\"name\": (create only), \"type\": one of "
          + java.util.Arrays.toString(DatasourceType.values())
          + ", \"url\": JDBC URL without a password, \"user\": optional, \"password\": a password"
          + " to store sealed, or \"passwordSecret\": the secret source's name for it (optional),"
          + " \"properties\": {driver property: value} (optional)}";

  private final Supplier<DatasourceRegistry> registry;

  DatasourceApi(Supplier<DatasourceRegistry> registry) {
    this.registry = registry;
  }

  /**
   * A datasource as the console shows it.
   *
   * @param password how the password is kept ({@code NONE}, {@code ENCRYPTED}, {@code SECRET}),
   *     never the password
   */
  record View(
      String name,
      String type,
      String url,
      Optional<String> user,
      Map<String, String> properties,
      String password,
      int version,
      Instant updatedAt) {
    static View of(Datasource d) {
      return new View(
          d.name(),
          d.type().name(),
          Redaction.url(d.url()),
          d.user(),
          Redaction.properties(d.properties()),
          d.password().name(),
          d.version(),
          d.updatedAt());
    }
  }

  /**
   * What a connection test found.
   *
   * @param tookMillis how long it took
   */
  record Check(boolean ok, String name, String database, long tookMillis, String message) {}

  List<ApiOperation> operations() {
    return List.of(
        ApiOperation.get(
                "datasources",
                Role.VIEWER,
                "The workspace's datasources (passwords never shown)",
                r -> registry(r).list().stream().map(View::of).toList())
            .withColumns(
                Column.of("name", "Name"),
                Column.of("type", "Type"),
                Column.of("url", "URL"),
                Column.of("user", "User"),
                Column.of("password", "Password"),
                Column.of("version", "Version"),
                Column.of("updatedAt", "Updated")),
        ApiOperation.get(
            "datasources/{name}",
            Role.VIEWER,
            "One datasource (password never shown)",
            r ->
                registry(r)
                    .get(r.path("name"))
                    .map(View::of)
                    .orElseThrow(() -> registry(r).notFound(r.path("name")))),
        ApiOperation.post(
            "datasources/{name}/test",
            Role.EDITOR,
            DatasourceRegistry.TEST,
            "Test the connection: open one with the connection timeout and say how it went",
            r -> {
              ConnectionCheck c = registry(r).test(r.path("name"));
              return new Check(
                  c.ok(), r.path("name"), c.database(), c.took().toMillis(), c.message());
            }),
        ApiOperation.post(
                "datasources",
                Role.EDITOR,
                DatasourceRegistry.CREATE,
                "Register a datasource",
                r -> View.of(registry(r).create(spec(r, r.text("name", true).orElseThrow()))))
            .withBody(BODY),
        ApiOperation.put(
                "datasources/{name}",
                Role.EDITOR,
                DatasourceRegistry.UPDATE,
                "Replace every field of a datasource, its password too",
                r -> View.of(registry(r).update(spec(r, r.path("name")))))
            .withBody(BODY),
        ApiOperation.delete(
            "datasources/{name}",
            Role.EDITOR,
            DatasourceRegistry.DELETE,
            "Delete a datasource",
            r -> Map.of("deleted", registry(r).delete(r.path("name")))));
  }

  private DatasourceRegistry registry(ApiRequest r) {
    return registry.get().as(r.actor(), r.workspace());
  }

  private static DatasourceSpec spec(ApiRequest r, String name) {
    DatasourceType type;
    try {
      type = DatasourceType.parse(r.text("type", true).orElseThrow());
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException("type", e.getMessage());
    }
    DatasourceSpec.Builder b =
        DatasourceSpec.builder(name, type, r.text("url", true).orElseThrow());
    r.text("user", false).ifPresent(b::user);
    Optional<String> password = r.text("password", false);
    Optional<String> secret = r.text("passwordSecret", false);
    if (password.isPresent() && secret.isPresent()) {
      throw new InvalidInputException("password", "give a password or a passwordSecret, not both");
    }
    password.ifPresent(p -> b.password(Password.of(p)));
    secret.ifPresent(s -> b.password(Password.fromSecret(s)));
    Object props = r.body().get("properties");
    if (props != null) {
      if (!(props instanceof Map<?, ?> m)) {
        throw new InvalidInputException("properties", "properties must be an object of strings");
      }
      Map<String, String> properties = new LinkedHashMap<>();
      m.forEach((k, v) -> properties.put(String.valueOf(k), v == null ? "" : String.valueOf(v)));
      b.properties(properties);
    }
    return b.build();
  }
}

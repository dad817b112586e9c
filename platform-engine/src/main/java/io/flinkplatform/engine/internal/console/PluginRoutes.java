package io.flinkplatform.engine.internal.console;

import io.flinkplatform.engine.InvalidRequestException;
import io.flinkplatform.engine.NotFoundException;
import io.flinkplatform.spi.AccessDeniedException;
import io.flinkplatform.spi.ApiFailure;
import io.flinkplatform.spi.ApiOperation;
import io.flinkplatform.spi.ApiRequest;
import io.flinkplatform.spi.InvalidInputException;
import io.flinkplatform.spi.WorkspaceAccess;
import io.flinkplatform.spi.Workspaces;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Serves the plugins' {@link ApiOperation}s as routes below {@code /workspaces/{ws}/}: the caller's
 * role in the workspace is checked with the platform's access before the plugin's handler runs
 * (plugins are not trusted to check), the workspace must exist, and the plugin's exceptions become
 * the console's JSON errors without showing what a plugin did not vouch for.
 */
final class PluginRoutes {
  /** One registered operation with the plugin that offers it (for the pages). */
  record Registered(String plugin, ApiOperation operation) {
    /** The API path below {@code /workspaces/{ws}}: {@code /datasources/{name}/test}. */
    String apiPath() {
      return "/" + operation.path();
    }
  }

  private final List<Registered> registered = new ArrayList<>();

  /** The operations registered, in order. */
  List<Registered> all() {
    return List.copyOf(registered);
  }

  /** Registers every plugin's operations; a path taken twice fails naming the plugin. */
  void register(Routes routes, Map<String, List<ApiOperation>> operations, WorkspaceAccess access) {
    operations.forEach(
        (plugin, ops) -> {
          for (ApiOperation op : ops) {
            if (op.pathParams().contains("ws")) {
              throw new IllegalStateException(
                  "plugin " + plugin + ": operation " + op + " names a path parameter ws");
            }
            String path = "/workspaces/{ws}/" + op.path();
            Routes.Builder b =
                switch (op.method()) {
                  case "GET" -> routes.get(path);
                  case "POST" -> routes.post(path);
                  case "PUT" -> routes.put(path);
                  default -> routes.delete(path);
                };
            b.tag(plugin)
                .summary(
                    op.summary()
                        + " (needs role "
                        + op.role().name().toLowerCase(java.util.Locale.ROOT)
                        + (op.changes() ? "; action " + op.action() : "")
                        + ")");
            op.query().forEach(b::query);
            op.body().ifPresent(b::body);
            try {
              b.handle(c -> call(c, op, access));
            } catch (IllegalStateException e) {
              throw new IllegalStateException("plugin " + plugin + ": " + e.getMessage(), e);
            }
            registered.add(new Registered(plugin, op));
          }
        });
  }

  private static Object call(Call c, ApiOperation op, WorkspaceAccess access) throws Exception {
    return invoke(
        op,
        access,
        new Request(
            c.actor(),
            c.path("ws"),
            name -> {
              try {
                return c.path(name);
              } catch (IllegalStateException e) {
                throw new IllegalArgumentException("the operation's path has no parameter " + name);
              }
            },
            c::query,
            c::raw,
            c::body));
  }

  /**
   * Checks the caller's role in the request's workspace, then runs the handler; the plugin's
   * failures come back as the console's errors ({@link Route.Reply} or a thrown typed exception).
   */
  static Object invoke(ApiOperation op, WorkspaceAccess access, ApiRequest request)
      throws Exception {
    String ws = request.workspace();
    Workspaces.problem(ws)
        .ifPresent(
            p -> {
              throw new InvalidRequestException("workspace", p);
            });
    access.require(request.actor(), ws, op.role(), op.action()); // before the plugin sees it
    if (!access.exists(ws)) {
      throw new NotFoundException("workspace '" + ws + "' does not exist");
    }
    try {
      return op.handler().handle(request);
    } catch (InvalidInputException e) {
      throw new InvalidRequestException(e.field(), e.getMessage(), e);
    } catch (AccessDeniedException | InvalidRequestException | NotFoundException e) {
      throw e;
    } catch (RuntimeException e) {
      if (ApiErrors.status(e) != 500) {
        throw e; // the engine's own typed exceptions
      }
      if (e.getClass().getSimpleName().endsWith("NotFoundException")
          && (e instanceof ApiFailure || e instanceof IllegalArgumentException)) {
        return new Route.Reply(404, ApiErrors.body(e));
      }
      if (e instanceof ApiFailure f) {
        return new Route.Reply(f.status(), ApiErrors.body(e));
      }
      if (e instanceof IllegalArgumentException) {
        return ApiErrors.error(400, e.getClass().getSimpleName(), e.getMessage());
      }
      if (e instanceof IllegalStateException) {
        return ApiErrors.error(409, e.getClass().getSimpleName(), e.getMessage());
      }
      throw e; // 500 with an error id, the message only in the log
    }
  }

  /** Reads a body once. */
  interface BodySource<T> {
    T read() throws IOException;
  }

  /** What a plugin's handler sees of a call (of the API or of a page). */
  static final class Request implements ApiRequest {
    private final io.flinkplatform.spi.Actor actor;
    private final String workspace;
    private final java.util.function.Function<String, String> path;
    private final java.util.function.Function<String, Optional<String>> query;
    private final BodySource<byte[]> raw;
    private final BodySource<com.fasterxml.jackson.databind.JsonNode> json;
    private Map<String, Object> body;

    Request(
        io.flinkplatform.spi.Actor actor,
        String workspace,
        java.util.function.Function<String, String> path,
        java.util.function.Function<String, Optional<String>> query,
        BodySource<byte[]> raw,
        BodySource<com.fasterxml.jackson.databind.JsonNode> json) {
      this.actor = actor;
      this.workspace = workspace;
      this.path = path;
      this.query = query;
      this.raw = raw;
      this.json = json;
    }

    /** A request of a page: no body, the page's query. */
    static Request ofPage(PageContext c, Map<String, String> params) {
      return new Request(
          c.who().actor(),
          c.ws(),
          name -> {
            String v = params.get(name);
            if (v == null) {
              throw new IllegalArgumentException("the operation's path has no parameter " + name);
            }
            return v;
          },
          c::query,
          () -> new byte[0],
          () -> ConsoleJson.MAPPER.createObjectNode());
    }

    @Override
    public io.flinkplatform.spi.Actor actor() {
      return actor;
    }

    @Override
    public String workspace() {
      return workspace;
    }

    @Override
    public String path(String name) {
      return path.apply(name);
    }

    @Override
    public Optional<String> query(String name) {
      return query.apply(name);
    }

    @Override
    @SuppressWarnings("unchecked")
    public Map<String, Object> body() {
      if (body == null) {
        try {
          body =
              java.util.Collections.unmodifiableMap(
                  ConsoleJson.MAPPER.convertValue(json.read(), Map.class));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      return body;
    }

    @Override
    public String bodyText() {
      try {
        return new String(raw.read(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}

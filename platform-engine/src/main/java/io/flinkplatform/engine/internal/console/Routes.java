package io.flinkplatform.engine.internal.console;

import io.flinkplatform.engine.access.Action;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The REST API's routes under {@code /api/v1}: registered once at start, matched per request. The
 * OpenAPI document is made from them ({@link OpenApi}), so a route cannot be served undocumented.
 */
public final class Routes {
  public static final String PREFIX = "/api/v1";
  private final List<Route> routes = new ArrayList<>();
  private final List<Pattern> patterns = new ArrayList<>();

  /** A route matched to a request, with its path parameters. */
  record Match(Route route, Map<String, String> params) {}

  public Builder get(String path) {
    return new Builder("GET", path);
  }

  public Builder post(String path) {
    return new Builder("POST", path);
  }

  public Builder put(String path) {
    return new Builder("PUT", path);
  }

  public Builder delete(String path) {
    return new Builder("DELETE", path);
  }

  public List<Route> all() {
    return List.copyOf(routes);
  }

  /** The route for this method and path (below {@link #PREFIX}). */
  Optional<Match> match(String method, String path) {
    for (int i = 0; i < routes.size(); i++) {
      Route r = routes.get(i);
      if (!r.method().equals(method)) {
        continue;
      }
      Matcher m = patterns.get(i).matcher(path);
      if (m.matches()) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String name : r.params()) {
          params.put(name, Html.decode(name, m.group(name)));
        }
        return Optional.of(new Match(r, params));
      }
    }
    return Optional.empty();
  }

  /** Whether some route has this path with another method (405 rather than 404). */
  boolean pathExists(String path) {
    return patterns.stream().anyMatch(p -> p.matcher(path).matches());
  }

  /** Describes one route; {@link #handle} registers it. */
  public final class Builder {
    private final String method;
    private final String path;
    private Action action;
    private boolean open;
    private String tag = "platform";
    private String summary = "";
    private final Map<String, String> query = new LinkedHashMap<>();
    private String body;

    private Builder(String method, String path) {
      this.method = method;
      this.path = path;
    }

    /** The least action (role) the call needs in its workspace. */
    public Builder needs(Action action) {
      this.action = action;
      return this;
    }

    /** Served without a login. */
    public Builder open() {
      this.open = true;
      return this;
    }

    public Builder tag(String tag) {
      this.tag = tag;
      return this;
    }

    public Builder summary(String summary) {
      this.summary = summary;
      return this;
    }

    public Builder query(String name, String description) {
      query.put(name, description);
      return this;
    }

    public Builder body(String description) {
      this.body = description;
      return this;
    }

    public void handle(Route.Handler handler) {
      for (Route r : routes) {
        if (r.method().equals(method) && r.path().equals(path)) {
          throw new IllegalStateException("route registered twice: " + method + " " + path);
        }
      }
      Route r =
          new Route(
              method,
              path,
              Optional.ofNullable(action),
              open,
              tag,
              summary,
              query,
              Optional.ofNullable(body),
              handler);
      routes.add(r);
      patterns.add(r.pattern());
    }
  }
}

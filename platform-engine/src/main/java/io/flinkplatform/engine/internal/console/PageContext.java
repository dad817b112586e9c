package io.flinkplatform.engine.internal.console;

import io.flinkplatform.engine.PlatformClient;
import io.flinkplatform.engine.access.Action;
import io.flinkplatform.spi.Role;
import java.util.Map;
import java.util.Optional;

/**
 * One page request: the exchange, the logged-in principal, the workspace of the path (if any), the
 * principal's roles, and the path's parameters.
 *
 * @param workspace the {@code /w/{ws}/} of the path, if the page is in a workspace
 * @param roles the caller's roles per workspace (for the switcher and the buttons)
 */
public record PageContext(
    Exchange ex,
    Principal who,
    Optional<String> workspace,
    Map<String, Role> roles,
    boolean platformAdmin,
    Map<String, String> params,
    ConsoleBackend backend,
    Routes routes) {

  /** A client acting as the caller in the page's workspace (every call checks the role). */
  public PlatformClient client() {
    return backend.client(who.actor(), workspace.orElseThrow());
  }

  public String ws() {
    return workspace.orElseThrow();
  }

  /** The caller's role in the page's workspace. */
  public Optional<Role> role() {
    return workspace.map(roles::get);
  }

  /**
   * Whether the caller may do {@code action} in the page's workspace: pages show a button only if
   * so (the API checks again when it is pressed).
   */
  public boolean can(Action action) {
    if (platformAdmin) {
      return true;
    }
    Optional<Role> needed = action.role();
    return needed.isPresent() && role().map(r -> r.includes(needed.get())).orElse(false);
  }

  /** A path parameter of the page's route. */
  public String param(String name) {
    String v = params.get(name);
    if (v == null) {
      throw new IllegalStateException("the page has no path parameter " + name);
    }
    return v;
  }

  public Optional<String> query(String name) {
    return Optional.ofNullable(ex.query().get(name)).filter(s -> !s.isEmpty());
  }

  /** A link inside the console: the base path + {@code path}. */
  public String link(String path) {
    return ex.basePath() + path;
  }

  /** A link inside the page's workspace: {@code /w/<ws>} + {@code path}. */
  public String wsLink(String path) {
    return link("/w/" + Html.url(ws()) + path);
  }

  /** The API path of the page's workspace: {@code <base>/api/v1/workspaces/<ws>} + {@code path}. */
  public String api(String path) {
    return link(Routes.PREFIX + "/workspaces/" + Html.url(ws()) + path);
  }
}

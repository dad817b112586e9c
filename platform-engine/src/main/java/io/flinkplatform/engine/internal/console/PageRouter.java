package io.flinkplatform.engine.internal.console;

import io.flinkplatform.engine.NotFoundException;
import io.flinkplatform.engine.console.ConsoleSettings;
import io.flinkplatform.spi.AccessDeniedException;
import io.flinkplatform.spi.Role;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's pages by path ({@code /w/{ws}/runs/{runId}}): a page needs a login (the login page
 * otherwise, with the way back), a page in a workspace needs a role there; a refused call shows the
 * refusal, a missing thing a 404 page. Pages are GET only: every change goes through the REST API
 * from the page's script, with the session's CSRF token.
 */
public final class PageRouter implements Pages {
  private static final Logger LOG = LoggerFactory.getLogger(PageRouter.class);
  private final List<Entry> pages = new ArrayList<>();
  private final ConsoleBackend backend;
  private final Routes routes;

  private record Entry(String path, Pattern pattern, List<String> names, Page page) {}

  PageRouter(ConsoleBackend backend, Routes routes) {
    this.backend = backend;
    this.routes = routes;
  }

  /** Registers a page at {@code path} ({@code {name}} parts are parameters). */
  public PageRouter add(String path, Page page) {
    List<String> names = Route.params(path);
    Pattern p = Route.pattern(path);
    pages.add(new Entry(path, p, names, page));
    return this;
  }

  /** The registered page paths. */
  public List<String> paths() {
    return pages.stream().map(Entry::path).toList();
  }

  static PageRouter create(Routes routes, ConsoleBackend backend, ConsoleSettings settings) {
    PageRouter router = new PageRouter(backend, routes);
    ConsolePageSet.register(router);
    return router;
  }

  @Override
  public void serve(Exchange ex, Principal who) throws IOException {
    if (!ex.method().equals("GET") && !ex.method().equals("HEAD")) {
      ex.html(405, Layout.bare("Not allowed", "<p>Pages are read with GET only.</p>"));
      return;
    }
    String path = ex.path();
    if (path.equals("/login")) {
      ex.html(200, Layout.login(ex));
      return;
    }
    if (who == null) {
      String back = path + (ex.query().isEmpty() ? "" : "?" + rawQuery(ex));
      ex.redirect("/login?next=" + Html.url(back));
      return;
    }
    for (Entry e : pages) {
      Matcher m = e.pattern().matcher(path);
      if (!m.matches()) {
        continue;
      }
      Map<String, String> params = new LinkedHashMap<>();
      for (String n : e.names()) {
        params.put(n, Html.decode(n, m.group(n)));
      }
      Map<String, Role> roles = backend.workspacesOf(who.actor());
      Optional<String> ws = Optional.ofNullable(params.get("ws"));
      PageContext c =
          new PageContext(
              ex, who, ws, roles, backend.isPlatformAdmin(who.actor()), params, backend, routes);
      try {
        if (ws.isPresent() && !roles.containsKey(ws.get())) {
          throw new AccessDeniedException(
              who.actor().name(), ws.get(), "read", Optional.of(Role.VIEWER), "it is not a member");
        }
        ex.html(200, e.page().render(c));
      } catch (AccessDeniedException denied) {
        ex.html(
            403,
            Layout.page(
                c, "Not allowed", "<p class=\"error\">" + Html.esc(denied.getMessage()) + "</p>"));
      } catch (NotFoundException | io.flinkplatform.engine.InvalidRequestException missing) {
        ex.html(
            404,
            Layout.page(
                c, "Not found", "<p class=\"error\">" + Html.esc(missing.getMessage()) + "</p>"));
      } catch (IOException io) {
        throw io;
      } catch (Exception failed) {
        String id = java.util.UUID.randomUUID().toString();
        LOG.error("console page {} failed (error id {})", path, id, failed);
        ex.html(
            500,
            Layout.page(
                c,
                "Failed",
                "<p class=\"error\">The page failed; the server's log has error id "
                    + id
                    + ".</p>"));
      }
      return;
    }
    ex.html(404, Layout.bare("Not found", "<p>No such page.</p>"));
  }

  private static String rawQuery(Exchange ex) {
    StringBuilder b = new StringBuilder();
    ex.query()
        .forEach(
            (k, v) ->
                b.append(b.length() == 0 ? "" : "&")
                    .append(Html.url(k))
                    .append('=')
                    .append(Html.url(v)));
    return b.toString();
  }
}

package io.flinkplatform.engine.internal.console;

import io.flinkplatform.spi.Role;
import java.util.Map;

/**
 * The frame of every page: the head (the CSRF token in a meta tag for the page's script, htmx from
 * its WebJar, the console's script and style; no inline script or style, which the content security
 * policy forbids), the workspace switcher, the navigation and the user's menu.
 */
public final class Layout {
  private Layout() {}

  private static String head(String base, String title, String csrf) {
    return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        + "<title>"
        + Html.esc(title)
        + " · flink-platform</title>"
        + (csrf == null ? "" : "<meta name=\"csrf-token\" content=\"" + Html.esc(csrf) + "\">")
        + "<meta name=\"base-path\" content=\""
        + Html.esc(base)
        + "\">"
        + "<meta name=\"htmx-config\" content='{\"includeIndicatorStyles\":false,"
        + "\"allowEval\":false,\"allowScriptTags\":false}'>"
        + "<link rel=\"stylesheet\" href=\""
        + base
        + "/assets/console/app.css\">"
        + "<script defer src=\""
        + base
        + "/assets/webjars/htmx.org/"
        + HTMX_VERSION
        + "/dist/htmx.min.js\"></script>"
        + "<script defer src=\""
        + base
        + "/assets/console/app.js\"></script>"
        + "</head>";
  }

  /** The version of the htmx WebJar on the class path. */
  static final String HTMX_VERSION = htmxVersion();

  private static String htmxVersion() {
    String dir = "META-INF/maven/org.webjars.npm/htmx.org/pom.properties";
    try (var in = Layout.class.getClassLoader().getResourceAsStream(dir)) {
      java.util.Properties p = new java.util.Properties();
      if (in != null) {
        p.load(in);
      }
      return p.getProperty("version", "2.0.4");
    } catch (java.io.IOException e) {
      return "2.0.4";
    }
  }

  /** A whole page in a workspace (or outside one) for a logged-in principal. */
  public static String page(PageContext c, String title, String body) {
    String base = c.ex().basePath();
    StringBuilder b = new StringBuilder(4096);
    b.append(head(base, title, c.who().csrf().orElse(null)));
    b.append("<body><header class=\"top\"><a class=\"brand\" href=\"")
        .append(base)
        .append("/\">flink-platform</a>");
    b.append(switcher(c));
    if (c.workspace().isPresent()) {
      b.append("<nav>");
      nav(b, c, "/", "Overview");
      nav(b, c, "/workflows", "Workflows");
      nav(b, c, "/runs", "Runs");
      nav(b, c, "/schedules", "Schedules");
      nav(b, c, "/flink", "Flink jobs");
      nav(b, c, "/datasources", "Datasources");
      nav(b, c, "/resources", "Resources");
      nav(b, c, "/alerts", "Alerts");
      if (c.role().map(r -> r.includes(Role.ADMIN)).orElse(false) || c.platformAdmin()) {
        nav(b, c, "/admin", "Admin");
      }
      b.append("</nav>");
    }
    b.append("<div class=\"user\"><a href=\"")
        .append(base)
        .append("/instances\">Instances</a> <a href=\"")
        .append(base)
        .append("/me\">")
        .append(Html.esc(c.who().actor().name()))
        .append("</a> ");
    if (c.who().bySession()) {
      b.append("<button class=\"link\" data-logout>Log out</button>");
    }
    b.append("</div></header><main><h1>")
        .append(Html.esc(title))
        .append("</h1><div id=\"flash\" role=\"alert\"></div>")
        .append(body)
        .append("</main></body></html>");
    return b.toString();
  }

  private static void nav(StringBuilder b, PageContext c, String path, String label) {
    String href = c.wsLink(path);
    String current = c.ex().path();
    String here = "/w/" + Html.url(c.ws()) + path;
    boolean on = path.equals("/") ? current.equals(here) : current.startsWith(here);
    b.append("<a href=\"")
        .append(href)
        .append("\"")
        .append(on ? " class=\"on\" aria-current=\"page\"" : "")
        .append(">")
        .append(label)
        .append("</a>");
  }

  private static String switcher(PageContext c) {
    Map<String, Role> roles = c.roles();
    if (roles.isEmpty()) {
      return "";
    }
    StringBuilder b =
        new StringBuilder("<select class=\"ws\" data-workspace-switch aria-label=\"workspace\">");
    if (c.workspace().isEmpty()) {
      b.append("<option value=\"\" selected>workspace…</option>");
    }
    roles.forEach(
        (ws, role) ->
            b.append("<option value=\"")
                .append(Html.esc(ws))
                .append("\"")
                .append(c.workspace().map(ws::equals).orElse(false) ? " selected" : "")
                .append(">")
                .append(Html.esc(ws))
                .append(" (")
                .append(role.name().toLowerCase())
                .append(")</option>"));
    return b.append("</select>").toString();
  }

  /** A page without navigation (errors before a login). */
  public static String bare(String title, String body) {
    return head("", title, null)
        + "<body><main><h1>"
        + Html.esc(title)
        + "</h1>"
        + body
        + "</main></body></html>";
  }

  private static final java.util.regex.Pattern SAFE_NEXT =
      java.util.regex.Pattern.compile("/(?![/\\\\])[A-Za-z0-9/_.~%?=&+,:;@-]*");

  /** The login form; the script posts it to the API and goes on to {@code next}. */
  static String login(Exchange ex) {
    String next = ex.query().getOrDefault("next", "/");
    if (!SAFE_NEXT.matcher(next).matches()) {
      next = "/"; // only a path of this console: never //host, /\host or a control character
    }
    return head(ex.basePath(), "Log in", null)
        + "<body class=\"login\"><main><h1>flink-platform</h1>"
        + "<form id=\"login\" data-next=\""
        + Html.esc(next)
        + "\"><label>User <input name=\"user\" autocomplete=\"username\" required autofocus></label>"
        + "<label>Password <input name=\"password\" type=\"password\""
        + " autocomplete=\"current-password\" required></label>"
        + "<p class=\"error\" data-error></p><button type=\"submit\">Log in</button></form>"
        + "</main></body></html>";
  }
}

package io.flinkplatform.engine.internal.console;

import com.fasterxml.jackson.databind.JsonNode;
import io.flinkplatform.spi.AccessDeniedException;
import io.flinkplatform.spi.ApiOperation;
import io.flinkplatform.spi.WorkspaceAccess;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A page of the plugins' operations of one section ({@code /w/{ws}/datasources}: datasources,
 * catalogs, functions; {@code /w/{ws}/flink}: Flink jobs): each list operation's result as a table
 * of the columns it declares, with buttons for the operations on a row (shown only if the caller's
 * role allows them; pressing one calls the API) and a JSON form for those that create. The values
 * are what the plugins return, which never holds a password.
 */
final class PluginPage implements Page {
  private final String title;
  private final Set<String> sections;
  private final PluginRoutes plugins;
  private final WorkspaceAccess access;

  private PluginPage(
      String title, Set<String> sections, PluginRoutes plugins, WorkspaceAccess access) {
    this.title = title;
    this.sections = sections;
    this.plugins = plugins;
    this.access = access;
  }

  static void register(PageRouter router, PluginRoutes plugins, WorkspaceAccess access) {
    router.add(
        "/w/{ws}/datasources",
        new PluginPage(
            "Datasources and catalogs",
            Set.of("datasources", "catalogs", "functions"),
            plugins,
            access));
    router.add("/w/{ws}/flink", new PluginPage("Flink jobs", Set.of("flink"), plugins, access));
  }

  @Override
  public String render(PageContext c) throws Exception {
    List<PluginRoutes.Registered> mine = new ArrayList<>();
    for (PluginRoutes.Registered r : plugins.all()) {
      if (sections.contains(r.operation().path().split("/")[0])) {
        mine.add(r);
      }
    }
    StringBuilder b = new StringBuilder();
    for (PluginRoutes.Registered r : mine) {
      ApiOperation op = r.operation();
      if (op.method().equals("GET") && op.pathParams().isEmpty()) {
        list(b, c, op, mine);
      }
    }
    if (b.length() == 0) {
      b.append("<p class=\"muted\">No plugin offers this section (add the plugin to the platform).")
          .append("</p>");
    }
    return Layout.page(c, title, b.toString());
  }

  private void list(
      StringBuilder b, PageContext c, ApiOperation op, List<PluginRoutes.Registered> all)
      throws Exception {
    b.append("<section><h2>").append(Html.esc(op.summary())).append("</h2>");
    List<ApiOperation> onRow = new ArrayList<>();
    for (PluginRoutes.Registered r : all) {
      ApiOperation o = r.operation();
      if (o != op && !o.pathParams().isEmpty() && o.path().startsWith(op.path() + "/")) {
        onRow.add(o);
      } else if (!o.method().equals("GET") && o.path().equals(op.path()) && allowed(c, o)) {
        form(b, c, o);
      }
    }
    Object out;
    try {
      out = PluginRoutes.invoke(op, access, PluginRoutes.Request.ofPage(c, Map.of()));
    } catch (AccessDeniedException e) {
      b.append("<p class=\"error\">").append(Html.esc(e.getMessage())).append("</p></section>");
      return;
    }
    if (out instanceof Route.Reply reply) {
      Object message = reply.body() instanceof Map<?, ?> m ? m.get("message") : "failed";
      b.append("<p class=\"error\">").append(Html.esc(message)).append("</p></section>");
      return;
    }
    JsonNode rows = ConsoleJson.tree(out);
    if (!rows.isArray()) {
      rows = ConsoleJson.MAPPER.createArrayNode().add(rows);
    }
    List<ApiOperation.Column> columns = columns(op, rows);
    b.append("<table><thead><tr>");
    for (ApiOperation.Column col : columns) {
      b.append("<th>").append(Html.esc(col.label())).append("</th>");
    }
    b.append(onRow.isEmpty() ? "" : "<th></th>").append("</tr></thead><tbody>");
    for (JsonNode row : rows) {
      b.append("<tr>");
      for (ApiOperation.Column col : columns) {
        b.append("<td>").append(cell(col.field(), row.get(col.field()))).append("</td>");
      }
      if (!onRow.isEmpty()) {
        b.append("<td class=\"row\">");
        for (ApiOperation o : onRow) {
          action(b, c, o, row);
        }
        b.append("</td>");
      }
      b.append("</tr>");
    }
    if (rows.isEmpty()) {
      b.append("<tr><td class=\"muted\" colspan=\"")
          .append(columns.size() + 1)
          .append("\">none</td></tr>");
    }
    b.append("</tbody></table></section>");
  }

  /**
   * A button for an operation on this row (a link to the JSON for a read), if all fits; none for a
   * PUT, which needs a body a button does not have.
   */
  private static void action(StringBuilder b, PageContext c, ApiOperation o, JsonNode row) {
    if (o.method().equals("PUT")) {
      return;
    }
    String path = "/" + o.path();
    for (String p : o.pathParams()) {
      JsonNode v = row.get(p);
      if (v == null || !v.isValueNode() || v.isNull()) {
        return;
      }
      path = path.replace("{" + p + "}", Html.url(v.asText()));
    }
    String label = label(o);
    if (o.method().equals("GET")) {
      b.append("<a class=\"button\" href=\"")
          .append(Html.esc(c.api(path)))
          .append("\">")
          .append(Html.esc(label))
          .append("</a> ");
    } else if (allowed(c, o)) {
      b.append("<button data-api=\"")
          .append(o.method())
          .append(' ')
          .append(Html.esc(c.api(path)))
          .append("\" data-confirm=\"")
          .append(Html.esc(o.summary() + "?"))
          .append("\" data-then=\"")
          .append(o.method().equals("DELETE") ? "reload" : "message")
          .append("\" title=\"")
          .append(Html.esc(o.summary()))
          .append("\">")
          .append(Html.esc(label))
          .append("</button> ");
    }
  }

  /** A form posting a JSON body to an operation without path parameters (a create). */
  private static void form(StringBuilder b, PageContext c, ApiOperation o) {
    b.append("<details><summary>")
        .append(Html.esc(o.summary()))
        .append("</summary><form data-api=\"")
        .append(o.method())
        .append(' ')
        .append(Html.esc(c.api("/" + o.path())))
        .append("\" data-then=\"reload\"><textarea data-json rows=\"6\" placeholder=\"")
        .append(Html.esc(o.body().orElse("{}")))
        .append("\"></textarea><p class=\"error\" data-field-error=\"body\"></p>")
        .append("<button type=\"submit\">")
        .append(Html.esc(o.method().equals("DELETE") ? "Delete" : "Save"))
        .append("</button></form></details>");
  }

  /**
   * The last fixed segment of the path ({@code test}, {@code savepoints}); {@code details} for a
   * read of the row itself, {@code delete} for a delete.
   */
  private static String label(ApiOperation o) {
    if (o.method().equals("DELETE")) {
      return "delete";
    }
    String[] parts = o.path().split("/");
    if (parts[parts.length - 1].startsWith("{")) {
      return "details";
    }
    for (int i = parts.length - 1; i >= 0; i--) {
      if (!parts[i].startsWith("{")) {
        return parts[i];
      }
    }
    return o.method().toLowerCase(java.util.Locale.ROOT);
  }

  private static boolean allowed(PageContext c, ApiOperation o) {
    return c.platformAdmin() || c.role().map(r -> r.includes(o.role())).orElse(false);
  }

  private static List<ApiOperation.Column> columns(ApiOperation op, JsonNode rows) {
    if (!op.columns().isEmpty()) {
      return op.columns();
    }
    List<ApiOperation.Column> cols = new ArrayList<>();
    if (rows.size() > 0 && rows.get(0).isObject()) {
      for (Iterator<String> it = rows.get(0).fieldNames(); it.hasNext(); ) {
        cols.add(ApiOperation.Column.of(it.next()));
      }
    }
    return cols;
  }

  private static String cell(String field, JsonNode v) {
    if (v == null || v.isNull()) {
      return "";
    }
    String text = v.isValueNode() ? v.asText() : v.toString();
    if ((field.endsWith("Url") || field.endsWith("Ui"))
        && (text.startsWith("http://") || text.startsWith("https://"))) {
      return "<a href=\""
          + Html.esc(text)
          + "\" rel=\"noopener noreferrer\" target=\"_blank\">"
          + Html.esc(text)
          + "</a>";
    }
    return Html.esc(text);
  }
}

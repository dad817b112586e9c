package io.flinkplatform.engine.internal.console;

import io.flinkplatform.engine.run.InstanceInfo;
import java.util.List;

/**
 * {@code /instances}: every instance on the database, live or recently gone, for any logged-in
 * user. Instances serve every workspace, so the list is read through a client in the first of the
 * caller's workspaces (a caller with none sees why there is nothing). Polls itself every 5 s.
 */
final class InstancesPage implements Page {
  @Override
  public String render(PageContext c) {
    if (c.roles().isEmpty()) {
      return Layout.page(
          c,
          "Instances",
          "<p class=\"muted\">You are not a member of any workspace yet: ask an administrator.</p>");
    }
    return Layout.page(c, "Instances", table(c));
  }

  /** The table alone, for the page's polling ({@code /instances/table}). */
  static String table(PageContext c) {
    if (c.roles().isEmpty()) {
      return "<div id=\"instances\"></div>";
    }
    String ws = c.roles().keySet().iterator().next();
    List<InstanceInfo> instances = c.backend().client(c.who().actor(), ws).instances();
    StringBuilder b =
        new StringBuilder("<div id=\"instances\" hx-get=\"")
            .append(c.link("/instances/table"))
            .append("\" hx-trigger=\"every 5s\" hx-swap=\"outerHTML\">");
    if (instances.isEmpty()) {
      return b.append("<p class=\"muted\">No instances.</p></div>").toString();
    }
    b.append("<table><thead><tr><th>Instance</th><th>State</th><th>Heartbeat</th>")
        .append("<th>Labels</th><th>Task types</th><th>Running attempts</th>")
        .append("<th>Host</th><th>Version</th><th>Started</th></tr></thead><tbody>");
    for (InstanceInfo i : instances) {
      b.append("<tr data-instance=\"").append(Html.esc(i.name())).append("\"><td>");
      b.append(Html.esc(i.instanceName())).append(" <span class=\"muted\">");
      b.append(Html.esc(i.name())).append("</span></td><td><span class=\"state state-");
      b.append(i.state().name()).append("\">").append(i.state().name().toLowerCase());
      b.append("</span></td><td>").append(Html.esc(Html.duration(i.heartbeatAge())));
      b.append(" ago</td><td>").append(list(i.labels())).append("</td><td>");
      b.append(list(i.taskTypes())).append("</td><td>").append(i.runningAttempts());
      b.append("</td><td>").append(Html.esc(i.host())).append(" <span class=\"muted\">pid ");
      b.append(i.pid()).append("</span></td><td>").append(Html.esc(i.version()));
      b.append("</td><td>").append(Html.esc(Html.time(i.startedAt()))).append("</td></tr>");
    }
    return b.append("</tbody></table></div>").toString();
  }

  private static String list(List<String> values) {
    if (values.isEmpty()) {
      return "<span class=\"muted\">none</span>";
    }
    StringBuilder b = new StringBuilder();
    for (String v : values) {
      b.append("<code>").append(Html.esc(v)).append("</code> ");
    }
    return b.toString().trim();
  }
}

package io.flinkplatform.engine.internal.console;

import io.flinkplatform.engine.access.Action;
import io.flinkplatform.engine.access.PlatformAdmin;
import io.flinkplatform.engine.access.WorkspaceCaps;
import io.flinkplatform.engine.run.Limit;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /w/{ws}/admin}: the workspace's limits and pools, caps, members, grants and audit trail.
 * Every member may read limits, caps and grants; members and the audit trail need an admin. Each
 * change is a button or form that calls the REST API, shown only when the caller's role allows it.
 */
final class AdminPage implements Page {
  @Override
  public String render(PageContext c) throws Exception {
    StringBuilder b = new StringBuilder();
    description(b, c);
    b.append("<h2 id=\"limits\">Limits and pools</h2>");
    limits(b, c);
    b.append("<h2 id=\"caps\">Caps</h2>");
    caps(b, c);
    b.append("<h2 id=\"members\">Members</h2>");
    AdminMembers.render(b, c);
    b.append("<h2 id=\"grants\">Grants</h2>");
    AdminGrants.render(b, c);
    b.append("<h2 id=\"audit\">Audit trail</h2>");
    AdminAudit.render(b, c);
    return Layout.page(c, "Admin · " + c.ws(), b.toString());
  }

  /** The workspace's description, which only a platform administrator can read. */
  private static void description(StringBuilder b, PageContext c) {
    if (!c.platformAdmin()) {
      return;
    }
    c.backend().admin(c.who().actor()).workspaces().stream()
        .filter(w -> w.name().equals(c.ws()))
        .map(PlatformAdmin.WorkspaceInfo::description)
        .filter(d -> !d.isBlank())
        .findFirst()
        .ifPresent(d -> b.append("<p class=\"description\">").append(Html.esc(d)).append("</p>"));
  }

  private static void limits(StringBuilder b, PageContext c) {
    List<Limit> limits = c.client().limits();
    if (limits.isEmpty()) {
      b.append("<p class=\"muted\">No limits.</p>");
    } else {
      b.append("<table class=\"limits\"><thead><tr><th>Kind</th><th>Name</th><th>Slots</th>")
          .append("<th>In use</th><th></th></tr></thead><tbody>");
      for (Limit l : limits) {
        b.append("<tr data-limit=\"").append(Html.esc(l.kind() + "/" + l.name())).append("\"><td>");
        b.append(Html.esc(l.kind().name().toLowerCase())).append("</td><td>");
        b.append(Html.esc(l.name())).append("</td><td>");
        if (l.kind() == Limit.Kind.POOL && c.can(Action.LIMIT_SET)) {
          b.append(ApiButton.form("PUT", c.api("/pools/{name}"), "inline"))
              .append("<input type=\"hidden\" name=\"name\" value=\"")
              .append(Html.esc(l.name()))
              .append("\"><input type=\"number\" name=\"slots\" min=\"1\" required value=\"")
              .append(l.slots())
              .append("\" aria-label=\"slots\"> <button type=\"submit\">Set</button>")
              .append(ApiButton.fieldError("slots"))
              .append("</form>");
        } else {
          b.append(l.slots());
        }
        b.append("</td><td>").append(l.running()).append("</td><td>");
        boolean mayRemove =
            l.kind() == Limit.Kind.TASK_TYPE ? c.platformAdmin() : c.can(Action.LIMIT_REMOVE);
        if (mayRemove) {
          String what = l.kind().name().toLowerCase() + " limit " + l.name();
          b.append(
              ApiButton.of(
                  "DELETE",
                  c.api("/limits/" + l.kind().name() + "/" + Html.url(l.name())),
                  "Remove",
                  "Remove the " + what + "?",
                  null,
                  "danger"));
        }
        b.append("</td></tr>");
      }
      b.append("</tbody></table>");
    }
    if (c.can(Action.LIMIT_SET)) {
      b.append(ApiButton.form("PUT", c.api("/pools/{name}"), "row add-pool"))
          .append("<label>Pool <input name=\"name\" required></label>")
          .append(ApiButton.fieldError("name"))
          .append("<label>Slots <input type=\"number\" name=\"slots\" min=\"1\" required></label>")
          .append(ApiButton.fieldError("slots"))
          .append("<button type=\"submit\">Set pool</button></form>");
    }
  }

  private static void caps(StringBuilder b, PageContext c) {
    WorkspaceCaps caps = c.client().caps();
    Map<String, Optional<?>> values =
        Map.of(
            "minPriority", caps.minPriority(),
            "maxPriority", caps.maxPriority(),
            "maxTasksPerWorkflow", caps.maxTasksPerWorkflow(),
            "minCronInterval", caps.minCronInterval(),
            "maxActiveRuns", caps.maxActiveRuns(),
            "maxBackfillRuns", caps.maxBackfillRuns());
    boolean edit = c.can(Action.CAPS_SET);
    if (edit) {
      b.append(ApiButton.form("PUT", c.api("/caps"), "caps"));
    }
    b.append("<table class=\"caps\"><tbody>");
    for (String field : CAP_FIELDS) {
      Optional<?> v = values.get(field);
      String shown = v.map(x -> x instanceof Duration d ? d.toString() : x.toString()).orElse("");
      b.append("<tr><th>").append(Html.esc(field)).append("</th><td>");
      if (edit) {
        boolean duration = field.equals("minCronInterval");
        b.append("<input name=\"")
            .append(field)
            .append("\" ")
            .append(duration ? "placeholder=\"PT5M\"" : "type=\"number\" placeholder=\"no cap\"")
            .append(" value=\"")
            .append(Html.esc(shown))
            .append("\" aria-label=\"")
            .append(field)
            .append("\">")
            .append(ApiButton.fieldError(field));
      } else {
        b.append(shown.isEmpty() ? "<span class=\"muted\">no cap</span>" : Html.esc(shown));
      }
      b.append("</td></tr>");
    }
    b.append("</tbody></table>");
    if (edit) {
      b.append("<p class=\"muted\">An empty field is no cap; minCronInterval is an ISO-8601")
          .append(" duration such as PT5M.</p><button type=\"submit\">Save caps</button></form>");
    }
  }

  private static final List<String> CAP_FIELDS =
      List.of(
          "minPriority",
          "maxPriority",
          "maxTasksPerWorkflow",
          "minCronInterval",
          "maxActiveRuns",
          "maxBackfillRuns");
}

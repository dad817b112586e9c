package io.flinkplatform.engine.internal.console;

import io.flinkplatform.engine.access.Action;
import io.flinkplatform.engine.run.WorkflowSummary;
import java.util.List;

/** The workspace's workflows ({@code /w/{ws}/workflows}): latest version, schedules, last run. */
final class WorkflowsPage {
  static final String PATH = "/w/{ws}/workflows";

  private WorkflowsPage() {}

  static void register(PageRouter router) {
    router.add(PATH, WorkflowsPage::render);
  }

  static String render(PageContext c) {
    List<WorkflowSummary> all = c.client().workflows();
    StringBuilder b = new StringBuilder();
    if (c.can(Action.DEPLOY)) {
      b.append("<p><a class=\"button primary\" href=\"")
          .append(c.wsLink("/deploy"))
          .append("\">Deploy a workflow</a></p>");
    }
    if (all.isEmpty()) {
      b.append("<p class=\"muted\">No workflow is deployed in this workspace.</p>");
      return Layout.page(c, "Workflows", b.toString());
    }
    b.append(
            "<table class=\"workflows\"><thead><tr><th>Workflow</th><th>Version</th><th>Tasks</th>")
        .append("<th>Deployed</th><th>Schedules</th><th>Last run</th><th>Description</th>")
        .append("</tr></thead><tbody>");
    for (WorkflowSummary w : all) {
      b.append("<tr data-workflow=\"")
          .append(Html.esc(w.name()))
          .append("\"><td>")
          .append(PageParts.workflowLink(c, w.name()))
          .append("</td><td>v")
          .append(w.latestVersion())
          .append("</td><td>")
          .append(w.taskCount())
          .append("</td><td>")
          .append(Html.esc(Html.time(w.deployedAt())))
          .append(" <span class=\"muted\">by ")
          .append(Html.esc(w.deployedBy()))
          .append("</span></td><td>");
      for (String s : w.schedules()) {
        b.append(PageParts.a(c.wsLink("/schedules/" + Html.url(s)), s)).append(' ');
      }
      b.append("</td><td>");
      w.lastRun()
          .ifPresent(
              r ->
                  b.append(PageParts.runLink(c, r.id()))
                      .append(' ')
                      .append(PageParts.state(r.state()))
                      .append(" <span class=\"muted\">")
                      .append(Html.esc(Html.time(r.createdAt())))
                      .append("</span>"));
      b.append("</td><td>").append(Html.esc(w.description())).append("</td></tr>");
    }
    b.append("</tbody></table>");
    return Layout.page(c, "Workflows", b.toString());
  }
}

package io.flinkplatform.engine.internal.console;

import io.flinkplatform.engine.InvalidRequestException;
import io.flinkplatform.engine.NotFoundException;
import io.flinkplatform.engine.access.Action;
import io.flinkplatform.engine.dag.Edge;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.run.DeployedWorkflow;
import io.flinkplatform.engine.run.RunQuery;
import io.flinkplatform.engine.run.VersionDiff;
import io.flinkplatform.engine.run.WorkflowVersion;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One workflow ({@code /w/{ws}/workflows/{name}}, {@code ?version=} for an older one, {@code
 * ?from=&to=} for a diff): its DAG picture, the trigger form (parameters and a logical date), its
 * versions with a diff between two of them, the definition as JSON and its latest runs.
 */
final class WorkflowPage {
  static final String PATH = "/w/{ws}/workflows/{name}";

  private WorkflowPage() {}

  static void register(PageRouter router) {
    router.add(PATH, WorkflowPage::render);
  }

  static String render(PageContext c) {
    String name = c.param("name");
    Optional<Integer> asked = c.query("version").map(v -> number("version", v));
    DeployedWorkflow d =
        (asked.isPresent() ? c.client().workflow(name, asked.get()) : c.client().workflow(name))
            .orElseThrow(
                () ->
                    new NotFoundException(
                        "no workflow " + name + asked.map(v -> " version " + v).orElse("")));
    Workflow w = d.workflow();
    List<WorkflowVersion> versions = c.client().versions(name);
    StringBuilder b = new StringBuilder();
    b.append("<p class=\"muted\">Version ")
        .append(d.version())
        .append(" of ")
        .append(versions.size())
        .append(", deployed ")
        .append(Html.esc(Html.time(d.createdAt())))
        .append(". ")
        .append(Html.esc(w.description()))
        .append("</p>");
    b.append("<div class=\"row\">");
    b.append(PageParts.a(c.wsLink("/runs?workflow=" + Html.url(name)), "All runs"));
    b.append(" · <a href=\"")
        .append(c.api("/workflows/" + Html.url(name) + "/picture.svg?version=" + d.version()))
        .append("\">Picture (SVG)</a>");
    if (c.can(Action.DEPLOY)) {
      b.append(" · ")
          .append(PageParts.a(c.wsLink("/deploy?from=" + Html.url(name)), "Edit and deploy"));
    }
    b.append("</div>");
    b.append("<h2>DAG</h2><div class=\"picture\">").append(DagPicture.svg(w)).append("</div>");
    if (c.can(Action.TRIGGER)) {
      trigger(b, c, w, d.version(), asked.isPresent());
    }
    b.append("<h2>Latest runs</h2>")
        .append(
            PageParts.runsTable(
                c, c.client().runs(RunQuery.latest(20).workflow(name)).runs(), false));
    versions(b, c, name, versions, d.version());
    b.append("<h2>Definition</h2><pre class=\"definition\">")
        .append(Html.esc(PageParts.json(w)))
        .append("</pre>");
    return Layout.page(c, name, b.toString());
  }

  private static int number(String field, String v) {
    try {
      int n = Integer.parseInt(v);
      if (n >= 1) {
        return n;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw new InvalidRequestException(field, field + " must be a version number >= 1, was " + v);
  }

  private static void trigger(
      StringBuilder b, PageContext c, Workflow w, int version, boolean pinned) {
    b.append("<h2>Trigger</h2><form class=\"trigger\" data-api=\"POST ")
        .append(c.api("/workflows/" + Html.url(w.name()) + "/trigger"))
        .append("\" data-then=\"goto:/w/")
        .append(Html.url(c.ws()))
        .append("/runs/{}|runId\">");
    for (Map.Entry<String, String> p : w.parameters().entrySet()) {
      b.append("<label>")
          .append(Html.esc(p.getKey()))
          .append(" <input name=\"param.")
          .append(Html.esc(p.getKey()))
          .append("\" placeholder=\"")
          .append(Html.esc(p.getValue()))
          .append("\"></label>");
    }
    b.append("<label>Logical date <input name=\"logicalDate\" placeholder=\"now, or e.g. ")
        .append("2026-01-31T00:00:00Z\"></label>")
        .append("<p class=\"error\" data-field-error=\"logicalDate\"></p>")
        .append("<p class=\"error\" data-field-error=\"parameters\"></p>");
    if (pinned) {
      b.append("<input type=\"hidden\" name=\"version\" value=\"").append(version).append("\">");
    }
    b.append("<button type=\"submit\" class=\"primary\">Trigger")
        .append(pinned ? " version " + version : "")
        .append("</button></form>");
  }

  private static void versions(
      StringBuilder b, PageContext c, String name, List<WorkflowVersion> versions, int shown) {
    b.append("<h2>Versions</h2><table class=\"versions\"><thead><tr><th>Version</th>")
        .append(
            "<th>Deployed</th><th>By</th><th>Tasks</th><th>Description</th></tr></thead><tbody>");
    for (WorkflowVersion v : versions) {
      b.append("<tr><td>")
          .append(
              v.version() == shown
                  ? "<strong>v" + v.version() + "</strong>"
                  : PageParts.a(
                      c.wsLink("/workflows/" + Html.url(name) + "?version=" + v.version()),
                      "v" + v.version()))
          .append("</td><td>")
          .append(Html.esc(Html.time(v.deployedAt())))
          .append("</td><td>")
          .append(Html.esc(v.deployedBy()))
          .append("</td><td>")
          .append(v.taskCount())
          .append("</td><td>")
          .append(Html.esc(v.description()))
          .append("</td></tr>");
    }
    b.append("</tbody></table>");
    if (versions.size() < 2) {
      return;
    }
    int latest = versions.stream().mapToInt(WorkflowVersion::version).max().orElse(1);
    int from = c.query("from").map(v -> number("from", v)).orElse(latest - 1);
    int to = c.query("to").map(v -> number("to", v)).orElse(latest);
    List<String> all = versions.stream().map(v -> Integer.toString(v.version())).toList();
    b.append("<form class=\"diff row\" method=\"get\" action=\"")
        .append(c.wsLink("/workflows/" + Html.url(name)))
        .append("\"><label>Diff from <select name=\"from\">")
        .append(PageParts.options(all, Integer.toString(from)))
        .append("</select></label><label>to <select name=\"to\">")
        .append(PageParts.options(all, Integer.toString(to)))
        .append("</select></label><button type=\"submit\">Compare</button></form>");
    if (c.query("from").isPresent() || c.query("to").isPresent()) {
      b.append(diff(c.client().diff(name, from, to)));
    }
  }

  static String diff(VersionDiff d) {
    StringBuilder b = new StringBuilder("<div class=\"diff-result\" id=\"diff\"><h3>v");
    b.append(d.from()).append(" → v").append(d.to()).append("</h3>");
    if (d.isEmpty()) {
      return b.append("<p class=\"muted\">No difference.</p></div>").toString();
    }
    b.append("<ul>");
    if (!d.workflowFields().isEmpty()) {
      b.append("<li>Workflow fields changed: ")
          .append(Html.esc(String.join(", ", d.workflowFields())))
          .append("</li>");
    }
    for (String t : d.tasksAdded()) {
      b.append("<li class=\"added\">+ task ").append(Html.esc(t)).append("</li>");
    }
    for (String t : d.tasksRemoved()) {
      b.append("<li class=\"removed\">− task ").append(Html.esc(t)).append("</li>");
    }
    for (VersionDiff.TaskChange t : d.tasksChanged()) {
      b.append("<li class=\"changed\">~ task ").append(Html.esc(t.taskId()));
      if (!t.fields().isEmpty()) {
        b.append(": ").append(Html.esc(String.join(", ", t.fields())));
      }
      if (!t.optionKeys().isEmpty()) {
        b.append("; options ").append(Html.esc(String.join(", ", t.optionKeys())));
      }
      b.append("</li>");
    }
    for (Edge e : d.edgesAdded()) {
      b.append("<li class=\"added\">+ edge ").append(Html.esc(edge(e))).append("</li>");
    }
    for (Edge e : d.edgesRemoved()) {
      b.append("<li class=\"removed\">− edge ").append(Html.esc(edge(e))).append("</li>");
    }
    return b.append("</ul></div>").toString();
  }

  private static String edge(Edge e) {
    return e.from() + " → " + e.to() + " (on " + e.on().name().toLowerCase() + ")";
  }
}

package io.flinkplatform.engine.internal.console;

import io.flinkplatform.engine.InvalidRequestException;
import io.flinkplatform.engine.NotFoundException;
import io.flinkplatform.engine.PlatformClient;
import io.flinkplatform.engine.access.Action;
import io.flinkplatform.engine.dag.TaskDefinition;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.run.Explanation;
import io.flinkplatform.engine.run.RerunMode;
import io.flinkplatform.engine.run.TaskAttempt;
import io.flinkplatform.engine.run.TaskState;
import io.flinkplatform.engine.run.WorkflowRun;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One run ({@code /w/{ws}/runs/{runId}}): what it is, the actions the caller's role allows (kill,
 * rerun failed tasks or one task with or without its upstream or downstream, mark a task success or
 * skipped), and a live part ({@code .../live}, polled every 2 s while the run is not finished): the
 * DAG picture coloured by the tasks' latest states, why what waits waits, and every attempt with a
 * link to its log.
 */
final class RunPage {
  static final String PATH = "/w/{ws}/runs/{runId}";
  static final String LIVE = "/w/{ws}/runs/{runId}/live";

  private RunPage() {}

  static void register(PageRouter router) {
    router.add(PATH, RunPage::render);
    router.add(LIVE, c -> live(c, runId(c)));
  }

  static long runId(PageContext c) {
    return id("runId", c.param("runId"));
  }

  static long id(String field, String v) {
    try {
      long id = Long.parseLong(v);
      if (id > 0) {
        return id;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw new InvalidRequestException(field, field + " must be a positive number, was " + v);
  }

  static WorkflowRun run(PlatformClient client, long runId) {
    return client.run(runId).orElseThrow(() -> new NotFoundException("no run " + runId));
  }

  static String render(PageContext c) {
    long runId = runId(c);
    PlatformClient client = c.client();
    WorkflowRun r = run(client, runId);
    Workflow w =
        client
            .workflow(r.workflowName(), r.workflowVersion())
            .orElseThrow(() -> new NotFoundException("no version of run " + runId))
            .workflow();
    StringBuilder b = new StringBuilder();
    b.append("<dl class=\"facts\"><dt>Workflow</dt><dd>")
        .append(PageParts.workflowLink(c, r.workflowName()))
        .append(" <span class=\"muted\">v")
        .append(r.workflowVersion())
        .append("</span></dd><dt>Logical date</dt><dd>")
        .append(Html.esc(Html.time(r.logicalDate())))
        .append("</dd><dt>Triggered by</dt><dd>")
        .append(Html.esc(r.triggeredBy()))
        .append("</dd><dt>Created</dt><dd>")
        .append(Html.esc(Html.time(r.createdAt())))
        .append("</dd>");
    if (!r.parameters().isEmpty()) {
      b.append("<dt>Parameters</dt><dd>")
          .append(Html.esc(keyValues(r.parameters())))
          .append("</dd>");
    }
    r.killedBy()
        .ifPresent(k -> b.append("<dt>Killed by</dt><dd>").append(Html.esc(k)).append("</dd>"));
    r.rerunBy()
        .ifPresent(k -> b.append("<dt>Rerun by</dt><dd>").append(Html.esc(k)).append("</dd>"));
    b.append("</dl>");
    actions(b, c, r, w);
    b.append(live(c, runId));
    return Layout.page(c, "Run " + runId + " of " + r.workflowName(), b.toString());
  }

  private static void actions(StringBuilder b, PageContext c, WorkflowRun r, Workflow w) {
    String base = "/runs/" + r.id();
    StringBuilder a = new StringBuilder();
    if (c.can(Action.KILL) && !r.state().isFinal()) {
      a.append("<button class=\"danger\" data-action=\"kill\" data-api=\"POST ")
          .append(c.api(base + "/kill"))
          .append("\" data-confirm=\"Kill run ")
          .append(r.id())
          .append("?\" data-then=\"reload\">Kill</button>");
    }
    if (c.can(Action.RERUN) && r.state().isFinal()) {
      a.append("<button data-action=\"rerun-failed\" data-api=\"POST ")
          .append(c.api(base + "/rerun"))
          .append("\" data-body='{\"mode\":\"")
          .append(RerunMode.FAILED_TASKS.name())
          .append("\"}' data-then=\"reload\">Rerun failed tasks</button>");
      a.append("<form class=\"rerun row\" data-api=\"POST ")
          .append(c.api(base + "/rerun"))
          .append("\" data-then=\"reload\"><label>Rerun task <select name=\"task\">")
          .append(PageParts.options(w.tasks().stream().map(TaskDefinition::id).toList(), ""))
          .append("</select></label><label><select name=\"mode\">")
          .append("<option value=\"TASK\">alone</option>")
          .append("<option value=\"TASK_AND_UPSTREAM\">with upstream</option>")
          .append("<option value=\"TASK_AND_DOWNSTREAM\">with downstream</option>")
          .append("</select></label><button type=\"submit\">Rerun</button>")
          .append("<span class=\"error\" data-field-error=\"task\"></span>")
          .append("<span class=\"error\" data-field-error=\"mode\"></span></form>");
    }
    if (a.length() > 0) {
      b.append("<div class=\"actions row\">").append(a).append("</div>");
    }
  }

  /** The live part: replaced every 2 s by htmx while the run is not finished. */
  static String live(PageContext c, long runId) {
    PlatformClient client = c.client();
    WorkflowRun r = run(client, runId);
    Workflow w =
        client
            .workflow(r.workflowName(), r.workflowVersion())
            .orElseThrow(() -> new NotFoundException("no version of run " + runId))
            .workflow();
    List<TaskAttempt> attempts =
        client.attempts(runId).stream().sorted(Comparator.comparingLong(TaskAttempt::id)).toList();
    Map<String, TaskState> states = PictureRoutes.latestStates(attempts);
    Map<String, Long> latest = new HashMap<>();
    attempts.forEach(a -> latest.put(a.taskId(), a.id()));
    StringBuilder b = new StringBuilder("<div id=\"run-live\" data-run-state=\"");
    b.append(r.state().name()).append('"');
    if (!r.state().isFinal()) {
      b.append(" hx-get=\"")
          .append(c.wsLink("/runs/" + runId + "/live"))
          .append("\" hx-trigger=\"every 2s\" hx-swap=\"outerHTML\"");
    }
    b.append("><p class=\"row\">")
        .append(PageParts.state(r.state()))
        .append(" <span class=\"muted\">")
        .append(Html.esc(PageParts.duration(r.startedAt(), r.endedAt())))
        .append("</span></p>");
    b.append("<div class=\"picture\">").append(DagPicture.svg(w, states)).append("</div>");
    if (!r.state().isFinal()) {
      explain(b, client.explain(runId));
    }
    b.append("<h2>Attempts</h2>");
    if (attempts.isEmpty()) {
      b.append("<p class=\"muted\">No task has started yet.</p>");
    } else {
      b.append("<table class=\"attempts\"><thead><tr><th>Task</th><th>Attempt</th><th>State</th>")
          .append("<th>Instance</th><th>Epoch</th><th>Started</th><th>Ended</th><th>Took</th>")
          .append("<th>Message</th><th>Outputs</th><th></th></tr></thead><tbody>");
      for (TaskAttempt a : attempts) {
        boolean last = latest.get(a.taskId()) == a.id();
        row(b, c, r, a, last);
      }
      b.append("</tbody></table>");
    }
    return b.append("</div>").toString();
  }

  private static void row(
      StringBuilder b, PageContext c, WorkflowRun r, TaskAttempt a, boolean last) {
    b.append("<tr data-task=\"")
        .append(Html.esc(a.taskId()))
        .append("\" data-attempt=\"")
        .append(a.id())
        .append("\" data-state=\"")
        .append(a.state().name())
        .append("\"")
        .append(last ? " data-latest" : "")
        .append("><td>")
        .append(Html.esc(a.taskId()))
        .append("</td><td>")
        .append(a.attempt())
        .append("</td><td>")
        .append(PageParts.state(a.state()))
        .append("</td><td>")
        .append(Html.esc(a.owner()))
        .append("</td><td>")
        .append(a.epoch())
        .append("</td><td>")
        .append(Html.esc(Html.time(a.startedAt())))
        .append("</td><td>")
        .append(Html.esc(Html.time(a.endedAt())))
        .append("</td><td>")
        .append(Html.esc(a.duration().map(Html::duration).orElse("")))
        .append("</td><td>")
        .append(Html.esc(a.message()));
    a.rerunBy()
        .ifPresent(
            by -> b.append(" <span class=\"muted\">(by ").append(Html.esc(by)).append(")</span>"));
    b.append("</td><td>")
        .append(Html.esc(keyValues(a.outputs())))
        .append("</td><td class=\"row\">");
    if (a.logPath().isPresent() || a.state() == TaskState.RUNNING) {
      b.append("<a data-action=\"log\" href=\"")
          .append(c.wsLink("/runs/" + r.id() + "/attempts/" + a.id() + "/log"))
          .append("\">Log</a>");
    }
    if (last && c.can(Action.MARK) && a.state() != TaskState.RUNNING) {
      String mark = c.api("/runs/" + r.id() + "/tasks/" + Html.url(a.taskId()) + "/mark");
      for (TaskState s : List.of(TaskState.SUCCESS, TaskState.SKIPPED)) {
        if (a.state() == s) {
          continue;
        }
        b.append("<button data-action=\"mark-")
            .append(s.name().toLowerCase())
            .append("\" data-api=\"POST ")
            .append(mark)
            .append("\" data-body='{\"state\":\"")
            .append(s.name())
            .append("\"}' data-confirm=\"Mark ")
            .append(Html.esc(a.taskId()))
            .append(' ')
            .append(s.name().toLowerCase())
            .append("?\" data-then=\"reload\">Mark ")
            .append(s.name().toLowerCase())
            .append("</button>");
      }
    }
    b.append("</td></tr>");
  }

  private static void explain(StringBuilder b, Explanation e) {
    boolean any = e.run().isPresent() || e.tasks().stream().anyMatch(t -> !t.reasons().isEmpty());
    if (!any) {
      return;
    }
    b.append("<h2>Waiting because</h2><ul class=\"explain\">");
    e.run()
        .ifPresent(
            reason ->
                b.append("<li><strong>run</strong>: ")
                    .append(Html.esc(reason.code().name()))
                    .append(" — ")
                    .append(Html.esc(reason.detail()))
                    .append("</li>"));
    for (Explanation.TaskExplanation t : e.tasks()) {
      for (Explanation.Reason reason : t.reasons()) {
        b.append("<li><strong>")
            .append(Html.esc(t.taskId()))
            .append("</strong> (")
            .append(t.state().name().toLowerCase())
            .append("): ")
            .append(Html.esc(reason.code().name()))
            .append(" — ")
            .append(Html.esc(reason.detail()))
            .append("</li>");
      }
    }
    b.append("</ul>");
  }

  static String keyValues(Map<String, String> m) {
    return m.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(", "));
  }
}

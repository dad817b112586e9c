package io.flinkplatform.engine.internal.console;

import io.flinkplatform.engine.access.Action;
import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.schedule.Backfill;
import java.util.List;
import java.util.Map;

/**
 * The backfills of a workspace ({@code PlatformClient.backfills()}) with their progress and a
 * cancel button; served alone at {@code /w/{ws}/schedules/backfills}, which the table polls while a
 * backfill runs.
 */
final class BackfillsFragment implements Page {
  @Override
  public String render(PageContext c) {
    return table(c);
  }

  static String table(PageContext c) {
    List<Backfill> backfills = c.client().backfills();
    if (backfills.isEmpty()) {
      return "<div id=\"backfills\"><p class=\"muted\">No backfills.</p></div>";
    }
    boolean running = backfills.stream().anyMatch(b -> b.state() == Backfill.State.RUNNING);
    StringBuilder b = new StringBuilder("<div id=\"backfills\"");
    if (running) {
      b.append(" hx-get=\"")
          .append(c.wsLink("/schedules/backfills"))
          .append("\" hx-trigger=\"every 3s\" hx-swap=\"outerHTML\"");
    }
    b.append("><table><thead><tr><th>Id</th><th>Workflow</th><th>Logical dates</th>")
        .append("<th>Parallelism</th><th>Progress</th><th>State</th><th></th></tr></thead><tbody>");
    for (Backfill f : backfills) {
      int ended = 0;
      for (Map.Entry<RunState, Integer> e : f.runsByState().entrySet()) {
        ended += e.getKey().isFinal() ? e.getValue() : 0;
      }
      b.append("<tr data-backfill=\"").append(f.id()).append("\"><td>").append(f.id());
      b.append("</td><td>").append(Html.esc(f.workflowName())).append("</td><td>");
      b.append(Html.esc(Html.time(f.firstLogicalDate()))).append(" – ");
      b.append(Html.esc(Html.time(f.lastLogicalDate()))).append("</td><td>");
      b.append(f.parallelism()).append("</td><td><progress max=\"").append(f.runs());
      b.append("\" value=\"").append(ended).append("\"></progress> ");
      b.append(ended).append(" / ").append(f.runs()).append(" ended <span class=\"muted\">");
      f.runsByState().entrySet().stream()
          .sorted(Map.Entry.comparingByKey())
          .forEach(
              e ->
                  b.append(Html.esc(e.getKey().name().toLowerCase()))
                      .append(' ')
                      .append(e.getValue())
                      .append(' '));
      b.append("</span></td><td><span class=\"state state-")
          .append(f.state().name())
          .append("\">")
          .append(f.state().name())
          .append("</span></td><td>");
      if (f.state() == Backfill.State.RUNNING && c.can(Action.BACKFILL_CANCEL)) {
        b.append(
            ApiButton.of(
                "POST",
                c.api("/backfills/" + f.id() + "/cancel"),
                "Cancel",
                "Cancel backfill " + f.id() + "? Its held runs end KILLED, active runs are killed.",
                null,
                "danger"));
      }
      b.append("</td></tr>");
    }
    return b.append("</tbody></table></div>").toString();
  }
}

package io.flinkplatform.engine.internal.console;

import io.flinkplatform.engine.InvalidRequestException;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.dag.WorkflowJson;
import io.flinkplatform.engine.run.WorkflowRun;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Pieces the console's pages share: state badges, run tables, links, dates typed into filters. */
final class PageParts {
  private PageParts() {}

  /** A state as a coloured badge. */
  static String state(Enum<?> state) {
    return "<span class=\"state state-"
        + state.name()
        + "\">"
        + state.name().toLowerCase(Locale.ROOT).replace('_', ' ')
        + "</span>";
  }

  static String a(String href, Object text) {
    return "<a href=\"" + href + "\">" + Html.esc(text) + "</a>";
  }

  static String runLink(PageContext c, long runId) {
    return a(c.wsLink("/runs/" + runId), "#" + runId);
  }

  static String workflowLink(PageContext c, String name) {
    return a(c.wsLink("/workflows/" + Html.url(name)), name);
  }

  /** A table of runs, newest first as given. */
  static String runsTable(PageContext c, List<WorkflowRun> runs, boolean withWorkflow) {
    if (runs.isEmpty()) {
      return "<p class=\"muted\">No runs.</p>";
    }
    StringBuilder b = new StringBuilder("<table class=\"runs\"><thead><tr><th>Run</th>");
    if (withWorkflow) {
      b.append("<th>Workflow</th>");
    }
    b.append("<th>State</th><th>Logical date</th><th>Triggered by</th><th>Created</th>")
        .append("<th>Duration</th></tr></thead><tbody>");
    for (WorkflowRun r : runs) {
      b.append("<tr data-run=\"").append(r.id()).append("\"><td>").append(runLink(c, r.id()));
      b.append("</td>");
      if (withWorkflow) {
        b.append("<td>")
            .append(workflowLink(c, r.workflowName()))
            .append(" <span class=\"muted\">v")
            .append(r.workflowVersion())
            .append("</span></td>");
      }
      b.append("<td>")
          .append(state(r.state()))
          .append("</td><td>")
          .append(Html.esc(Html.time(r.logicalDate())))
          .append("</td><td>")
          .append(Html.esc(r.triggeredBy()))
          .append("</td><td>")
          .append(Html.esc(Html.time(r.createdAt())))
          .append("</td><td>")
          .append(Html.esc(duration(r.startedAt(), r.endedAt())))
          .append("</td></tr>");
    }
    return b.append("</tbody></table>").toString();
  }

  static String duration(Optional<Instant> start, Optional<Instant> end) {
    if (start.isEmpty()) {
      return "";
    }
    return Html.duration(Duration.between(start.get(), end.orElse(Instant.now())))
        + (end.isEmpty() ? " so far" : "");
  }

  /** The workflow's definition as indented JSON. */
  static String json(Workflow w) {
    try {
      return ConsoleJson.MAPPER
          .writerWithDefaultPrettyPrinter()
          .writeValueAsString(ConsoleJson.MAPPER.readTree(WorkflowJson.write(w)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A date typed into a filter: an ISO instant ({@code 2026-01-31T00:00:00Z}) or a day ({@code
   * 2026-01-31}, its start, or with {@code endOfDay} its last millisecond, in UTC).
   *
   * @throws InvalidRequestException naming {@code field}
   */
  static Optional<Instant> instant(String field, Optional<String> value, boolean endOfDay) {
    if (value.isEmpty()) {
      return Optional.empty();
    }
    String v = value.get().trim();
    try {
      if (v.length() == 10) {
        LocalDate d = LocalDate.parse(v);
        Instant start = d.atStartOfDay(ZoneOffset.UTC).toInstant();
        return Optional.of(endOfDay ? start.plus(Duration.ofDays(1)).minusMillis(1) : start);
      }
      return Optional.of(Instant.parse(v));
    } catch (DateTimeParseException e) {
      throw new InvalidRequestException(
          field,
          field + " must be a day such as 2026-01-31 or an instant such as 2026-01-31T00:00:00Z");
    }
  }

  /** A select's options; the {@code selected} one is marked. */
  static String options(List<String> values, String selected) {
    StringBuilder b = new StringBuilder();
    for (String v : values) {
      b.append("<option value=\"")
          .append(Html.esc(v))
          .append("\"")
          .append(v.equals(selected) ? " selected" : "")
          .append(">")
          .append(Html.esc(v.isEmpty() ? "any" : v.toLowerCase(Locale.ROOT).replace('_', ' ')))
          .append("</option>");
    }
    return b.toString();
  }
}

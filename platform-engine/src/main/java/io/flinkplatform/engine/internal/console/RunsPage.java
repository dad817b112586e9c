package io.flinkplatform.engine.internal.console;

import io.flinkplatform.engine.InvalidRequestException;
import io.flinkplatform.engine.run.RunPage;
import io.flinkplatform.engine.run.RunQuery;
import io.flinkplatform.engine.run.RunState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The workspace's runs, newest first ({@code /w/{ws}/runs}), filtered by workflow, state, logical
 * date range and who triggered them, a page at a time ({@code before=<runId>} for the next). A bad
 * filter is shown next to its field and lists nothing.
 */
final class RunsPage {
  static final String PATH = "/w/{ws}/runs";
  static final int PAGE = 50;

  private RunsPage() {}

  static void register(PageRouter router) {
    router.add(PATH, RunsPage::render);
  }

  static String render(PageContext c) {
    Optional<String> workflow = c.query("workflow");
    Optional<String> state = c.query("state");
    Optional<String> from = c.query("from");
    Optional<String> to = c.query("to");
    Optional<String> actor = c.query("actor");
    StringBuilder b = new StringBuilder();
    String error = null;
    String errorField = null;
    RunPage page = null;
    try {
      page = c.client().runs(query(workflow, state, from, to, actor, c.query("before")));
    } catch (InvalidRequestException bad) {
      error = bad.getMessage();
      errorField = bad.field();
    }
    List<String> states = new ArrayList<>(List.of(""));
    Arrays.stream(RunState.values()).forEach(s -> states.add(s.name()));
    b.append("<form class=\"filters row\" method=\"get\" action=\"")
        .append(c.wsLink("/runs"))
        .append("\">")
        .append(field("Workflow", "workflow", workflow, "any", errorField, error))
        .append("<label>State <select name=\"state\">")
        .append(PageParts.options(states, state.orElse("")))
        .append("</select>")
        .append(errorField != null && errorField.equals("state") ? err(error) : "")
        .append("</label>")
        .append(field("Logical date from", "from", from, "2026-01-31", errorField, error))
        .append(field("to", "to", to, "2026-01-31", errorField, error))
        .append(field("Triggered by", "actor", actor, "anyone", errorField, error))
        .append("<button type=\"submit\">Filter</button> ")
        .append(PageParts.a(c.wsLink("/runs"), "Clear"))
        .append("</form>");
    if (error != null
        && !List.of("workflow", "state", "from", "to", "actor").contains(errorField)) {
      b.append(err(error));
    }
    if (page != null) {
      b.append(PageParts.runsTable(c, page.runs(), true));
      if (page.nextBeforeId().isPresent()) {
        StringBuilder q = new StringBuilder("?before=").append(page.nextBeforeId().get());
        workflow.ifPresent(v -> q.append("&workflow=").append(Html.url(v)));
        state.ifPresent(v -> q.append("&state=").append(Html.url(v)));
        from.ifPresent(v -> q.append("&from=").append(Html.url(v)));
        to.ifPresent(v -> q.append("&to=").append(Html.url(v)));
        actor.ifPresent(v -> q.append("&actor=").append(Html.url(v)));
        b.append("<p class=\"paging\">")
            .append(PageParts.a(c.wsLink("/runs" + q), "Older runs →"))
            .append("</p>");
      }
    }
    return Layout.page(c, "Runs", b.toString());
  }

  private static String err(String message) {
    return "<span class=\"error\" data-field-error>" + Html.esc(message) + "</span>";
  }

  private static String field(
      String label,
      String name,
      Optional<String> value,
      String placeholder,
      String errorField,
      String error) {
    return "<label>"
        + Html.esc(label)
        + " <input name=\""
        + name
        + "\" value=\""
        + Html.esc(value.orElse(""))
        + "\" placeholder=\""
        + Html.esc(placeholder)
        + "\">"
        + (name.equals(errorField) ? err(error) : "")
        + "</label>";
  }

  static RunQuery query(
      Optional<String> workflow,
      Optional<String> state,
      Optional<String> from,
      Optional<String> to,
      Optional<String> actor,
      Optional<String> before) {
    Set<RunState> states = Set.of();
    if (state.isPresent()) {
      try {
        states = Set.of(RunState.valueOf(state.get()));
      } catch (IllegalArgumentException e) {
        throw new InvalidRequestException(
            "state", "state must be one of " + Arrays.toString(RunState.values()));
      }
    }
    Optional<Long> beforeId = Optional.empty();
    if (before.isPresent()) {
      try {
        beforeId = Optional.of(Long.parseLong(before.get()));
      } catch (NumberFormatException e) {
        throw new InvalidRequestException("before", "before must be a run id");
      }
    }
    Optional<Instant> lo = PageParts.instant("from", from, false);
    Optional<Instant> hi = PageParts.instant("to", to, true);
    return new RunQuery(
        workflow, states, lo, hi, actor, Optional.empty(), Optional.empty(), beforeId, PAGE);
  }
}

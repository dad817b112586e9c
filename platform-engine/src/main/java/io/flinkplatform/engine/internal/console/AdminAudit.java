package io.flinkplatform.engine.internal.console;

import io.flinkplatform.engine.access.Action;
import io.flinkplatform.engine.access.AuditEntry;
import io.flinkplatform.engine.access.AuditQuery;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/**
 * The audit part of the admin page (workspace admins): filters by actor, action and time as the
 * page's query ({@code ?actor=&action=&from=&to=}), newest first, {@value #PAGE} rows a page, the
 * next page by {@code before=<last id>}.
 */
final class AdminAudit {
  /** Rows per page. */
  static final int PAGE = 50;

  private AdminAudit() {}

  static void render(StringBuilder b, PageContext c) {
    if (!c.can(Action.AUDIT_READ)) {
      b.append("<p class=\"muted\">Only the workspace's admins read its audit trail.</p>");
      return;
    }
    Optional<String> actor = c.query("actor");
    Optional<String> action = c.query("action");
    b.append("<form class=\"row filters\" method=\"get\" action=\"")
        .append(c.wsLink("/admin"))
        .append("#audit\">");
    input(b, "actor", "Actor", actor, "text");
    input(b, "action", "Action", action, "text");
    input(b, "from", "From", c.query("from"), "date");
    input(b, "to", "To", c.query("to"), "date");
    b.append("<button type=\"submit\">Filter</button></form>");
    AuditQuery q = AuditQuery.latest(PAGE);
    try {
      if (actor.isPresent()) {
        q = q.byActor(actor.get());
      }
      if (action.isPresent()) {
        q = q.byAction(action.get());
      }
      Optional<Instant> from = day(c.query("from"), "from", 0);
      Optional<Instant> to = day(c.query("to"), "to", 1);
      if (from.isPresent() || to.isPresent()) {
        q = q.between(from.orElse(Instant.EPOCH), to.orElse(Instant.parse("9999-12-31T00:00:00Z")));
      }
      if (c.query("before").isPresent()) {
        String before = c.query("before").get();
        if (!before.matches("[0-9]{1,18}")) {
          throw new IllegalArgumentException("before must be a row id, not " + before);
        }
        q = q.before(Long.parseLong(before));
      }
    } catch (IllegalArgumentException e) {
      b.append("<p class=\"error\">").append(Html.esc(e.getMessage())).append("</p>");
      return;
    }
    List<AuditEntry> rows = c.client().audit(q);
    if (rows.isEmpty()) {
      b.append("<p class=\"muted\">No audit rows.</p>");
      return;
    }
    b.append("<table class=\"audit\"><thead><tr><th>Id</th><th>At</th><th>Actor</th>")
        .append("<th>Action</th><th>Target</th><th>What changed</th><th>Address</th>")
        .append("</tr></thead><tbody>");
    for (AuditEntry e : rows) {
      b.append("<tr><td>").append(e.id()).append("</td><td>");
      b.append(Html.esc(Html.time(e.at()))).append("</td><td>").append(Html.esc(e.actor()));
      b.append("</td><td><code>").append(Html.esc(e.action())).append("</code></td><td>");
      b.append(Html.esc(e.target())).append("</td><td>").append(Html.esc(e.digest()));
      b.append("</td><td>").append(Html.esc(e.address())).append("</td></tr>");
    }
    b.append("</tbody></table>");
    if (rows.size() == PAGE) {
      StringBuilder next = new StringBuilder("/admin?before=").append(rows.get(PAGE - 1).id());
      for (String k : List.of("actor", "action", "from", "to")) {
        c.query(k).ifPresent(v -> next.append('&').append(k).append('=').append(Html.url(v)));
      }
      b.append("<p><a class=\"older\" href=\"")
          .append(Html.esc(c.wsLink(next.toString())))
          .append("#audit\">Older rows</a></p>");
    }
  }

  private static void input(
      StringBuilder b, String name, String label, Optional<String> value, String type) {
    b.append("<label>")
        .append(label)
        .append(" <input type=\"")
        .append(type)
        .append("\" name=\"")
        .append(name)
        .append("\" value=\"")
        .append(Html.esc(value.orElse("")))
        .append("\"></label>");
  }

  /** A day (yyyy-mm-dd, UTC) as its start, {@code plusDays} later. */
  private static Optional<Instant> day(Optional<String> value, String field, int plusDays) {
    if (value.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          LocalDate.parse(value.get()).plusDays(plusDays).atStartOfDay(ZoneOffset.UTC).toInstant());
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          field + " must be a day such as 2026-01-31, not " + value.get());
    }
  }
}

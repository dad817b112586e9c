package io.flinkplatform.engine.internal.console;

import io.flinkplatform.engine.InvalidRequestException;
import io.flinkplatform.engine.alert.AlertKind;
import io.flinkplatform.engine.alert.AlertPage;
import io.flinkplatform.engine.alert.AlertRecord;
import io.flinkplatform.engine.alert.Delivery;
import io.flinkplatform.engine.alert.DeliveryAttempt;
import io.flinkplatform.engine.alert.DeliveryState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * {@code /w/{ws}/alerts}: the alert history, newest first, 50 a page, filtered by rule, kind,
 * delivery state, workflow and time; each alert with its deliveries (state, attempts, next try,
 * last error) and their tries. The first page refreshes itself every 5 seconds (the table alone,
 * from {@code /w/{ws}/alerts/history}). The tabs lead to the rules, channels and silences pages.
 */
final class AlertsPage {
  static final int PAGE = 50;
  private static final List<String> FILTERS =
      List.of("rule", "kind", "state", "workflow", "from", "to");

  private AlertsPage() {}

  static void register(PageRouter router) {
    router.add("/w/{ws}/alerts", AlertsPage::render);
    router.add("/w/{ws}/alerts/history", AlertsPage::table);
    router.add("/w/{ws}/alerts/rules", AlertRulesPage::render);
    router.add("/w/{ws}/alerts/channels", AlertChannelsPage::render);
    router.add("/w/{ws}/alerts/silences", AlertSilencesPage::render);
  }

  /** The tabs of the alert pages, {@code on} marked. */
  static String tabs(PageContext c, String on) {
    StringBuilder b = new StringBuilder("<nav class=\"tabs\">");
    String[][] tabs = {
      {"", "History"}, {"/rules", "Rules"}, {"/channels", "Channels"}, {"/silences", "Silences"}
    };
    for (String[] t : tabs) {
      b.append("<a href=\"")
          .append(c.wsLink("/alerts" + t[0]))
          .append("\"")
          .append(t[0].equals(on) ? " class=\"on\" aria-current=\"page\"" : "")
          .append(">")
          .append(t[1])
          .append("</a>");
    }
    return b.append("</nav>").toString();
  }

  static String render(PageContext c) {
    StringBuilder b = new StringBuilder(tabs(c, ""));
    List<String> kinds = new ArrayList<>(List.of(""));
    Arrays.stream(AlertKind.values()).forEach(k -> kinds.add(k.name()));
    List<String> states = new ArrayList<>(List.of(""));
    Arrays.stream(DeliveryState.values()).forEach(s -> states.add(s.name()));
    b.append("<form class=\"filters row\" method=\"get\" action=\"")
        .append(c.wsLink("/alerts"))
        .append("\">")
        .append(input(c, "Rule", "rule", "any"))
        .append("<label>Kind <select name=\"kind\">")
        .append(PageParts.options(kinds, c.query("kind").orElse("")))
        .append("</select></label><label>Delivery <select name=\"state\">")
        .append(PageParts.options(states, c.query("state").orElse("")))
        .append("</select></label>")
        .append(input(c, "Workflow", "workflow", "any"))
        .append(input(c, "Raised from", "from", "2026-01-31"))
        .append(input(c, "to", "to", "2026-01-31"))
        .append("<button type=\"submit\">Filter</button> ")
        .append(PageParts.a(c.wsLink("/alerts"), "Clear"))
        .append("</form>");
    b.append(table(c));
    return Layout.page(c, "Alerts", b.toString());
  }

  private static String input(PageContext c, String label, String name, String placeholder) {
    return "<label>"
        + Html.esc(label)
        + " <input name=\""
        + name
        + "\" value=\""
        + Html.esc(c.query(name).orElse(""))
        + "\" placeholder=\""
        + Html.esc(placeholder)
        + "\"></label>";
  }

  /** The history table (the fragment the first page polls). */
  static String table(PageContext c) {
    AlertPage page;
    try {
      page = c.client().alerts().history(AlertRoutes.query(c::query, PAGE, true));
    } catch (InvalidRequestException bad) {
      return "<div id=\"alert-history\"><p class=\"error\" data-field-error=\""
          + Html.esc(bad.field())
          + "\">"
          + Html.esc(bad.getMessage())
          + "</p></div>";
    }
    StringBuilder q = new StringBuilder();
    for (String f : FILTERS) {
      c.query(f).ifPresent(v -> q.append('&').append(f).append('=').append(Html.url(v)));
    }
    StringBuilder b = new StringBuilder("<div id=\"alert-history\"");
    if (c.query("before").isEmpty()) {
      b.append(" hx-get=\"")
          .append(Html.esc(c.wsLink("/alerts/history" + (q.isEmpty() ? "" : "?" + q.substring(1)))))
          .append("\" hx-trigger=\"every 5s\" hx-swap=\"outerHTML\"");
    }
    b.append(">");
    if (page.alerts().isEmpty()) {
      return b.append("<p class=\"muted\">No alerts.</p></div>").toString();
    }
    b.append("<table class=\"alerts\"><thead><tr><th>Id</th><th>Raised</th><th>Severity</th>")
        .append("<th>Alert</th><th>Rule</th><th>Deliveries</th></tr></thead><tbody>");
    for (AlertRecord a : page.alerts()) {
      row(c, b, a);
    }
    b.append("</tbody></table>");
    if (page.next() != null) {
      b.append("<p class=\"paging\">")
          .append(PageParts.a(c.wsLink("/alerts?before=" + page.next() + q), "Older alerts →"))
          .append("</p>");
    }
    return b.append("</div>").toString();
  }

  private static void row(PageContext c, StringBuilder b, AlertRecord a) {
    b.append("<tr data-alert=\"").append(a.id()).append("\"><td>").append(a.id());
    b.append("</td><td>").append(Html.esc(Html.time(a.raisedAt())));
    b.append("</td><td><span class=\"severity severity-").append(a.severity().name());
    b.append("\">").append(Html.esc(a.severity().name().toLowerCase())).append("</span>");
    b.append("</td><td><strong>").append(Html.esc(a.title())).append("</strong>");
    if (a.count() > 1) {
      b.append(" <span class=\"pill\">").append(a.count()).append(" alerts</span>");
    }
    b.append("<div class=\"muted\">").append(Html.esc(a.kind().name()));
    if (a.workflow() != null) {
      b.append(" · ").append(PageParts.workflowLink(c, a.workflow()));
    }
    if (a.runId() != null) {
      b.append(" · ").append(PageParts.runLink(c, a.runId()));
    }
    b.append("</div><div class=\"description\">").append(Html.esc(a.text())).append("</div>");
    b.append("</td><td>").append(Html.esc(a.rule())).append("</td><td>");
    for (Delivery d : a.deliveries()) {
      delivery(b, a.id(), d);
    }
    b.append("</td></tr>");
  }

  private static void delivery(StringBuilder b, long alert, Delivery d) {
    b.append("<details class=\"delivery\" data-key=\"").append(alert).append(':');
    b.append(Html.esc(d.channel())).append("\" data-channel=\"").append(Html.esc(d.channel()));
    b.append("\"><summary>").append(Html.esc(d.channel())).append(' ');
    b.append(PageParts.state(d.state())).append(" <span class=\"muted\">");
    b.append(d.attempts()).append(d.attempts() == 1 ? " attempt" : " attempts");
    Optional.ofNullable(d.nextAt())
        .ifPresent(t -> b.append(", next ").append(Html.esc(Html.time(t))));
    Optional.ofNullable(d.deliveredAt())
        .ifPresent(t -> b.append(", delivered ").append(Html.esc(Html.time(t))));
    Optional.ofNullable(d.digest()).ifPresent(id -> b.append(", in digest #").append(id));
    b.append("</span>");
    if (d.lastError() != null) {
      b.append("<div class=\"error\">").append(Html.esc(d.lastError())).append("</div>");
    }
    b.append("</summary>");
    if (d.tries().isEmpty()) {
      b.append("<p class=\"muted\">Not tried yet.</p>");
    } else {
      b.append("<table class=\"tries\"><thead><tr><th>#</th><th>Instance</th><th>Epoch</th>")
          .append("<th>Started</th><th>Ended</th><th>Outcome</th></tr></thead><tbody>");
      for (DeliveryAttempt t : d.tries()) {
        b.append("<tr><td>").append(t.attempt()).append("</td><td>");
        b.append(Html.esc(t.instance())).append("</td><td>").append(t.epoch());
        b.append("</td><td>").append(Html.esc(Html.time(t.startedAt())));
        b.append("</td><td>").append(Html.esc(Html.time(t.endedAt()))).append("</td><td>");
        b.append(
            t.ok()
                ? "<span class=\"state state-SUCCESS\">ok</span>"
                : t.error() == null
                    ? "<span class=\"muted\">sending</span>"
                    : "<span class=\"error\">" + Html.esc(t.error()) + "</span>");
        b.append("</td></tr>");
      }
      b.append("</tbody></table>");
    }
    b.append("</details>");
  }
}

package io.flinkplatform.engine.internal.console;

import io.flinkplatform.engine.access.Action;
import io.flinkplatform.engine.alert.AlertRule;
import io.flinkplatform.engine.alert.Silence;
import java.time.Instant;
import java.util.List;

/**
 * {@code /w/{ws}/alerts/silences}: the silences that hold alerts back now and those ended in the
 * last 7 days; operators end an active one, and create one for a rule (or every rule) and a
 * workflow pattern, for a preset duration, with a reason.
 */
final class AlertSilencesPage {
  /** The durations the form offers, as the API reads them, with their labels. */
  private static final String[][] PRESETS = {
    {"30m", "30 minutes"}, {"1h", "1 hour"}, {"4h", "4 hours"}, {"1d", "1 day"}, {"7d", "7 days"}
  };

  private AlertSilencesPage() {}

  static String render(PageContext c) {
    List<Silence> silences = c.client().alerts().silences();
    Instant now = c.backend().clock().instant();
    StringBuilder b = new StringBuilder(AlertsPage.tabs(c, "/silences"));
    if (silences.isEmpty()) {
      b.append("<p class=\"muted\">No silences.</p>");
    } else {
      b.append("<table class=\"silences\"><thead><tr><th>Id</th><th>Rule</th><th>Workflows</th>")
          .append("<th>Until</th><th>Reason</th><th>By</th><th>State</th><th></th></tr></thead>")
          .append("<tbody>");
      for (Silence s : silences) {
        boolean active = s.activeAt(now);
        b.append("<tr data-silence=\"").append(s.id()).append("\"><td>").append(s.id());
        b.append("</td><td>").append(Html.esc(s.rule() == null ? "every rule" : s.rule()));
        b.append("</td><td>").append(Html.esc(s.workflow() == null ? "all" : s.workflow()));
        b.append("</td><td>").append(Html.esc(Html.time(s.endsAt())));
        b.append("</td><td>").append(Html.esc(s.reason())).append("</td><td>");
        b.append(Html.esc(s.createdBy())).append(" <span class=\"muted\">");
        b.append(Html.esc(Html.time(s.createdAt()))).append("</span></td><td>");
        b.append("<span class=\"state state-").append(active ? "active\">active" : "ended\">");
        if (!active) {
          b.append(s.endedBy() == null ? "ended" : "ended by " + Html.esc(s.endedBy()));
        }
        b.append("</span></td><td>");
        if (active && c.can(Action.ALERT_SILENCE_END)) {
          b.append(
              ApiButton.of(
                  "POST",
                  c.api("/alerts/silences/" + s.id() + "/end"),
                  "End now",
                  null,
                  null,
                  null));
        }
        b.append("</td></tr>");
      }
      b.append("</tbody></table>");
    }
    if (c.can(Action.ALERT_SILENCE)) {
      b.append("<h2>Silence alerts</h2>")
          .append(ApiButton.form("POST", c.api("/alerts/silences"), "row silence-form"))
          .append("<label>Rule <select name=\"rule\"><option value=\"\">every rule</option>");
      for (AlertRule r : c.client().alerts().rules()) {
        b.append("<option value=\"").append(Html.esc(r.name())).append("\">");
        b.append(Html.esc(r.name())).append("</option>");
      }
      b.append("</select> ")
          .append(ApiButton.fieldError("rule"))
          .append("</label><label>Workflows <input name=\"workflow\" placeholder=\"all\"> ")
          .append(ApiButton.fieldError("workflow"))
          .append("</label><label>For <select name=\"duration\">");
      for (String[] p : PRESETS) {
        b.append("<option value=\"").append(p[0]).append("\"");
        b.append(p[0].equals("1h") ? " selected" : "").append(">").append(p[1]);
        b.append("</option>");
      }
      b.append("</select> ")
          .append(ApiButton.fieldError("duration"))
          .append(ApiButton.fieldError("endsAt"))
          .append("</label><label>Reason <input name=\"reason\" required maxlength=\"1000\"")
          .append(" placeholder=\"maintenance of the warehouse\"> ")
          .append(ApiButton.fieldError("reason"))
          .append("</label><button type=\"submit\" class=\"primary\">Silence</button></form>");
    }
    return Layout.page(c, "Alert silences", b.toString());
  }
}

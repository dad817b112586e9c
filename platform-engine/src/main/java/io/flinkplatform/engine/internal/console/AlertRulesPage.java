package io.flinkplatform.engine.internal.console;

import io.flinkplatform.engine.access.Action;
import io.flinkplatform.engine.alert.AlertKind;
import io.flinkplatform.engine.alert.AlertRule;
import io.flinkplatform.engine.alert.ChannelInfo;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /w/{ws}/alerts/rules}: the workspace's alert rules; editors get a form ({@code ?edit=NAME}
 * fills it with a rule) that PUTs the rule, enable/disable buttons (the rule sent back with {@code
 * enabled} flipped) and delete. Errors are shown next to the field the API names.
 */
final class AlertRulesPage {
  private AlertRulesPage() {}

  static String render(PageContext c) {
    List<AlertRule> rules = c.client().alerts().rules();
    boolean edit = c.can(Action.ALERT_RULE_SAVE);
    StringBuilder b = new StringBuilder(AlertsPage.tabs(c, "/rules"));
    if (rules.isEmpty()) {
      b.append("<p class=\"muted\">No rules yet.</p>");
    } else {
      b.append("<table class=\"rules\"><thead><tr><th>Name</th><th>Kind</th><th>Severity</th>")
          .append("<th>Channels</th><th>For</th><th>Rate limit</th><th>State</th><th></th>")
          .append("</tr></thead><tbody>");
      for (AlertRule r : rules) {
        row(c, b, r, edit);
      }
      b.append("</tbody></table>");
    }
    if (edit) {
      Optional<AlertRule> editing =
          c.query("edit").flatMap(n -> rules.stream().filter(r -> r.name().equals(n)).findFirst());
      b.append(form(c, editing));
    }
    return Layout.page(c, "Alert rules", b.toString());
  }

  private static void row(PageContext c, StringBuilder b, AlertRule r, boolean edit) {
    b.append("<tr data-rule=\"").append(Html.esc(r.name())).append("\"><td>");
    b.append(Html.esc(r.name())).append("</td><td>").append(Html.esc(r.kind().name()));
    b.append("</td><td>").append(Html.esc(r.severity().name().toLowerCase()));
    b.append("</td><td>").append(Html.esc(String.join(", ", r.channels()))).append("</td><td>");
    List<String> scope = new java.util.ArrayList<>();
    Optional.ofNullable(r.workflow()).ifPresent(w -> scope.add("workflow " + w));
    Optional.ofNullable(r.task()).ifPresent(t -> scope.add("task " + t));
    Optional.ofNullable(r.label()).ifPresent(l -> scope.add("label " + l));
    Optional.ofNullable(r.after()).ifPresent(a -> scope.add("after " + Html.duration(a)));
    Optional.ofNullable(r.deadline())
        .ifPresent(d -> scope.add("deadline " + d + " " + r.zone().getId()));
    if (r.kind() == AlertKind.FLINK_CHECKPOINTS_FAILING) {
      scope.add(r.threshold() + " failed checkpoints");
    }
    b.append(Html.esc(scope.isEmpty() ? "everything" : String.join(", ", scope)));
    b.append("</td><td>");
    b.append(Html.esc(r.rateLimit().isZero() ? "none" : Html.duration(r.rateLimit())));
    b.append("</td><td><span class=\"state state-")
        .append(r.enabled() ? "active\">enabled" : "disabled\">disabled")
        .append("</span></td><td>");
    if (edit) {
      String url = c.api("/alerts/rules/" + Html.url(r.name()));
      Map<String, Object> flipped = new LinkedHashMap<>(AlertRuleJson.write(r));
      flipped.put("enabled", !r.enabled());
      b.append(PageParts.a(c.wsLink("/alerts/rules?edit=" + Html.url(r.name())), "Edit"))
          .append(' ')
          .append(ApiButton.of("PUT", url, r.enabled() ? "Disable" : "Enable", null, flipped, null))
          .append(' ');
    }
    if (c.can(Action.ALERT_RULE_DELETE)) {
      b.append(
          ApiButton.of(
              "DELETE",
              c.api("/alerts/rules/" + Html.url(r.name())),
              "Delete",
              "Delete the rule " + r.name() + "? Its alerts stay in the history.",
              null,
              "danger"));
    }
    b.append("</td></tr>");
  }

  private static String form(PageContext c, Optional<AlertRule> editing) {
    List<String> channels = c.client().alerts().channels().stream().map(ChannelInfo::name).toList();
    Optional<Map<String, Object>> v = editing.map(AlertRuleJson::write);
    StringBuilder b = new StringBuilder("<h2>");
    b.append(editing.isPresent() ? "Edit the rule" : "A new rule").append("</h2>");
    b.append(ApiButton.form("PUT", c.api("/alerts/rules/{name}"), "trigger rule-form"));
    b.append("<label>Name <input name=\"name\" required")
        .append(editing.isPresent() ? " readonly" : "")
        .append(" pattern=\"[A-Za-z0-9][A-Za-z0-9._-]*\" value=\"")
        .append(Html.esc(value(v, "name")))
        .append("\"> ")
        .append(ApiButton.fieldError("name"))
        .append("</label>");
    List<String> kinds =
        Arrays.stream(AlertKind.values()).filter(k -> k != AlertKind.TEST).map(Enum::name).toList();
    select(b, "Kind", "kind", kinds, value(v, "kind"), false);
    List<String> severities = new java.util.ArrayList<>(List.of(""));
    Arrays.stream(io.flinkplatform.engine.alert.Severity.values())
        .forEach(x -> severities.add(x.name()));
    select(b, "Severity (any: the kind's default)", "severity", severities, value(v, "severity"));
    b.append("<label>Channels <select name=\"channels\" multiple required size=\"")
        .append(Math.max(2, Math.min(6, channels.size())))
        .append("\">");
    List<?> chosen = v.map(m -> (List<?>) m.get("channels")).orElse(List.of());
    for (String ch : channels) {
      b.append("<option value=\"").append(Html.esc(ch)).append("\"");
      b.append(chosen.contains(ch) ? " selected" : "").append(">");
      b.append(Html.esc(ch)).append("</option>");
    }
    b.append("</select> ").append(ApiButton.fieldError("channels"));
    if (channels.isEmpty()) {
      b.append(" <span class=\"muted\">Add a channel first.</span>");
    }
    b.append("</label>");
    text(b, v, "Workflows (* matches any characters)", "workflow", "daily_*");
    text(b, v, "Tasks (task kinds)", "task", "load*");
    text(b, v, "Label (task kinds)", "label", "gpu");
    text(b, v, "After (overdue and outage kinds)", "after", "30m");
    text(b, v, "Deadline (RUN_DEADLINE, TASK_DEADLINE)", "deadline", "09:30");
    text(b, v, "Zone of the deadline", "zone", "UTC");
    b.append("<label>Threshold (failed checkpoints in a row) <input type=\"number\" min=\"1\"")
        .append(" name=\"threshold\" value=\"")
        .append(Html.esc(value(v, "threshold")))
        .append("\"> ")
        .append(ApiButton.fieldError("threshold"))
        .append("</label>");
    b.append("<label>Template (empty: the kind's default; {run}, {workflow}, {task}, {state},")
        .append(" {message}, {link}…) <textarea class=\"template\" name=\"template\" rows=\"3\">")
        .append(Html.esc(value(v, "template")))
        .append("</textarea> ")
        .append(ApiButton.fieldError("template"))
        .append("</label>");
    text(b, v, "Rate limit (0: every alert; default 10m)", "rateLimit", "10m");
    select(
        b,
        "Enabled",
        "enabled",
        List.of("true", "false"),
        v.map(m -> m.get("enabled").toString()).orElse("true"),
        true);
    b.append("<button type=\"submit\" class=\"primary\">Save the rule</button></form>");
    return b.toString();
  }

  private static String value(Optional<Map<String, Object>> v, String key) {
    return v.map(m -> m.get(key)).map(Object::toString).orElse("");
  }

  private static void text(
      StringBuilder b,
      Optional<Map<String, Object>> v,
      String label,
      String name,
      String placeholder) {
    b.append("<label>")
        .append(Html.esc(label))
        .append(" <input name=\"")
        .append(name)
        .append("\" placeholder=\"")
        .append(Html.esc(placeholder))
        .append("\" value=\"")
        .append(Html.esc(value(v, name)))
        .append("\"> ")
        .append(ApiButton.fieldError(name))
        .append("</label>");
  }

  private static void select(
      StringBuilder b, String label, String name, List<String> values, String selected) {
    select(b, label, name, values, selected, false);
  }

  private static void select(
      StringBuilder b,
      String label,
      String name,
      List<String> values,
      String selected,
      boolean bool) {
    b.append("<label>")
        .append(Html.esc(label))
        .append(" <select name=\"")
        .append(name)
        .append("\"")
        .append(bool ? " data-type=\"bool\"" : "")
        .append(">")
        .append(PageParts.options(values, selected))
        .append("</select> ")
        .append(ApiButton.fieldError(name))
        .append("</label>");
  }
}

package io.flinkplatform.engine.internal.console;

import io.flinkplatform.engine.access.Action;
import io.flinkplatform.engine.alert.ChannelInfo;
import io.flinkplatform.engine.alert.ChannelType;
import io.flinkplatform.spi.OptionType;
import io.flinkplatform.spi.TaskOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /w/{ws}/alerts/channels}: the workspace's channels with their options (secret ones only
 * ever as the mask), a "send test" button and delete for editors, and a form per channel type built
 * from the type's options ({@code ?edit=NAME} fills the form of its type). A secret field is always
 * empty: left empty it keeps the stored secret.
 */
final class AlertChannelsPage {
  private AlertChannelsPage() {}

  static String render(PageContext c) {
    List<ChannelType> types = c.client().alerts().channelTypes();
    List<ChannelInfo> channels = c.client().alerts().channels();
    StringBuilder b = new StringBuilder(AlertsPage.tabs(c, "/channels"));
    if (channels.isEmpty()) {
      b.append("<p class=\"muted\">No channels yet.</p>");
    } else {
      b.append("<table class=\"channels\"><thead><tr><th>Name</th><th>Type</th><th>Options</th>")
          .append("<th>Updated</th><th></th></tr></thead><tbody>");
      for (ChannelInfo ch : channels) {
        row(c, b, ch, type(types, ch.type()));
      }
      b.append("</tbody></table>");
    }
    if (c.can(Action.ALERT_CHANNEL_SAVE)) {
      Optional<ChannelInfo> editing =
          c.query("edit")
              .flatMap(n -> channels.stream().filter(ch -> ch.name().equals(n)).findFirst());
      b.append("<h2>")
          .append(editing.isPresent() ? "Edit the channel" : "A new channel")
          .append("</h2>");
      if (types.isEmpty()) {
        b.append("<p class=\"muted\">This platform knows no channel types.</p>");
      }
      for (ChannelType t : types) {
        b.append(form(c, t, editing.filter(ch -> ch.type().equals(t.type()))));
      }
    }
    return Layout.page(c, "Alert channels", b.toString());
  }

  private static Optional<ChannelType> type(List<ChannelType> types, String type) {
    return types.stream().filter(t -> t.type().equals(type)).findFirst();
  }

  private static void row(PageContext c, StringBuilder b, ChannelInfo ch, Optional<ChannelType> t) {
    b.append("<tr data-channel=\"").append(Html.esc(ch.name())).append("\"><td>");
    b.append(Html.esc(ch.name())).append("</td><td>").append(Html.esc(ch.type()));
    b.append("</td><td><dl class=\"facts\">");
    for (Map.Entry<String, Object> o : new java.util.TreeMap<>(ch.options()).entrySet()) {
      TaskOption option =
          t.flatMap(
                  type ->
                      type.options().stream().filter(x -> x.name().equals(o.getKey())).findFirst())
              .orElse(null);
      b.append("<dt>").append(Html.esc(o.getKey())).append("</dt><dd>");
      b.append(Html.esc(shown(option, o.getValue()))).append("</dd>");
    }
    b.append("</dl></td><td>").append(Html.esc(Html.time(ch.updatedAt())));
    b.append(" <span class=\"muted\">").append(Html.esc(ch.updatedBy())).append("</span>");
    b.append("</td><td>");
    String url = c.api("/alerts/channels/" + Html.url(ch.name()));
    if (c.can(Action.ALERT_CHANNEL_SAVE)) {
      b.append(PageParts.a(c.wsLink("/alerts/channels?edit=" + Html.url(ch.name())), "Edit"))
          .append(' ');
    }
    if (c.can(Action.ALERT_TEST)) {
      b.append(
              "<button type=\"button\" data-api=\""
                  + Html.esc("POST " + url + "/test")
                  + "\" data-then=\"flash\">Send test</button>")
          .append(' ');
    }
    if (c.can(Action.ALERT_CHANNEL_DELETE)) {
      b.append(
          ApiButton.of(
              "DELETE", url, "Delete", "Delete the channel " + ch.name() + "?", null, "danger"));
    }
    b.append("</td></tr>");
  }

  private static String form(PageContext c, ChannelType t, Optional<ChannelInfo> editing) {
    StringBuilder b = new StringBuilder("<details class=\"channel-type\" data-type=\"");
    b.append(Html.esc(t.type())).append("\"").append(editing.isPresent() ? " open" : "");
    b.append("><summary><strong>").append(Html.esc(t.type())).append("</strong> <span");
    b.append(" class=\"muted\">").append(Html.esc(t.description())).append("</span></summary>");
    b.append(ApiButton.form("PUT", c.api("/alerts/channels/{name}"), "trigger channel-form"));
    b.append("<input type=\"hidden\" name=\"type\" value=\"").append(Html.esc(t.type()));
    b.append("\"><label>Name <input name=\"name\" required")
        .append(editing.isPresent() ? " readonly" : "")
        .append(" pattern=\"[A-Za-z0-9][A-Za-z0-9._-]*\" value=\"")
        .append(Html.esc(editing.map(ChannelInfo::name).orElse("")))
        .append("\"> ")
        .append(ApiButton.fieldError("name"))
        .append("</label>");
    for (TaskOption o : t.options()) {
      Object current = editing.map(ch -> ch.options().get(o.name())).orElse(null);
      option(b, o, current);
    }
    b.append(ApiButton.fieldError("type")).append(ApiButton.fieldError("options"));
    b.append("<button type=\"submit\" class=\"primary\">Save the channel</button></form>");
    return b.append("</details>").toString();
  }

  private static void option(StringBuilder b, TaskOption o, Object current) {
    String name = "option." + o.name();
    b.append("<label>").append(Html.esc(o.name()));
    b.append(o.required() ? " *" : "").append(" <span class=\"muted\">");
    b.append(Html.esc(o.description())).append("</span> ");
    if (!o.allowedValues().isEmpty() || o.type() == OptionType.BOOLEAN) {
      List<String> values =
          o.type() == OptionType.BOOLEAN ? List.of("true", "false") : o.allowedValues();
      String selected = current == null ? String.valueOf(o.defaultValue()) : current.toString();
      b.append("<select name=\"").append(Html.esc(name)).append("\"");
      b.append(o.type() == OptionType.BOOLEAN ? " data-type=\"bool\">" : ">");
      b.append(o.required() ? "" : "<option value=\"\">default</option>");
      b.append(PageParts.options(values, selected)).append("</select>");
    } else {
      b.append("<input name=\"").append(Html.esc(name)).append("\"");
      if (o.secret()) {
        // never filled: empty keeps the stored secret
        b.append(" type=\"password\" autocomplete=\"new-password\" placeholder=\"")
            .append(current == null ? "secret" : "empty = keep the stored secret")
            .append("\"");
      } else {
        switch (o.type()) {
          case INT, LONG -> b.append(" type=\"number\"");
          case STRING_LIST -> b.append(" data-type=\"list\"");
          case STRING_MAP -> b.append(" data-type=\"json\"");
          default -> {}
        }
        String shown = current == null ? "" : shown(o, current);
        if (o.type() == OptionType.STRING_LIST && current instanceof List<?> l) {
          shown = String.join(", ", l.stream().map(String::valueOf).toList());
        }
        b.append(" value=\"").append(Html.esc(shown)).append("\"");
        if (o.defaultValue() != null) {
          b.append(" placeholder=\"").append(Html.esc(o.defaultValue())).append("\"");
        }
      }
      b.append(o.required() && !o.secret() ? " required" : "").append(">");
    }
    b.append(' ')
        .append(ApiButton.fieldError(o.name()))
        .append(ApiButton.fieldError("options." + o.name()))
        .append("</label>");
  }

  /** What a page shows of an option's value: masked for a secret, else its JSON or text. */
  private static String shown(TaskOption option, Object value) {
    if (value == null) {
      return "";
    }
    if (option != null && option.secret()) {
      return ChannelInfo.MASK;
    }
    return value instanceof String s ? s : ConsoleJson.tree(value).toString();
  }
}

package io.flinkplatform.engine.internal.console;

import com.fasterxml.jackson.databind.JsonNode;
import io.flinkplatform.engine.InvalidRequestException;
import io.flinkplatform.engine.alert.AlertKind;
import io.flinkplatform.engine.alert.AlertRule;
import io.flinkplatform.engine.alert.Severity;
import io.flinkplatform.spi.OptionType;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An {@link AlertRule} as the REST API reads and writes it: durations as ISO-8601 ({@code PT5M}) or
 * {@code 30s}/{@code 5m}/{@code 2h}/{@code 1d}, the deadline as {@code HH:mm}, the zone as an id;
 * what a GET answers can be edited and sent back. The rule's own checks (channels that exist, the
 * fields its kind needs) are the client's, which names the field too.
 */
final class AlertRuleJson {
  static final String BODY =
      "{\"kind\": "
          + Fields.choices(AlertKind.class)
          + " (required), \"severity\": "
          + Fields.choices(Severity.class)
          + " (default by kind), \"channels\": [channel names] (required), \"workflow\","
          + " \"task\", \"label\": filters (* matches any characters), \"after\": duration (30s,"
          + " 5m, PT1H), \"deadline\": HH:mm, \"zone\": time zone id (default UTC),"
          + " \"threshold\": n, \"template\": text with {fact} placeholders, \"rateLimit\":"
          + " duration (default 10m, 0 sends every alert), \"enabled\": boolean (default true)}";

  private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm");
  private static final List<String> FIELDS =
      List.of(
          "name",
          "kind",
          "severity",
          "channels",
          "workflow",
          "task",
          "label",
          "after",
          "deadline",
          "zone",
          "threshold",
          "template",
          "rateLimit",
          "enabled");

  private AlertRuleJson() {}

  /** The rule named {@code name} (the path's) from a body of {@link #BODY}'s shape. */
  static AlertRule read(String name, JsonNode b) {
    AlertRoutes.unknown(b, FIELDS.toArray(String[]::new));
    Fields.text(b, "name", false)
        .filter(n -> !n.equals(name))
        .ifPresent(
            n -> {
              throw new InvalidRequestException(
                  "name", "name must be the path's rule name " + name + ", not " + n);
            });
    AlertKind kind = Fields.constant(b, "kind", AlertKind.class, true).get();
    AlertRule.Builder r = AlertRule.on(name, kind).channels(channels(b).toArray(String[]::new));
    Fields.constant(b, "severity", Severity.class, false).ifPresent(r::severity);
    Fields.text(b, "workflow", false).ifPresent(r::workflow);
    Fields.text(b, "task", false).ifPresent(r::task);
    Fields.text(b, "label", false).ifPresent(r::label);
    Fields.text(b, "after", false).map(AlertRuleJson::afterDuration).ifPresent(r::after);
    LocalTime deadline = Fields.text(b, "deadline", false).map(AlertRuleJson::time).orElse(null);
    r.deadline(deadline, Fields.zone(b, "zone", false).orElse(null));
    Fields.integer(b, "threshold", 1, 1_000_000, false).ifPresent(r::threshold);
    Fields.text(b, "template", false).ifPresent(r::template);
    Fields.text(b, "rateLimit", false).map(s -> within("rateLimit", s)).ifPresent(r::rateLimit);
    if (b.hasNonNull("enabled")) {
      r.enabled(Fields.bool(b, "enabled"));
    }
    return r.build();
  }

  /** A rule as JSON; absent fields are left out. */
  static Map<String, Object> write(AlertRule r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", r.name());
    m.put("kind", r.kind().name());
    m.put("severity", r.severity().name());
    m.put("channels", r.channels());
    put(m, "workflow", r.workflow());
    put(m, "task", r.task());
    put(m, "label", r.label());
    put(m, "after", r.after() == null ? null : r.after().toString());
    put(m, "deadline", r.deadline() == null ? null : HH_MM.format(r.deadline()));
    m.put("zone", r.zone().getId());
    m.put("threshold", r.threshold());
    put(m, "template", r.template());
    m.put("rateLimit", r.rateLimit().toString());
    m.put("enabled", r.enabled());
    return m;
  }

  private static void put(Map<String, Object> m, String key, Object value) {
    if (value != null) {
      m.put(key, value);
    }
  }

  private static List<String> channels(JsonNode b) {
    JsonNode n = b.get("channels");
    if (n == null || n.isNull() || n.isArray() && n.isEmpty()) {
      throw new InvalidRequestException("channels", "channels is required: at least one channel");
    }
    List<String> names = new ArrayList<>();
    if (n.isArray()) {
      for (JsonNode e : n) {
        if (!e.isTextual() || e.asText().isBlank()) {
          throw new InvalidRequestException(
              "channels", "channels must be a list of channel names, not " + n);
        }
        names.add(e.asText());
      }
      return names;
    }
    throw new InvalidRequestException(
        "channels", "channels must be a list of channel names, not " + n);
  }

  /** A duration such as {@code 30s}, {@code 5m}, {@code PT1H}; errors name {@code duration}. */
  static Duration duration(String text) {
    return within("duration", text);
  }

  private static Duration afterDuration(String text) {
    return within("after", text);
  }

  private static Duration within(String field, String text) {
    try {
      return OptionType.parseDuration(text);
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException(
          field, field + " must be a duration such as 30s, 5m, 2h, 1d or PT5M, not " + text);
    }
  }

  private static LocalTime time(String text) {
    try {
      return LocalTime.parse(text.trim());
    } catch (DateTimeParseException e) {
      throw new InvalidRequestException(
          "deadline", "deadline must be a time of day HH:mm such as 09:30, not " + text);
    }
  }
}

package io.flinkplatform.engine.internal.alert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.flinkplatform.engine.alert.AlertRule;

/**
 * An {@link AlertRule} as the JSON stored in {@code t_alert_rule.spec} (durations ISO-8601, the
 * deadline {@code HH:mm[:ss]}, the zone its id); unknown fields are ignored so that an older
 * instance reads a newer rule.
 */
public final class RuleJson {
  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private RuleJson() {}

  public static String write(AlertRule rule) {
    try {
      return MAPPER.writeValueAsString(rule);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write the rule: " + e.getOriginalMessage(), e);
    }
  }

  public static AlertRule read(String json) {
    try {
      return MAPPER.readValue(json, AlertRule.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(
          "stored alert rule is not readable: " + e.getOriginalMessage(), e);
    }
  }
}

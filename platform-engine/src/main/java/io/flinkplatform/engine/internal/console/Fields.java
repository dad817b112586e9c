package io.flinkplatform.engine.internal.console;

import com.fasterxml.jackson.databind.JsonNode;
import io.flinkplatform.engine.InvalidRequestException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Typed fields of a JSON body or a query: each bad value is an {@link InvalidRequestException}
 * naming the field and what it allows (an enum's constants, a number's range, the ISO form of a
 * time), so that a page shows the error next to its field.
 */
final class Fields {
  private Fields() {}

  private static boolean absent(JsonNode n) {
    return n == null || n.isNull() || n.isTextual() && n.asText().isBlank();
  }

  private static JsonNode required(JsonNode body, String field) {
    JsonNode n = body.get(field);
    if (absent(n)) {
      throw new InvalidRequestException(field, field + " is required");
    }
    return n;
  }

  /** A text field; {@code required} ones must be present and non-blank. */
  static Optional<String> text(JsonNode body, String field, boolean required) {
    JsonNode n = required ? required(body, field) : body.get(field);
    if (absent(n)) {
      return Optional.empty();
    }
    if (!n.isTextual()) {
      throw new InvalidRequestException(field, field + " must be a string");
    }
    return Optional.of(n.asText());
  }

  /** A whole number in {@code [min, max]}. */
  static Optional<Integer> integer(
      JsonNode body, String field, int min, int max, boolean required) {
    JsonNode n = required ? required(body, field) : body.get(field);
    if (absent(n)) {
      return Optional.empty();
    }
    if (n.canConvertToInt() && n.isIntegralNumber() && n.asInt() >= min && n.asInt() <= max) {
      return Optional.of(n.asInt());
    }
    throw new InvalidRequestException(
        field, field + " must be a whole number from " + min + " to " + max + ", not " + n);
  }

  /** {@code true} or {@code false}. */
  static boolean bool(JsonNode body, String field) {
    JsonNode n = required(body, field);
    if (!n.isBoolean()) {
      throw new InvalidRequestException(field, field + " must be true or false, not " + n);
    }
    return n.asBoolean();
  }

  /** One constant of {@code type}, by name; the error lists them all. */
  static <E extends Enum<E>> Optional<E> constant(
      JsonNode body, String field, Class<E> type, boolean required) {
    Optional<String> v = text(body, field, required);
    return v.map(s -> constant(field, s, type));
  }

  /** {@code value} as a constant of {@code type}; the error names {@code field} and the choices. */
  static <E extends Enum<E>> E constant(String field, String value, Class<E> type) {
    for (E e : type.getEnumConstants()) {
      if (e.name().equalsIgnoreCase(value.trim())) {
        return e;
      }
    }
    throw new InvalidRequestException(
        field, field + " must be one of " + choices(type) + ", not " + value);
  }

  /** The names of {@code type}'s constants, comma-separated. */
  static String choices(Class<? extends Enum<?>> type) {
    return Arrays.stream(type.getEnumConstants()).map(Enum::name).collect(Collectors.joining(", "));
  }

  /** An ISO-8601 instant such as {@code 2026-01-31T00:00:00Z}. */
  static Optional<Instant> instant(JsonNode body, String field, boolean required) {
    return text(body, field, required).map(s -> instant(field, s));
  }

  static Instant instant(String field, String value) {
    try {
      return Instant.parse(value.trim());
    } catch (DateTimeParseException e) {
      throw new InvalidRequestException(
          field, field + " must be an ISO-8601 instant such as 2026-01-31T00:00:00Z, not " + value);
    }
  }

  /** An ISO-8601 duration such as {@code PT1M}. */
  static Optional<Duration> duration(JsonNode body, String field, boolean required) {
    return text(body, field, required)
        .map(
            s -> {
              try {
                return Duration.parse(s.trim());
              } catch (DateTimeParseException e) {
                throw new InvalidRequestException(
                    field, field + " must be an ISO-8601 duration such as PT1M, not " + s);
              }
            });
  }

  /** A time zone id such as {@code Europe/Berlin} or {@code UTC}. */
  static Optional<ZoneId> zone(JsonNode body, String field, boolean required) {
    return text(body, field, required)
        .map(
            s -> {
              try {
                return ZoneId.of(s.trim());
              } catch (DateTimeException e) {
                throw new InvalidRequestException(
                    field,
                    field + " must be a time zone id such as UTC or Europe/Berlin, not " + s);
              }
            });
  }

  /** An object of names to strings (numbers and booleans are taken as their text). */
  static Map<String, String> strings(JsonNode body, String field) {
    JsonNode n = body.get(field);
    Map<String, String> out = new LinkedHashMap<>();
    if (n == null || n.isNull()) {
      return out;
    }
    if (!n.isObject()) {
      throw new InvalidRequestException(field, field + " must be an object of names to strings");
    }
    n.fields()
        .forEachRemaining(
            e -> {
              if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                throw new InvalidRequestException(
                    field, field + "." + e.getKey() + " must be a string");
              }
              out.put(e.getKey(), e.getValue().asText());
            });
    return out;
  }

  /** An object field; an empty object when absent. */
  static JsonNode object(JsonNode body, String field) {
    JsonNode n = body.get(field);
    if (n == null || n.isNull()) {
      return ConsoleJson.MAPPER.createObjectNode();
    }
    if (!n.isObject()) {
      throw new InvalidRequestException(field, field + " must be an object");
    }
    return n;
  }

  /** {@code read} of a nested object's field, its errors naming {@code parent.field}. */
  static <T> T within(String parent, java.util.function.Supplier<T> read) {
    try {
      return read.get();
    } catch (InvalidRequestException e) {
      String field = parent + "." + e.field();
      String message = e.getMessage().substring(e.field().length() + 2);
      throw new InvalidRequestException(field, parent + "." + message, e);
    }
  }

  /** A query parameter that must be an ISO-8601 instant. */
  static Optional<Instant> instantQuery(Call c, String name) {
    return c.query(name).map(s -> instant(name, s));
  }

  /** A query parameter that must be a positive whole number. */
  static Optional<Long> idQuery(Call c, String name) {
    return c.query(name)
        .map(
            s -> {
              try {
                long v = Long.parseLong(s.trim());
                if (v > 0) {
                  return v;
                }
              } catch (NumberFormatException e) {
                // the same error below
              }
              throw new InvalidRequestException(
                  name, name + " must be a positive whole number, not " + s);
            });
  }
}

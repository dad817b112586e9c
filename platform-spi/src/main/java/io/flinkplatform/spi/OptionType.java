package io.flinkplatform.spi;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/** The value types a task option can have, with how JSON-like values are converted to them. */
public enum OptionType {
  STRING,
  INT,
  LONG,
  BOOLEAN,
  /**
   * ISO-8601 ({@code PT30S}) or a number with a unit: {@code 500ms}, {@code 30s}, {@code 5m},
   * {@code 2h}.
   */
  DURATION,
  /** A list of strings. */
  STRING_LIST,
  /** A map of strings to strings. */
  STRING_MAP;

  /**
   * Converts a raw value (String, Number, Boolean, List or Map, as read from JSON) to this type.
   *
   * @throws IllegalArgumentException naming the expected form, if the value does not fit
   */
  public Object convert(Object raw) {
    switch (this) {
      case STRING:
        if (raw instanceof String || raw instanceof Number || raw instanceof Boolean) {
          return raw.toString();
        }
        throw mismatch(raw, "a string");
      case INT:
        return Math.toIntExact(toLong(raw, "an integer"));
      case LONG:
        return toLong(raw, "an integer");
      case BOOLEAN:
        if (raw instanceof Boolean b) {
          return b;
        }
        if (raw instanceof String s
            && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
          return Boolean.parseBoolean(s);
        }
        throw mismatch(raw, "true or false");
      case DURATION:
        return toDuration(raw);
      case STRING_LIST:
        if (raw instanceof List<?> list) {
          return list.stream().map(v -> (String) STRING.convert(v)).toList();
        }
        throw mismatch(raw, "a list of strings");
      case STRING_MAP:
        if (raw instanceof Map<?, ?> map) {
          java.util.LinkedHashMap<String, String> out = new java.util.LinkedHashMap<>();
          map.forEach((k, v) -> out.put(String.valueOf(k), (String) STRING.convert(v)));
          return java.util.Collections.unmodifiableMap(out);
        }
        throw mismatch(raw, "an object of strings");
      default:
        throw new AssertionError(this);
    }
  }

  private static long toLong(Object raw, String expected) {
    if (raw instanceof Integer || raw instanceof Long || raw instanceof Short) {
      return ((Number) raw).longValue();
    }
    if (raw instanceof String s) {
      try {
        return Long.parseLong(s.trim());
      } catch (NumberFormatException e) {
        throw mismatch(raw, expected);
      }
    }
    throw mismatch(raw, expected);
  }

  /** Parses {@code PT30S}, {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d}. */
  public static Duration parseDuration(String text) {
    String s = text.trim().toLowerCase(java.util.Locale.ROOT);
    try {
      if (s.startsWith("pt") || s.startsWith("p")) {
        return Duration.parse(text.trim());
      }
      if (s.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2).trim()));
      }
      long n = Long.parseLong(s.substring(0, s.length() - 1).trim());
      switch (s.charAt(s.length() - 1)) {
        case 's':
          return Duration.ofSeconds(n);
        case 'm':
          return Duration.ofMinutes(n);
        case 'h':
          return Duration.ofHours(n);
        case 'd':
          return Duration.ofDays(n);
        default:
          break;
      }
    } catch (NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException e) {
      // fall through to the error below
    }
    throw new IllegalArgumentException(
        "'" + text + "' is not a duration; use e.g. PT30S, 500ms, 30s, 5m, 2h or 1d");
  }

  private static Duration toDuration(Object raw) {
    if (raw instanceof Duration d) {
      return d;
    }
    if (raw instanceof String s) {
      return parseDuration(s);
    }
    throw mismatch(raw, "a duration such as 30s or PT30S");
  }

  private static IllegalArgumentException mismatch(Object raw, String expected) {
    String shown = raw == null ? "null" : raw.getClass().getSimpleName() + " '" + raw + "'";
    return new IllegalArgumentException("expected " + expected + " but got " + shown);
  }
}

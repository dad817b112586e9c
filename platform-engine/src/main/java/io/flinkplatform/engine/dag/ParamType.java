package io.flinkplatform.engine.dag;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flinkplatform.engine.InvalidRequestException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * The type of a workflow parameter. Values still travel as strings (tasks receive them as
 * environment variables, bind values, ...); the type says which strings are allowed, and is checked
 * when the workflow is deployed (its defaults) and when a run, schedule or backfill overrides it. A
 * parameter declared without a type is a {@link #STRING}. The value is checked exactly as tasks
 * receive it: whitespace around a number, date or boolean makes it invalid.
 */
public enum ParamType {
  /** Any text. */
  STRING("any text"),
  /** A 32-bit integer. */
  INTEGER("a 32-bit integer, e.g. 42"),
  /** A 64-bit integer. */
  LONG("a 64-bit integer, e.g. 9000000000"),
  /** A finite decimal number. */
  DOUBLE("a finite number, e.g. 0.25 or 1e-3"),
  /** {@code true} or {@code false}, in any case. */
  BOOLEAN("true or false"),
  /** An ISO date. */
  DATE("an ISO date yyyy-MM-dd, e.g. 2026-03-15"),
  /** An ISO-8601 date-time with an offset. */
  DATETIME("an ISO-8601 date-time with offset, e.g. 2026-03-15T02:30:00Z"),
  /** Any JSON document (object, array, string, number, boolean or null). */
  JSON("a JSON document, e.g. {\"limit\": 10}");

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final java.util.regex.Pattern DECIMAL =
      java.util.regex.Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
  private final String allowed;

  ParamType(String allowed) {
    this.allowed = allowed;
  }

  /** What values of this type look like, for error messages and docs. */
  public String allowed() {
    return allowed;
  }

  /**
   * The value as a Java object: String, Integer, Long, Double, Boolean, LocalDate, OffsetDateTime,
   * or for JSON the parsed document (Map, List, String, Number, Boolean or null).
   *
   * @throws IllegalArgumentException if the value is not of this type
   */
  public Object parse(String value) {
    requireNonNull(value, "value is null");
    try {
      return switch (this) {
        case STRING -> value;
        case INTEGER -> Integer.valueOf(value);
        case LONG -> Long.valueOf(value);
        case DOUBLE -> {
          // Double.parseDouble itself trims and takes hex and 'd'/'f' suffixes: check the text
          if (!DECIMAL.matcher(value).matches()) {
            throw new NumberFormatException("not a decimal number");
          }
          double d = Double.parseDouble(value);
          if (!Double.isFinite(d)) {
            throw new IllegalArgumentException("not finite");
          }
          yield d;
        }
        case BOOLEAN -> {
          String v = value.toLowerCase(Locale.ROOT);
          if (!v.equals("true") && !v.equals("false")) {
            throw new IllegalArgumentException("not a boolean");
          }
          yield Boolean.valueOf(v);
        }
        case DATE -> LocalDate.parse(value);
        case DATETIME -> OffsetDateTime.parse(value);
        case JSON -> MAPPER.readValue(value, Object.class);
      };
    } catch (NumberFormatException | DateTimeParseException | JsonProcessingException e) {
      throw new IllegalArgumentException(
          "'" + value + "' is not " + name() + " (" + allowed + ")", e);
    }
  }

  /** Whether {@code value} is of this type. */
  public boolean accepts(String value) {
    try {
      parse(value);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * Checks one value of parameter {@code name}.
   *
   * @throws InvalidRequestException with the field {@code parameters.<name>}, naming the value and
   *     the type
   */
  public void check(String name, String value) {
    if (!accepts(value)) {
      throw new InvalidRequestException(
          "parameters." + name,
          "parameter '"
              + name
              + "' is declared "
              + name()
              + " but the value '"
              + value
              + "' is not "
              + allowed);
    }
  }
}

package io.flinkplatform.engine.dag;

import static java.util.Objects.requireNonNull;

import io.flinkplatform.engine.InvalidRequestException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Date macros in parameter values, always anchored to the run's logical date (never the wall
 * clock), read in the run's time zone (parameter {@value #TIMEZONE}, default UTC).
 *
 * <pre>
 * ${date}                         2026-03-15            the logical date, yyyy-MM-dd
 * ${date:yyyyMMdd}                20260315              any java.time pattern after ':'
 * ${date-1d:yyyyMMdd}             20260314              offsets: s m h d w M y, added in order
 * ${date+1h-30m:yyyy-MM-dd HH:mm} 2026-03-15 00:30
 * ${month_start:yyyy-MM-dd}       2026-03-01            offsets first, then the anchor snaps:
 * ${month_end-1M:yyyy-MM-dd}      2026-02-28            last day of the previous month
 * ${week_start}  ${week_end}      Monday / Sunday of the week
 * ${year_start}                   2026-01-01
 * $${date}                        ${date}               '$$' escapes a macro
 * </pre>
 */
public final class DateMacros {
  /** The parameter naming the zone macros are read in, e.g. {@code Europe/Berlin}. */
  public static final String TIMEZONE = "timezone";

  /** The anchors a macro may start with. */
  public static final List<String> ANCHORS =
      List.of("date", "month_start", "month_end", "week_start", "week_end", "year_start");

  private static final Pattern ANY = Pattern.compile("\\$?\\$\\{([^}]*)}");
  private static final Pattern MACRO =
      Pattern.compile("([a-z_]+)((?:[+-]\\d+[smhdwMy])*)(?::(.+))?");
  private static final Pattern OFFSET = Pattern.compile("([+-]\\d+)([smhdwMy])");

  private DateMacros() {}

  /**
   * Renders every macro in {@code value}.
   *
   * @throws InvalidRequestException naming {@code field} if a macro is malformed
   */
  public static String render(String field, String value, Instant logicalDate, ZoneId zone) {
    requireNonNull(value, "value is null");
    if (value.indexOf("${") < 0) {
      return value;
    }
    Matcher m = ANY.matcher(value);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String replacement;
      if (m.group().startsWith("$$")) {
        replacement = m.group().substring(1);
      } else {
        replacement = macro(field, m.group(1), logicalDate, zone);
      }
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static String macro(String field, String body, Instant logicalDate, ZoneId zone) {
    Matcher m = MACRO.matcher(body);
    if (!m.matches() || !ANCHORS.contains(m.group(1))) {
      throw new InvalidRequestException(
          field,
          "'${"
              + body
              + "}' is not a date macro; it starts with one of "
              + ANCHORS
              + ", then offsets like -1d or +2h (units s m h d w M y), then ':pattern'"
              + " (write $${...} for a literal)");
    }
    ZonedDateTime t;
    try {
      t = anchor(m.group(1), shift(logicalDate.atZone(zone), m.group(2)));
    } catch (ArithmeticException | java.time.DateTimeException e) {
      throw new InvalidRequestException(
          field,
          "'${"
              + body
              + "}' moves the date out of range (years "
              + java.time.Year.MIN_VALUE
              + " to "
              + java.time.Year.MAX_VALUE
              + "): "
              + e.getMessage());
    } catch (NumberFormatException e) {
      throw new InvalidRequestException(
          field, "'${" + body + "}' has an offset that is not a 64-bit number");
    }
    String pattern = m.group(3) == null ? "yyyy-MM-dd" : m.group(3);
    try {
      return DateTimeFormatter.ofPattern(pattern).format(t);
    } catch (IllegalArgumentException | java.time.DateTimeException e) {
      throw new InvalidRequestException(
          field, "'" + pattern + "' in '${" + body + "}' is not a date pattern: " + e.getMessage());
    }
  }

  private static ZonedDateTime shift(ZonedDateTime t, String offsets) {
    Matcher o = OFFSET.matcher(offsets);
    while (o.find()) {
      long n = Long.parseLong(o.group(1));
      t =
          switch (o.group(2)) {
            case "s" -> t.plusSeconds(n);
            case "m" -> t.plusMinutes(n);
            case "h" -> t.plusHours(n);
            case "d" -> t.plusDays(n);
            case "w" -> t.plusWeeks(n);
            case "M" -> t.plusMonths(n);
            case "y" -> t.plusYears(n);
            default -> throw new AssertionError(o.group(2));
          };
    }
    return t;
  }

  private static ZonedDateTime anchor(String anchor, ZonedDateTime t) {
    return switch (anchor) {
      case "month_start" ->
          t.with(TemporalAdjusters.firstDayOfMonth()).truncatedTo(ChronoUnit.DAYS);
      case "month_end" -> t.with(TemporalAdjusters.lastDayOfMonth()).truncatedTo(ChronoUnit.DAYS);
      case "week_start" ->
          t.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).truncatedTo(ChronoUnit.DAYS);
      case "week_end" ->
          t.with(TemporalAdjusters.nextOrSame(DayOfWeek.SUNDAY)).truncatedTo(ChronoUnit.DAYS);
      case "year_start" -> t.with(TemporalAdjusters.firstDayOfYear()).truncatedTo(ChronoUnit.DAYS);
      default -> t;
    };
  }

  /** The zone named by the {@value #TIMEZONE} parameter, UTC if absent. */
  public static ZoneId zone(java.util.Map<String, String> parameters) {
    String z = parameters.get(TIMEZONE);
    if (z == null || z.isBlank()) {
      return ZoneId.of("UTC");
    }
    try {
      return ZoneId.of(z);
    } catch (java.time.DateTimeException e) {
      throw new InvalidRequestException(
          TIMEZONE, "'" + z + "' is not a time zone id (e.g. UTC, Europe/Berlin)");
    }
  }
}

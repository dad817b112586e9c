package io.flinkplatform.tasks.logic;

import static java.util.Objects.requireNonNull;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A logical-date window relative to a run's logical date, read in a time zone: {@code same_hour},
 * {@code same_day}, {@code same_week} (ISO, from Monday), {@code same_month}, {@code
 * previous_hour}, {@code previous_day}, {@code previous_week}, {@code previous_month}, {@code
 * last_<n>_hours} and {@code last_<n>_days} (the {@code n} hours or days before the logical date,
 * not including it). Every window is half-open: {@code [from, to)}.
 */
record Window(String name, Unit unit, int offset, int lastCount) {
  /** The names accepted, for error messages. */
  static final List<String> NAMES =
      List.of(
          "same_hour",
          "same_day",
          "same_week",
          "same_month",
          "previous_hour",
          "previous_day",
          "previous_week",
          "previous_month",
          "last_<n>_hours",
          "last_<n>_days");

  private static final Pattern LAST = Pattern.compile("last_(\\d{1,4})_(hours|days)");

  enum Unit {
    HOUR,
    DAY,
    WEEK,
    MONTH,
    LAST_HOURS,
    LAST_DAYS
  }

  Window {
    requireNonNull(name, "name is null");
    requireNonNull(unit, "unit is null");
  }

  /**
   * Parses a window name.
   *
   * @throws IllegalArgumentException listing the accepted names
   */
  static Window parse(String text) {
    String s = text.trim().toLowerCase(java.util.Locale.ROOT);
    Matcher last = LAST.matcher(s);
    if (last.matches()) {
      int n = Integer.parseInt(last.group(1));
      if (n < 1) {
        throw new IllegalArgumentException("window '" + text + "' must count at least 1");
      }
      return new Window(s, last.group(2).equals("hours") ? Unit.LAST_HOURS : Unit.LAST_DAYS, 0, n);
    }
    int dash = s.indexOf('_');
    if (dash > 0) {
      String when = s.substring(0, dash);
      String unit = s.substring(dash + 1);
      int offset = when.equals("same") ? 0 : when.equals("previous") ? -1 : 1;
      Unit u =
          switch (unit) {
            case "hour" -> Unit.HOUR;
            case "day" -> Unit.DAY;
            case "week" -> Unit.WEEK;
            case "month" -> Unit.MONTH;
            default -> null;
          };
      if (offset != 1 && u != null) {
        return new Window(s, u, offset, 0);
      }
    }
    throw new IllegalArgumentException(
        "window '" + text + "' is not one of " + NAMES + " (e.g. last_6_hours)");
  }

  /** The window's start (inclusive) for a run of this logical date. */
  Instant from(Instant logicalDate, ZoneId zone) {
    return range(logicalDate, zone)[0];
  }

  /** The window's end (exclusive) for a run of this logical date. */
  Instant to(Instant logicalDate, ZoneId zone) {
    return range(logicalDate, zone)[1];
  }

  private Instant[] range(Instant logicalDate, ZoneId zone) {
    ZonedDateTime at = logicalDate.atZone(zone);
    switch (unit) {
      case LAST_HOURS:
        return new Instant[] {logicalDate.minus(Duration.ofHours(lastCount)), logicalDate};
      case LAST_DAYS:
        return new Instant[] {at.minusDays(lastCount).toInstant(), logicalDate};
      case HOUR:
        {
          ZonedDateTime start = at.truncatedTo(ChronoUnit.HOURS).plusHours(offset);
          return new Instant[] {start.toInstant(), start.plusHours(1).toInstant()};
        }
      case DAY:
        {
          ZonedDateTime start = at.toLocalDate().plusDays(offset).atStartOfDay(zone);
          return new Instant[] {
            start.toInstant(), start.toLocalDate().plusDays(1).atStartOfDay(zone).toInstant()
          };
        }
      case WEEK:
        {
          var monday =
              at.toLocalDate()
                  .with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY))
                  .plusWeeks(offset);
          return new Instant[] {
            monday.atStartOfDay(zone).toInstant(),
            monday.plusWeeks(1).atStartOfDay(zone).toInstant()
          };
        }
      case MONTH:
        {
          var first = at.toLocalDate().withDayOfMonth(1).plusMonths(offset);
          return new Instant[] {
            first.atStartOfDay(zone).toInstant(), first.plusMonths(1).atStartOfDay(zone).toInstant()
          };
        }
      default:
        throw new AssertionError(unit);
    }
  }
}

package io.flinkplatform.engine.internal.schedule;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import io.flinkplatform.engine.InvalidRequestException;
import io.flinkplatform.engine.schedule.DstGap;
import io.flinkplatform.engine.schedule.DstOverlap;
import io.flinkplatform.engine.schedule.FireTime;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A cron expression read in a time zone, with an explicit daylight-saving policy.
 *
 * <p>The expression is matched against wall-clock times (cron-utils, evaluated in UTC so that it
 * never shifts a time itself); each matched wall-clock time is then placed in the zone: a time in a
 * spring-forward gap is skipped or moved to the end of the gap, a time in a fall-back overlap runs
 * once (first instant) or twice. The result is a strictly increasing sequence of instants.
 */
public final class Cron {
  private static final CronParser UNIX =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
  private static final CronParser QUARTZ =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.QUARTZ));
  private static final int MAX_STEPS = 100_000;

  private final ExecutionTime execution;
  private final ZoneRules rules;
  private final DstGap gap;
  private final DstOverlap overlap;

  private Cron(ExecutionTime execution, ZoneId zone, DstGap gap, DstOverlap overlap) {
    this.execution = execution;
    this.rules = zone.getRules();
    this.gap = gap;
    this.overlap = overlap;
  }

  /**
   * Parses a Unix (5 fields) or Quartz (6-7 fields, seconds first) expression.
   *
   * @throws InvalidRequestException naming the {@code cron} field and the accepted forms
   */
  static Cron parse(String expression, ZoneId zone, DstGap gap, DstOverlap overlap) {
    String e = expression == null ? "" : expression.trim();
    int fields = e.isEmpty() ? 0 : e.split("\\s+").length;
    CronParser parser;
    if (fields == 5) {
      parser = UNIX;
    } else if (fields == 6 || fields == 7) {
      parser = QUARTZ;
    } else {
      throw new InvalidRequestException(
          "cron",
          "'"
              + e
              + "' has "
              + fields
              + " field(s); expected 5 (Unix: minute hour day-of-month month day-of-week)"
              + " or 6-7 (Quartz: second minute hour day-of-month month day-of-week [year])");
    }
    try {
      return new Cron(ExecutionTime.forCron(parser.parse(e)), zone, gap, overlap);
    } catch (IllegalArgumentException ex) {
      throw new InvalidRequestException(
          "cron",
          "'"
              + e
              + "' is not a valid "
              + (parser == UNIX ? "Unix" : "Quartz")
              + " expression: "
              + ex.getMessage()
              + (parser == QUARTZ ? " (Quartz needs '?' in day-of-month or day-of-week)" : ""),
          ex);
    }
  }

  /** The first fire time strictly after {@code after}, if there is one. */
  Optional<FireTime> next(Instant after) {
    LocalDateTime cursor = LocalDateTime.ofInstant(after, rules.getOffset(after));
    // Wall-clock times just before 'after' may still map to instants after it when clocks fell
    // back shortly before: start the search one transition length earlier then.
    for (ZoneOffsetTransition t :
        new ZoneOffsetTransition[] {
          rules.previousTransition(after.plusMillis(1)), rules.nextTransition(after)
        }) {
      if (t != null
          && t.isOverlap()
          && Math.abs(Duration.between(t.getInstant(), after).toHours()) < 24) {
        cursor = cursor.minus(t.getDuration().abs());
        break;
      }
    }
    // cron matches whole seconds, and cron-utils keeps any fraction it is given: search from
    // the whole second (its next match is strictly later, as wanted)
    cursor = cursor.truncatedTo(ChronoUnit.SECONDS);
    String skipped = null;
    for (int i = 0; i < MAX_STEPS; i++) {
      Optional<ZonedDateTime> n = execution.nextExecution(cursor.atZone(ZoneOffset.UTC));
      if (n.isEmpty()) {
        return Optional.empty();
      }
      LocalDateTime wall = n.get().toLocalDateTime().truncatedTo(ChronoUnit.SECONDS);
      cursor = wall;
      List<FireTime> placed = place(wall);
      if (placed.isEmpty() && skipped == null) {
        skipped = wall + " does not exist (clocks go forward) and was skipped";
      }
      for (FireTime f : placed) {
        if (f.instant().isAfter(after)) {
          if (skipped != null) {
            String before = skipped;
            String note = f.note().map(x -> before + "; " + x).orElse(before);
            f = new FireTime(f.instant(), f.wallClock(), Optional.of(note));
          }
          return Optional.of(f);
        }
      }
    }
    return Optional.empty();
  }

  /** Up to {@code count} fire times after {@code after}, for previews. */
  List<FireTime> preview(Instant after, int count, Instant endAt) {
    List<FireTime> out = new ArrayList<>();
    Instant from = after;
    while (out.size() < count) {
      Optional<FireTime> f = next(from);
      if (f.isEmpty() || (endAt != null && f.get().instant().isAfter(endAt))) {
        break;
      }
      out.add(f.get());
      from = f.get().instant();
    }
    return out;
  }

  private List<FireTime> place(LocalDateTime wall) {
    List<ZoneOffset> offsets = rules.getValidOffsets(wall);
    if (offsets.size() == 1) {
      return List.of(new FireTime(wall.toInstant(offsets.get(0)), wall, Optional.empty()));
    }
    if (offsets.isEmpty()) {
      ZoneOffsetTransition t = rules.getTransition(wall);
      if (gap == DstGap.SKIP) {
        return List.of();
      }
      return List.of(
          new FireTime(
              t.getInstant(),
              wall,
              Optional.of(
                  wall
                      + " does not exist (clocks go forward at "
                      + t.getDateTimeBefore()
                      + "): runs at "
                      + t.getDateTimeAfter()
                      + t.getOffsetAfter())));
    }
    ZoneOffset first = offsets.get(0);
    ZoneOffset second = offsets.get(1);
    FireTime a =
        new FireTime(
            wall.toInstant(first),
            wall,
            Optional.of(
                wall
                    + " happens twice (clocks go back): "
                    + (overlap == DstOverlap.ONCE ? "runs once, at " : "first run at ")
                    + wall
                    + first));
    if (overlap == DstOverlap.ONCE) {
      return List.of(a);
    }
    return List.of(
        a,
        new FireTime(
            wall.toInstant(second),
            wall,
            Optional.of(wall + " happens twice (clocks go back): second run at " + wall + second)));
  }
}

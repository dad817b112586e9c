package io.flinkplatform.engine.internal.schedule;

import static java.util.Objects.requireNonNull;

import io.flinkplatform.engine.InvalidRequestException;
import io.flinkplatform.engine.dag.Bounds;
import io.flinkplatform.engine.internal.common.Json;
import io.flinkplatform.engine.internal.definition.WorkflowValidator;
import io.flinkplatform.engine.internal.store.ScheduleRow;
import io.flinkplatform.engine.schedule.DstGap;
import io.flinkplatform.engine.schedule.DstOverlap;
import io.flinkplatform.engine.schedule.MisfirePolicy;
import io.flinkplatform.engine.schedule.OverlapPolicy;
import io.flinkplatform.engine.schedule.Schedule;
import io.flinkplatform.engine.schedule.ScheduleSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;

/**
 * Turns a schedule as the client gives it into its row, checking every field on the way, and a row
 * back into the API's {@link Schedule}.
 */
final class ScheduleRows {
  private static final int MAX_NAME = 128;

  private ScheduleRows() {}

  /**
   * Checks every field, and that the cron fires at all after {@code now}; the row it returns has no
   * id and no fire times yet.
   */
  static ScheduleRow check(ScheduleSpec spec, long now) {
    requireNonNull(spec, "spec is null");
    // the rule of workflow names: a schedule's name goes into logs and events, so it must not
    // carry line breaks or other control characters (and it is not echoed here for that reason)
    if (spec.name().length() > MAX_NAME || !WorkflowValidator.ID.matcher(spec.name()).matches()) {
      throw new InvalidRequestException(
          "name",
          "must be 1 to "
              + MAX_NAME
              + " letters, digits, '_', '.' or '-', starting with a letter or digit ("
              + WorkflowValidator.ID.pattern()
              + ")");
    }
    if (spec.misfireThreshold().isNegative()) {
      throw new InvalidRequestException(
          "misfireThreshold", "must be zero or positive but was " + spec.misfireThreshold());
    }
    if (spec.startAt().isPresent()
        && spec.endAt().isPresent()
        && !spec.endAt().get().isAfter(spec.startAt().get())) {
      throw new InvalidRequestException(
          "endAt", "must be after startAt (" + spec.startAt().get() + ")");
    }
    if (spec.cron().trim().length() > Bounds.MAX_CRON) {
      throw new InvalidRequestException(
          "cron",
          spec.cron().trim().length()
              + " characters, more than the "
              + Bounds.MAX_CRON
              + " allowed");
    }
    Cron cron = Cron.parse(spec.cron(), spec.zone(), spec.dstGap(), spec.dstOverlap());
    if (cron.next(Instant.ofEpochMilli(now)).isEmpty()) {
      throw new InvalidRequestException(
          "cron",
          "'"
              + spec.cron().trim()
              + "' never fires after "
              + Instant.ofEpochMilli(now)
              + " (a day that no month has, such as 30 February, or only years that are past)");
    }
    ScheduleRow r = new ScheduleRow();
    r.name = spec.name();
    r.flowName = spec.workflowName();
    r.cron = spec.cron().trim();
    r.zone = spec.zone().getId();
    r.startAt = spec.startAt().map(Instant::toEpochMilli).orElse(null);
    r.endAt = spec.endAt().map(Instant::toEpochMilli).orElse(null);
    r.paused = spec.paused();
    r.dstGap = spec.dstGap().name();
    r.dstOverlap = spec.dstOverlap().name();
    r.misfire = spec.misfire().kind().name();
    r.catchUpLimit = spec.misfire().limit();
    r.misfireAfterMs = spec.misfireThreshold().toMillis();
    r.overlap = spec.overlap().kind().name();
    r.maxParallel = spec.overlap().maxParallel();
    r.params = Json.write(spec.parameters());
    return r;
  }

  static Schedule toSchedule(ScheduleRow r) {
    MisfirePolicy misfire =
        new MisfirePolicy(MisfirePolicy.Kind.valueOf(r.misfire), r.catchUpLimit);
    ScheduleSpec spec =
        new ScheduleSpec(
            r.name,
            r.flowName,
            r.cron,
            ZoneId.of(r.zone),
            Optional.ofNullable(r.startAt).map(Instant::ofEpochMilli),
            Optional.ofNullable(r.endAt).map(Instant::ofEpochMilli),
            DstGap.valueOf(r.dstGap),
            DstOverlap.valueOf(r.dstOverlap),
            misfire,
            Duration.ofMillis(r.misfireAfterMs),
            new OverlapPolicy(OverlapPolicy.Kind.valueOf(r.overlap), r.maxParallel),
            Json.stringMap(r.params),
            r.paused);
    return new Schedule(
        r.id,
        spec,
        r.paused,
        Optional.ofNullable(r.nextFireAt).map(Instant::ofEpochMilli),
        Optional.ofNullable(r.lastFireAt).map(Instant::ofEpochMilli));
  }
}

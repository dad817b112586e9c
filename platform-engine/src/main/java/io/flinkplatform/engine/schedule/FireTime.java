package io.flinkplatform.engine.schedule;

import java.time.Instant;
import java.time.LocalDateTime;
import java.util.Optional;

/**
 * One fire time of a schedule, as a preview shows it.
 *
 * @param instant when the run starts; it is also the run's logical date
 * @param wallClock the wall-clock time the cron expression matched, in the schedule's zone
 * @param note what a daylight-saving transition did to this fire time, if anything
 */
public record FireTime(Instant instant, LocalDateTime wallClock, Optional<String> note) {}

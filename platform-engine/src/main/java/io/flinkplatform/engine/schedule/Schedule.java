package io.flinkplatform.engine.schedule;

import java.time.Instant;
import java.util.Optional;

/**
 * A stored schedule.
 *
 * @param id its id
 * @param spec what it does
 * @param paused whether it is paused now
 * @param nextFireTime its next nominal fire time; empty once past its end
 * @param lastFireTime the last fire time it started a run for
 */
public record Schedule(
    long id,
    ScheduleSpec spec,
    boolean paused,
    Optional<Instant> nextFireTime,
    Optional<Instant> lastFireTime) {}

package io.flinkplatform.engine.access;

import static java.util.Objects.requireNonNull;

import io.flinkplatform.engine.InvalidRequestException;
import java.time.Duration;
import java.util.Optional;

/**
 * Bounds a workspace's admin sets on what its members define, enforced at deploy, schedule save,
 * trigger and backfill with a {@link io.flinkplatform.engine.CapExceededException}. Empty means no
 * cap.
 *
 * @param minPriority lowest task or workflow priority
 * @param maxPriority highest task or workflow priority
 * @param maxTasksPerWorkflow most tasks in one workflow
 * @param minCronInterval shortest time between two fire times of a schedule
 * @param maxActiveRuns most runs of the workspace RUNNING or KILLING at once: more wait for
 *     admission (scheduled and backfill runs) or are refused (a trigger by hand at the cap); child
 *     runs of sub-workflows are not counted, so a parent never waits for its own child
 * @param maxBackfillRuns most runs one backfill creates
 */
public record WorkspaceCaps(
    Optional<Integer> minPriority,
    Optional<Integer> maxPriority,
    Optional<Integer> maxTasksPerWorkflow,
    Optional<Duration> minCronInterval,
    Optional<Integer> maxActiveRuns,
    Optional<Integer> maxBackfillRuns) {
  /** No caps. */
  public static final WorkspaceCaps NONE =
      new WorkspaceCaps(
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty());

  public WorkspaceCaps {
    requireNonNull(minPriority, "minPriority is null");
    requireNonNull(maxPriority, "maxPriority is null");
    requireNonNull(maxTasksPerWorkflow, "maxTasksPerWorkflow is null");
    requireNonNull(minCronInterval, "minCronInterval is null");
    requireNonNull(maxActiveRuns, "maxActiveRuns is null");
    requireNonNull(maxBackfillRuns, "maxBackfillRuns is null");
    if (minPriority.isPresent()
        && maxPriority.isPresent()
        && minPriority.get() > maxPriority.get()) {
      throw new InvalidRequestException(
          "minPriority", "must not be above maxPriority (" + maxPriority.get() + ")");
    }
    positive("maxTasksPerWorkflow", maxTasksPerWorkflow);
    positive("maxActiveRuns", maxActiveRuns);
    positive("maxBackfillRuns", maxBackfillRuns);
    if (minCronInterval.isPresent()
        && (minCronInterval.get().isNegative() || minCronInterval.get().isZero())) {
      throw new InvalidRequestException("minCronInterval", "must be positive");
    }
  }

  private static void positive(String field, Optional<Integer> value) {
    if (value.isPresent() && value.get() < 1) {
      throw new InvalidRequestException(field, "must be at least 1, was " + value.get());
    }
  }

  public WorkspaceCaps withPriorityRange(int min, int max) {
    return new WorkspaceCaps(
        Optional.of(min),
        Optional.of(max),
        maxTasksPerWorkflow,
        minCronInterval,
        maxActiveRuns,
        maxBackfillRuns);
  }

  public WorkspaceCaps withMaxTasksPerWorkflow(int n) {
    return new WorkspaceCaps(
        minPriority, maxPriority, Optional.of(n), minCronInterval, maxActiveRuns, maxBackfillRuns);
  }

  public WorkspaceCaps withMinCronInterval(Duration d) {
    return new WorkspaceCaps(
        minPriority,
        maxPriority,
        maxTasksPerWorkflow,
        Optional.of(d),
        maxActiveRuns,
        maxBackfillRuns);
  }

  public WorkspaceCaps withMaxActiveRuns(int n) {
    return new WorkspaceCaps(
        minPriority,
        maxPriority,
        maxTasksPerWorkflow,
        minCronInterval,
        Optional.of(n),
        maxBackfillRuns);
  }

  public WorkspaceCaps withMaxBackfillRuns(int n) {
    return new WorkspaceCaps(
        minPriority,
        maxPriority,
        maxTasksPerWorkflow,
        minCronInterval,
        maxActiveRuns,
        Optional.of(n));
  }
}

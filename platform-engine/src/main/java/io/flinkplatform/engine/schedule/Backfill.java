package io.flinkplatform.engine.schedule;

import io.flinkplatform.engine.run.RunState;
import java.time.Instant;
import java.util.Map;

/**
 * A backfill as it stands.
 *
 * @param id its id
 * @param workflowName the workflow
 * @param firstLogicalDate the logical date of its first run
 * @param lastLogicalDate the logical date of its last run
 * @param runs how many runs it has
 * @param parallelism how many may be active at once
 * @param state RUNNING while runs are left, then SUCCESS or FAILED (some run did not succeed), or
 *     CANCELLED
 * @param runsByState how many of its runs are in each state
 */
public record Backfill(
    long id,
    String workflowName,
    Instant firstLogicalDate,
    Instant lastLogicalDate,
    int runs,
    int parallelism,
    State state,
    Map<RunState, Integer> runsByState) {

  /** How many backfills {@code PlatformClient.backfills()} lists at most. */
  public static final int LISTED = 100;

  public enum State {
    RUNNING,
    SUCCESS,
    FAILED,
    CANCELLED
  }

  public Backfill {
    runsByState = Map.copyOf(runsByState);
  }
}

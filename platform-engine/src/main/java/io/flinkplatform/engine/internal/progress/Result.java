package io.flinkplatform.engine.internal.progress;

import io.flinkplatform.engine.internal.claim.Claim;
import io.flinkplatform.engine.internal.common.Json;
import io.flinkplatform.engine.run.TaskState;
import java.util.Set;
import java.util.TreeSet;

/**
 * The end of an attempt, waiting to be committed.
 *
 * @param claim the attempt as claimed (its epoch fences the write)
 * @param state SUCCESS, FAILED, KILLED or SKIPPED
 * @param retryable for FAILED: whether the retry policy may try again
 * @param outputs outputs of a successful attempt, as JSON, or null for none
 * @param message what happened, for people
 * @param logPath the log's pointer, or null
 * @param branches JSON list of the downstream tasks a success chose, or null for all
 */
public record Result(
    Claim claim,
    TaskState state,
    boolean retryable,
    String outputs,
    String message,
    String logPath,
    String branches) {
  /** Longest message stored with an attempt; longer ones are cut. */
  public static final int MAX_MESSAGE = 4_000;

  public Result(
      Claim claim,
      TaskState state,
      boolean retryable,
      String outputs,
      String message,
      String logPath) {
    this(claim, state, retryable, outputs, message, logPath, null);
  }

  /**
   * The result with the downstream task ids a success chose recorded (sorted, as a JSON list): only
   * its edges to them fire ({@code TaskOutcome.branch}).
   */
  public Result withChoice(Set<String> chosen) {
    return new Result(
        claim, state, retryable, outputs, message, logPath, Json.write(new TreeSet<>(chosen)));
  }
}

package io.flinkplatform.engine.internal.model;

import io.flinkplatform.engine.dag.RetryPolicy;
import io.flinkplatform.engine.run.TaskState;
import java.time.Duration;
import java.time.Instant;

/**
 * A retry of a failed attempt: the next attempt's number and the wait before it. A series of
 * attempts starts at a task's first attempt, or after a rerun or mark ({@code rerunBase}); each
 * series has the task's full retry budget.
 *
 * @param attempt the new attempt's number
 * @param series the number of the failed attempt within its series (1 for the first), which is also
 *     the number of this retry
 * @param maxRetries the task's retry budget per series
 * @param delay the wait before the new attempt may be claimed
 */
public record Retry(int attempt, int series, int maxRetries, Duration delay) {

  /**
   * The retry after attempt {@code number} (of the series after {@code rerunBase}) ended {@code
   * state}, or null when there is none: only a retryable FAILED attempt with budget left is retried
   * (a kill, a success or a skip never is).
   */
  public static Retry after(
      RetryPolicy policy, int number, int rerunBase, TaskState state, boolean retryable) {
    int series = number - rerunBase;
    if (state != TaskState.FAILED || !retryable || series > policy.maxRetries()) {
      return null;
    }
    return new Retry(number + 1, series, policy.maxRetries(), policy.delayBefore(series + 1));
  }

  /** When the new attempt may be claimed, for a failure recorded at {@code now}. */
  public Instant readyAt(Instant now) {
    return now.plus(delay);
  }

  /** The new attempt's message, e.g. "retry 1 of 3, not before 2026-01-01T00:00:05Z". */
  public String describe(Instant readyAt) {
    return "retry " + series + " of " + maxRetries + ", not before " + readyAt;
  }
}

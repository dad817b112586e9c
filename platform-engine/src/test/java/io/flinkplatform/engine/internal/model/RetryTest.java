package io.flinkplatform.engine.internal.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinkplatform.engine.dag.RetryPolicy;
import io.flinkplatform.engine.run.TaskState;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Retries as a table: the policy, the failed attempt's number and series start, its outcome, and
 * the retry it gets (the new attempt's number and delay in seconds) or none ({@code -}).
 */
class RetryTest {

  @ParameterizedTest(name = "{0}/{1}s..{2}s, attempt {3} after {4}, {5} retryable {6} -> {7} {8}")
  @CsvSource({
    // backoff, delay, max delay, attempt, rerun base, outcome, retryable, maxRetries, new attempt,
    // delay: no budget
    "FIXED, 5, 5, 1, 0, FAILED, true, 0, -, -",
    // within the budget
    "FIXED, 5, 5, 1, 0, FAILED, true, 1, 2, 5",
    "FIXED, 5, 5, 2, 0, FAILED, true, 1, -, -",
    "FIXED, 5, 5, 2, 0, FAILED, true, 3, 3, 5",
    "FIXED, 5, 5, 3, 0, FAILED, true, 3, 4, 5",
    "FIXED, 5, 5, 4, 0, FAILED, true, 3, -, -",
    // not retryable, or not a failure
    "FIXED, 5, 5, 1, 0, FAILED, false, 3, -, -",
    "FIXED, 5, 5, 1, 0, SUCCESS, true, 3, -, -",
    "FIXED, 5, 5, 1, 0, KILLED, true, 3, -, -",
    "FIXED, 5, 5, 1, 0, SKIPPED, true, 3, -, -",
    // a rerun starts a new series with the full budget
    "FIXED, 5, 5, 5, 4, FAILED, true, 1, 6, 5",
    "FIXED, 5, 5, 6, 4, FAILED, true, 1, -, -",
    "FIXED, 5, 5, 7, 4, FAILED, true, 3, 8, 5",
    "FIXED, 5, 5, 8, 4, FAILED, true, 3, -, -",
    // exponential: doubles from the second retry, capped
    "EXPONENTIAL, 2, 60, 1, 0, FAILED, true, 9, 2, 2",
    "EXPONENTIAL, 2, 60, 2, 0, FAILED, true, 9, 3, 4",
    "EXPONENTIAL, 2, 60, 3, 0, FAILED, true, 9, 4, 8",
    "EXPONENTIAL, 2, 60, 4, 0, FAILED, true, 9, 5, 16",
    "EXPONENTIAL, 2, 60, 5, 0, FAILED, true, 9, 6, 32",
    "EXPONENTIAL, 2, 60, 6, 0, FAILED, true, 9, 7, 60",
    "EXPONENTIAL, 2, 60, 9, 0, FAILED, true, 9, 10, 60",
    "EXPONENTIAL, 2, 60, 10, 0, FAILED, true, 9, -, -",
    // exponential series restart after a rerun
    "EXPONENTIAL, 2, 60, 4, 3, FAILED, true, 9, 5, 2",
    "EXPONENTIAL, 2, 60, 5, 3, FAILED, true, 9, 6, 4",
  })
  void retries(
      RetryPolicy.Backoff backoff,
      long delay,
      long maxDelay,
      int attempt,
      int rerunBase,
      TaskState outcome,
      boolean retryable,
      int maxRetries,
      String next,
      String wait) {
    RetryPolicy policy =
        new RetryPolicy(
            maxRetries, backoff, Duration.ofSeconds(delay), Duration.ofSeconds(maxDelay));
    Retry r = Retry.after(policy, attempt, rerunBase, outcome, retryable);
    if (next.equals("-")) {
      assertThat(r).isNull();
    } else {
      assertThat(r.attempt()).isEqualTo(Integer.parseInt(next));
      assertThat(r.delay()).isEqualTo(Duration.ofSeconds(Long.parseLong(wait)));
      assertThat(r.series()).isEqualTo(attempt - rerunBase);
    }
  }

  @Test
  void describesTheRetryWithItsTime() {
    Retry r =
        Retry.after(RetryPolicy.fixed(3, Duration.ofSeconds(5)), 2, 0, TaskState.FAILED, true);
    Instant at = r.readyAt(Instant.parse("2026-01-01T00:00:00Z"));
    assertThat(at).isEqualTo(Instant.parse("2026-01-01T00:00:05Z"));
    assertThat(r.describe(at)).isEqualTo("retry 2 of 3, not before 2026-01-01T00:00:05Z");
  }
}

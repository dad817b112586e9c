package io.flinkplatform.engine.dag;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How often a failed task is tried again, and how long to wait before each new attempt.
 *
 * @param maxRetries retries after the first attempt; 0 means no retry
 * @param backoff fixed delay or exponentially growing delay
 * @param delay the delay before the first retry
 * @param maxDelay the cap for exponential backoff
 */
public record RetryPolicy(int maxRetries, Backoff backoff, Duration delay, Duration maxDelay) {

  /** Fixed or exponential backoff between attempts. */
  public enum Backoff {
    FIXED,
    EXPONENTIAL
  }

  public static final RetryPolicy NONE =
      new RetryPolicy(0, Backoff.FIXED, Duration.ZERO, Duration.ZERO);

  public RetryPolicy {
    checkArgument(maxRetries >= 0, "maxRetries must be >= 0 but was %s", maxRetries);
    requireNonNull(backoff, "backoff is null");
    requireNonNull(delay, "delay is null");
    requireNonNull(maxDelay, "maxDelay is null");
    checkArgument(!delay.isNegative(), "delay must not be negative");
    if (maxDelay.compareTo(delay) < 0) {
      maxDelay = delay;
    }
  }

  public static RetryPolicy fixed(int maxRetries, Duration delay) {
    return new RetryPolicy(maxRetries, Backoff.FIXED, delay, delay);
  }

  public static RetryPolicy exponential(int maxRetries, Duration initialDelay, Duration maxDelay) {
    return new RetryPolicy(maxRetries, Backoff.EXPONENTIAL, initialDelay, maxDelay);
  }

  /** The wait before attempt {@code nextAttempt} (2 for the first retry). */
  public Duration delayBefore(int nextAttempt) {
    if (backoff == Backoff.FIXED || nextAttempt <= 2) {
      return delay;
    }
    int doublings = Math.min(nextAttempt - 2, 30);
    Duration d = delay.multipliedBy(1L << doublings);
    return d.compareTo(maxDelay) > 0 ? maxDelay : d;
  }
}

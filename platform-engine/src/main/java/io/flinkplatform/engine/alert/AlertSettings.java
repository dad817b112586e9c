package io.flinkplatform.engine.alert;

import java.time.Duration;
import java.util.Objects;

/**
 * How an instance delivers alerts ({@code Platform.builder().alerts(settings)}); the defaults suit
 * most hosts.
 *
 * @param enabled whether this instance raises and delivers alerts at all (default true; with no
 *     rules an instance only looks at the outbox every {@code pollInterval})
 * @param pollInterval how often the outbox is looked at for due deliveries (default 1 s)
 * @param lease how long a claimed delivery belongs to its instance (default 30 s): an instance that
 *     dies between a send and its record makes the alert be sent again after at most this long,
 *     with the same idempotency key; it is the documented window of duplicates
 * @param sendTimeout how long one send may take (default 10 s; at most half the {@code lease})
 * @param firstRetry the backoff after the first failed send (default 5 s), doubling each time
 * @param maxRetryDelay the longest backoff (default 5 min)
 * @param giveUpAfter a delivery still failing this long after the alert was raised is FAILED
 *     (default 24 h)
 * @param threads sends at once per instance (default 2)
 * @param scanInterval how often running runs and tasks are checked against overdue and deadline
 *     rules (default 15 s)
 * @param ruleRefresh how soon an instance sees rules changed on another instance (default 5 s)
 */
public record AlertSettings(
    boolean enabled,
    Duration pollInterval,
    Duration lease,
    Duration sendTimeout,
    Duration firstRetry,
    Duration maxRetryDelay,
    Duration giveUpAfter,
    int threads,
    Duration scanInterval,
    Duration ruleRefresh) {

  public AlertSettings {
    Objects.requireNonNull(pollInterval, "pollInterval is null");
    Objects.requireNonNull(lease, "lease is null");
    Objects.requireNonNull(sendTimeout, "sendTimeout is null");
    Objects.requireNonNull(firstRetry, "firstRetry is null");
    Objects.requireNonNull(maxRetryDelay, "maxRetryDelay is null");
    Objects.requireNonNull(giveUpAfter, "giveUpAfter is null");
    Objects.requireNonNull(scanInterval, "scanInterval is null");
    Objects.requireNonNull(ruleRefresh, "ruleRefresh is null");
    positive("pollInterval", pollInterval);
    positive("lease", lease);
    positive("sendTimeout", sendTimeout);
    positive("firstRetry", firstRetry);
    positive("scanInterval", scanInterval);
    positive("ruleRefresh", ruleRefresh);
    if (sendTimeout.multipliedBy(2).compareTo(lease) > 0) {
      // a send that ends late, and its mark, must still fall inside the claim's lease, or another
      // instance takes the delivery over and sends it a second time while nothing crashed
      throw new IllegalArgumentException(
          "sendTimeout (" + sendTimeout + ") must be at most half the lease (" + lease + ")");
    }
    if (maxRetryDelay.compareTo(firstRetry) < 0) {
      throw new IllegalArgumentException("maxRetryDelay must be at least firstRetry");
    }
    if (threads < 1 || threads > 64) {
      throw new IllegalArgumentException("threads must be 1..64, got " + threads);
    }
  }

  private static void positive(String name, Duration d) {
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, got " + d);
    }
  }

  /** The defaults. */
  public static AlertSettings defaults() {
    return new AlertSettings(
        true,
        Duration.ofSeconds(1),
        Duration.ofSeconds(30),
        Duration.ofSeconds(10),
        Duration.ofSeconds(5),
        Duration.ofMinutes(5),
        Duration.ofHours(24),
        2,
        Duration.ofSeconds(15),
        Duration.ofSeconds(5));
  }

  /** No alerts raised or delivered by this instance. */
  public static AlertSettings disabled() {
    AlertSettings d = defaults();
    return new AlertSettings(
        false,
        d.pollInterval,
        d.lease,
        d.sendTimeout,
        d.firstRetry,
        d.maxRetryDelay,
        d.giveUpAfter,
        d.threads,
        d.scanInterval,
        d.ruleRefresh);
  }
}

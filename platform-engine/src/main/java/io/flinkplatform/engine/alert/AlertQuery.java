package io.flinkplatform.engine.alert;

import java.time.Instant;

/**
 * A page of the alert history, newest first; every filter is optional ({@code null}).
 *
 * @param state alerts with at least one delivery in this state
 * @param before the cursor of the previous page ({@link AlertPage#next()}), or {@code null}
 * @param limit 1 to 500
 */
public record AlertQuery(
    String rule,
    AlertKind kind,
    DeliveryState state,
    String workflow,
    Instant from,
    Instant to,
    Long before,
    int limit) {

  public static final int MAX_LIMIT = 500;

  /** The newest {@code limit} alerts. */
  public static AlertQuery latest(int limit) {
    return new AlertQuery(null, null, null, null, null, null, null, limit);
  }
}

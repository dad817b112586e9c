package io.flinkplatform.engine.alert;

import java.time.Instant;
import java.util.List;

/**
 * The delivery of one alert to one channel.
 *
 * @param nextAt when it is tried next (PENDING and HELD), else {@code null}
 * @param digest the id of the digest alert that summed it up (DIGESTED), else {@code null}
 */
public record Delivery(
    String channel,
    DeliveryState state,
    int attempts,
    Instant nextAt,
    Instant deliveredAt,
    String lastError,
    Long digest,
    List<DeliveryAttempt> tries) {
  public Delivery {
    tries = List.copyOf(tries);
  }
}

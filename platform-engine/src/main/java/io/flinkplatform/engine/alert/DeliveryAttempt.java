package io.flinkplatform.engine.alert;

import java.time.Instant;

/**
 * One try to send an alert to a channel.
 *
 * @param instance the instance that sent it
 * @param epoch the claim's epoch (a resend after a lost claim has a higher one)
 * @param error why it failed, or {@code null} when the channel accepted it
 */
public record DeliveryAttempt(
    int attempt, String instance, long epoch, Instant startedAt, Instant endedAt, String error) {

  public boolean ok() {
    return error == null && endedAt != null;
  }
}

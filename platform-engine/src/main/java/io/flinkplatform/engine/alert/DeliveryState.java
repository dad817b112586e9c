package io.flinkplatform.engine.alert;

/** Where the delivery of one alert to one channel stands. */
public enum DeliveryState {
  /** Waiting to be sent, or to be sent again after a failure (see {@code nextAt}). */
  PENDING,
  /** The channel accepted it. */
  DELIVERED,
  /** Given up: the channel refused it for good, or every attempt failed. */
  FAILED,
  /** Not sent: a silence held it back when it was due. */
  SILENCED,
  /** Held back by its rule's rate limit; sent in the digest when the window ends. */
  HELD,
  /** Summed up in a digest alert instead of being sent alone ({@code digest} names it). */
  DIGESTED
}

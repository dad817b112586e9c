package io.flinkplatform.spi;

/**
 * A channel could not deliver an alert. The message is kept in the alert's history and shown in the
 * console, so it must never hold a secret (a signed URL, a token, a password).
 */
public class AlertDeliveryException extends Exception {
  private static final long serialVersionUID = 1L;
  private final boolean retryable;

  /**
   * @param message what went wrong, e.g. {@code HTTP 503 from hooks.example.com}; never a secret
   * @param retryable whether trying again later may succeed (a timeout, a 5xx, a 429) or not (a
   *     400, a refused signature: the channel's options are wrong)
   */
  public AlertDeliveryException(String message, boolean retryable) {
    super(message);
    this.retryable = retryable;
  }

  public AlertDeliveryException(String message, boolean retryable, Throwable cause) {
    super(message, cause);
    this.retryable = retryable;
  }

  /** Whether the platform should try again with backoff. */
  public boolean retryable() {
    return retryable;
  }
}

package io.flinkplatform.spi;

import java.util.List;
import java.util.Map;

/**
 * A way to tell people about an alert (a webhook, mail, a chat robot), discovered through {@link
 * java.util.ServiceLoader}: list the implementation in {@code
 * META-INF/services/io.flinkplatform.spi.AlertChannel}. The platform ships webhook, email, feishu,
 * dingtalk, wecom and slack; a host adds its own the same way.
 *
 * <p>A workspace configures named channels of a type with {@link #options() typed options}; the
 * platform validates them when they are saved (unknown names, wrong types, missing required ones
 * and {@link #validate} all answer with an {@link InvalidInputException} naming the option), seals
 * the values of {@link TaskOption#secret() secret} options with its key ring before they are stored
 * (never shown again, masked in every read), and opens them only to hand them to {@link #send}.
 *
 * <p>Delivery is at least once: {@link #send} may be called again for the same alert after a crash
 * between a send and its record, or after a failure the receiver in fact accepted. Every call for
 * one alert and channel carries the same {@link AlertMessage#idempotencyKey()}; pass it on where
 * the receiver can drop repeats (a header, a message id). New methods are added with defaults.
 */
public interface AlertChannel {

  /** The type's id in channel definitions, e.g. {@code webhook}: lower case letters, digits, _. */
  String type();

  /** One sentence for docs and the console. */
  default String description() {
    return type();
  }

  /** The options a channel of this type takes; secret ones are sealed at rest. */
  List<TaskOption> options();

  /**
   * Checks of more than one option (or of a value's form, such as a URL), after each option was
   * converted to its type; throw {@link InvalidInputException} naming the option. Nothing is stored
   * when this throws.
   */
  default void validate(Map<String, Object> options) {}

  /**
   * Sends one alert. Called on the platform's delivery threads, never while a database transaction
   * is open; it must end within {@code timeout} (give it to the HTTP or SMTP client).
   *
   * @param options the channel's options converted to their types, defaults filled in, secrets open
   * @throws AlertDeliveryException when the receiver refused or could not be reached; the platform
   *     retries with backoff when it is {@link AlertDeliveryException#retryable() retryable}
   */
  void send(AlertMessage message, Map<String, Object> options, java.time.Duration timeout)
      throws AlertDeliveryException;
}

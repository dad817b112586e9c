package io.flinkplatform.engine.testing;

import io.flinkplatform.spi.AlertChannel;
import io.flinkplatform.spi.AlertMessage;
import io.flinkplatform.spi.InvalidInputException;
import io.flinkplatform.spi.OptionType;
import io.flinkplatform.spi.TaskOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The alert channel type {@code test_sink} of the engine's tests (listed in the test class path's
 * {@code META-INF/services}): a required {@code url}, a secret {@code token}, an int, a duration
 * and a {@code mode} of allowed values; {@link #validate} wants an http(s) URL, and a token in mode
 * {@code signed}. Sends are kept in {@link #SENT}.
 */
public final class TestAlertChannel implements AlertChannel {
  public static final String TYPE = "test_sink";

  /** Every message sent through a channel of this type, in order. */
  public static final ConcurrentLinkedQueue<AlertMessage> SENT = new ConcurrentLinkedQueue<>();

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public String description() {
    return "Keeps what it is sent, for tests.";
  }

  @Override
  public List<TaskOption> options() {
    return List.of(
        TaskOption.required("url", OptionType.STRING, "Where to send."),
        TaskOption.optional("token", OptionType.STRING, null, "A bearer token.").asSecret(),
        TaskOption.optional("retries", OptionType.INT, 3, "How often to retry."),
        TaskOption.optional("wait", OptionType.DURATION, null, "How long to wait."),
        TaskOption.optional("mode", OptionType.STRING, "plain", "How to sign.")
            .withAllowedValues("plain", "signed"));
  }

  @Override
  public void validate(Map<String, Object> options) {
    String url = (String) options.get("url");
    if (!url.startsWith("http://") && !url.startsWith("https://")) {
      throw new InvalidInputException("url", "url must start with http:// or https://");
    }
    if ("signed".equals(options.get("mode")) && options.get("token") == null) {
      throw new InvalidInputException("token", "mode signed needs a token");
    }
  }

  @Override
  public void send(AlertMessage message, Map<String, Object> options, Duration timeout) {
    SENT.add(message);
  }
}

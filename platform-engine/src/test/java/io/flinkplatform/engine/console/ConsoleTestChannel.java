package io.flinkplatform.engine.console;

import io.flinkplatform.spi.AlertChannel;
import io.flinkplatform.spi.AlertMessage;
import io.flinkplatform.spi.OptionType;
import io.flinkplatform.spi.TaskOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An alert channel type of the console tests ({@code consoletest}, found through the test class
 * path's META-INF/services): a required URL, a secret token, a number, a choice and a flag, so the
 * console's form per type has every kind of field. It keeps what it is sent.
 */
public final class ConsoleTestChannel implements AlertChannel {
  /** The messages sent through any channel of this type, in order. */
  public static final List<AlertMessage> SENT = new CopyOnWriteArrayList<>();

  @Override
  public String type() {
    return "consoletest";
  }

  @Override
  public String description() {
    return "Keeps the alerts in the test's memory";
  }

  @Override
  public List<TaskOption> options() {
    return List.of(
        TaskOption.required("url", OptionType.STRING, "Where it would post"),
        TaskOption.optional("token", OptionType.STRING, null, "A bearer token").asSecret(),
        TaskOption.optional("retries", OptionType.INT, 1, "How often it would retry"),
        TaskOption.optional("format", OptionType.STRING, "json", "The body's form")
            .withAllowedValues("json", "text"),
        TaskOption.optional("quiet", OptionType.BOOLEAN, false, "Whether it would stay quiet"));
  }

  @Override
  public void send(AlertMessage message, Map<String, Object> options, Duration timeout) {
    SENT.add(message);
  }
}

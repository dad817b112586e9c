package io.flinkplatform.engine.internal.alert;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flinkplatform.engine.alert.AlertSettings;
import io.flinkplatform.engine.alert.ChannelInfo;
import io.flinkplatform.engine.internal.alert.Outbox.Claimed;
import io.flinkplatform.engine.internal.alert.Outbox.Outcome;
import io.flinkplatform.engine.internal.common.Json;
import io.flinkplatform.engine.internal.store.AlertChannelRow;
import io.flinkplatform.engine.internal.store.AlertRow;
import io.flinkplatform.spi.AlertChannel;
import io.flinkplatform.spi.AlertDeliveryException;
import io.flinkplatform.spi.AlertMessage;
import io.flinkplatform.spi.Secrets;
import io.flinkplatform.spi.TaskOption;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One send of a claimed delivery, outside any transaction: the channel's type and options (secret
 * ones opened), the message built from the alert row, the channel's {@link AlertChannel#send}, and
 * what it means for the delivery (delivered, again after a backoff, or failed). Errors are kept
 * without the channel's secret values.
 */
final class Sender {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final ChannelRegistry channels;
  private final Secrets secrets;
  private final AlertSettings settings;
  private final Clock clock;
  private final io.flinkplatform.engine.internal.metrics.Meters meters;

  Sender(
      ChannelRegistry channels,
      Secrets secrets,
      AlertSettings settings,
      Clock clock,
      io.flinkplatform.engine.internal.metrics.Meters meters) {
    this.meters = meters;
    this.channels = channels;
    this.secrets = secrets;
    this.settings = settings;
    this.clock = clock;
  }

  /** Sends; the backoff and the give-up time count from when the send ended. */
  Outcome send(Claimed c) {
    AlertChannelRow row = c.channel();
    if (row == null) {
      return Outcome.failed(
          "channel '"
              + c.delivery().channelName
              + "' does not exist in workspace '"
              + c.delivery().workspace
              + "'");
    }
    AlertChannel type =
        channels.all().stream().filter(t -> t.type().equals(row.type)).findFirst().orElse(null);
    if (type == null) {
      // retried, not failed: another instance (or this one after an upgrade) may have the type
      return afterFailure(
          c,
          true,
          "channel '"
              + row.name
              + "' has the type '"
              + row.type
              + "', which this instance does not have; known types: "
              + channels.all().stream().map(AlertChannel::type).toList(),
          clock.millis());
    }
    Map<String, Object> options;
    try {
      options = options(type, row);
    } catch (RuntimeException e) { // never the message: it could quote a value
      return Outcome.failed(
          "the options of channel '"
              + row.name
              + "' cannot be read or opened ("
              + e.getClass().getSimpleName()
              + ")");
    }
    try {
      type.send(message(c.alert()), options, settings.sendTimeout());
      meters.alertDelivered(type.type(), true);
      return Outcome.delivered();
    } catch (AlertDeliveryException e) {
      meters.alertDelivered(type.type(), false);
      String error = masked(String.valueOf(e.getMessage()), type, options);
      return afterFailure(c, e.retryable(), error, clock.millis());
    } catch (RuntimeException e) {
      meters.alertDelivered(type.type(), false);
      return afterFailure(
          c,
          true,
          "channel type '" + type.type() + "' failed unexpectedly: " + e.getClass().getName(),
          clock.millis());
    }
  }

  private Outcome afterFailure(Claimed c, boolean retryable, String error, long now) {
    if (!retryable) {
      return Outcome.failed(error);
    }
    if (now - c.alert().raisedAt >= settings.giveUpAfter().toMillis()) {
      return Outcome.failed(
          "given up after "
              + c.delivery().attempts
              + " attempt(s) in "
              + settings.giveUpAfter()
              + ": "
              + error);
    }
    return Outcome.retry(now + backoffMillis(c.delivery().attempts), error);
  }

  /** The wait after the {@code attempts}-th failed send: firstRetry doubling, capped. */
  long backoffMillis(int attempts) {
    long first = settings.firstRetry().toMillis();
    long max = settings.maxRetryDelay().toMillis();
    long wait = first;
    for (int i = 1; i < attempts && wait < max; i++) {
      wait *= 2;
    }
    return Math.min(wait, max);
  }

  private Map<String, Object> options(AlertChannel type, AlertChannelRow row)
      throws RuntimeException {
    Map<String, Object> stored;
    try {
      stored = MAPPER.readValue(row.options, new TypeReference<LinkedHashMap<String, Object>>() {});
    } catch (java.io.IOException e) {
      throw new IllegalStateException("unreadable options", e);
    }
    Map<String, Object> opened =
        ChannelOptions.open(type, stored, secrets, row.workspace, row.name);
    for (TaskOption o : type.options()) {
      Object v = opened.get(o.name());
      if (v == null) {
        if (o.defaultValue() != null) {
          opened.put(o.name(), o.defaultValue());
        }
      } else {
        opened.put(o.name(), o.type().convert(v));
      }
    }
    return opened;
  }

  static AlertMessage message(AlertRow a) {
    return new AlertMessage(
        a.idempotencyKey,
        a.kind,
        a.severity,
        a.workspace,
        a.ruleName,
        a.title,
        a.text,
        a.link,
        Instant.ofEpochMilli(a.raisedAt),
        Json.stringMap(a.facts),
        Math.max(1, a.itemCount));
  }

  /** {@code error} with the value of every secret option replaced by the mask. */
  private static String masked(String error, AlertChannel type, Map<String, Object> options) {
    String out = error;
    for (TaskOption o : type.options()) {
      if (o.secret() && options.get(o.name()) instanceof String s && s.length() >= 4) {
        out = out.replace(s, ChannelInfo.MASK);
      }
    }
    return out;
  }
}

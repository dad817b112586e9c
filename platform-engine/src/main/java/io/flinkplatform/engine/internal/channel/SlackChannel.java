package io.flinkplatform.engine.internal.channel;

import io.flinkplatform.spi.AlertDeliveryException;
import io.flinkplatform.spi.AlertMessage;
import io.flinkplatform.spi.OptionType;
import io.flinkplatform.spi.TaskOption;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A Slack incoming webhook, sent {@code {"text": ...}} in Slack's mrkdwn (with {@code &}, {@code <}
 * and {@code >} escaped as Slack asks). Slack answers 200 {@code ok}; its errors come as HTTP
 * statuses with a short code in the body ({@code invalid_payload}, {@code no_service}, ...): 429
 * and 5xx are retryable, the others are not.
 */
public final class SlackChannel extends ChatRobot {
  /** Slack cuts a message's text at 40,000 characters; stay below. */
  private static final int MAX_TEXT_CHARS = 39_000;

  private static final List<TaskOption> OPTIONS =
      List.of(
          TaskOption.required(
                  "webhook",
                  OptionType.STRING,
                  "The incoming webhook's URL (it holds the token, so it is a secret).")
              .asSecret());

  public SlackChannel() {
    super("slack", "Posts the alert to a Slack channel through an incoming webhook.", OPTIONS);
  }

  @Override
  public void send(AlertMessage message, Map<String, Object> options, Duration timeout)
      throws AlertDeliveryException {
    URI url = Texts.sendUrl(options, "webhook");
    List<String> secrets = Texts.secrets(OPTIONS, options);
    StringBuilder text = new StringBuilder("*").append(escape(message.title())).append("*\n");
    text.append(escape(message.text()));
    if (Texts.linkMissing(message)) {
      text.append("\n<").append(message.link()).append("|Open>");
    }
    String t = text.toString();
    if (t.length() > MAX_TEXT_CHARS) {
      t = t.substring(0, MAX_TEXT_CHARS) + "…";
    }
    HttpPost.Reply reply =
        HttpPost.post(
            url,
            HttpPost.json(Map.of("text", t)),
            Map.of(WebhookChannel.IDEMPOTENCY_KEY, message.idempotencyKey()),
            timeout,
            secrets);
    if (!reply.ok()) {
      throw HttpPost.statusFailure(url, reply, secrets);
    }
  }

  /** Slack's three control characters in text. */
  static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}

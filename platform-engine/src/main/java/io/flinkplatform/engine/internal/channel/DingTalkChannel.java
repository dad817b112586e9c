package io.flinkplatform.engine.internal.channel;

import io.flinkplatform.spi.AlertDeliveryException;
import io.flinkplatform.spi.AlertMessage;
import io.flinkplatform.spi.OptionType;
import io.flinkplatform.spi.TaskOption;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A DingTalk group's custom robot, sent a markdown message. With the robot's signing secret ({@code
 * SEC...}) the URL gets {@code &timestamp=<epoch ms>&sign=<sign>}, where sign is the URL-encoded
 * Base64 of HMAC-SHA256 keyed with the secret over {@code timestamp + "\n" + secret}, as DingTalk's
 * robot guide specifies. DingTalk answers {@code errcode} 0 when it took the message; any other
 * code is a failure, retryable only for its rate limit (130101) and "system busy" (-1).
 */
public final class DingTalkChannel extends ChatRobot {
  private static final Set<Integer> RETRYABLE_CODES = Set.of(130101, -1);
  private static final int MAX_TEXT_BYTES = 18_000;

  private static final List<TaskOption> OPTIONS =
      List.of(
          TaskOption.required(
                  "webhook",
                  OptionType.STRING,
                  "The robot's webhook URL with its access_token (a secret).")
              .asSecret(),
          TaskOption.optional(
                  "secret", OptionType.STRING, null, "The robot's signing secret (SEC...).")
              .asSecret());

  public DingTalkChannel() {
    super(
        "dingtalk",
        "Posts the alert as markdown to a DingTalk group's custom robot, signed when a secret is set.",
        OPTIONS);
  }

  @Override
  public void send(AlertMessage message, Map<String, Object> options, Duration timeout)
      throws AlertDeliveryException {
    URI url = Texts.sendUrl(options, "webhook");
    List<String> secrets = Texts.secrets(OPTIONS, options);
    String secret = Texts.string(options, "secret");
    URI target = url;
    if (secret != null) {
      long timestamp = Instant.now().toEpochMilli();
      String signed =
          url.toString()
              + (url.getRawQuery() == null ? "?" : "&")
              + "timestamp="
              + timestamp
              + "&sign="
              + sign(timestamp, secret);
      target = URI.create(signed);
    }
    StringBuilder text = new StringBuilder("#### ").append(message.title()).append("\n\n");
    text.append(message.text());
    if (Texts.linkMissing(message)) {
      text.append("\n\n[Open](").append(message.link()).append(")");
    }
    String body =
        HttpPost.json(
            Map.of(
                "msgtype",
                "markdown",
                "markdown",
                Map.of(
                    "title",
                    message.title(),
                    "text",
                    Texts.cutUtf8(text.toString(), MAX_TEXT_BYTES))));
    HttpPost.Reply reply =
        HttpPost.post(
            target,
            body,
            Map.of(WebhookChannel.IDEMPOTENCY_KEY, message.idempotencyKey()),
            timeout,
            secrets);
    HttpPost.checkRobotReply(
        "dingtalk", target, reply, List.of("errcode"), List.of("errmsg"), RETRYABLE_CODES, secrets);
  }

  /** URL-encoded Base64(HMAC-SHA256 with key {@code secret} over {@code timestamp\nsecret}). */
  static String sign(long timestampMillis, String secret) {
    byte[] mac = Texts.hmacSha256(Texts.utf8(secret), Texts.utf8(timestampMillis + "\n" + secret));
    return URLEncoder.encode(Base64.getEncoder().encodeToString(mac), StandardCharsets.UTF_8);
  }
}

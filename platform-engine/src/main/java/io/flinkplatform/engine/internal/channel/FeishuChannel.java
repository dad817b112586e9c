package io.flinkplatform.engine.internal.channel;

import io.flinkplatform.spi.AlertDeliveryException;
import io.flinkplatform.spi.AlertMessage;
import io.flinkplatform.spi.OptionType;
import io.flinkplatform.spi.TaskOption;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Feishu (Lark) group's custom bot. With the bot's signing secret, the body carries {@code
 * timestamp} (epoch seconds) and {@code sign} = Base64(HMAC-SHA256 keyed with {@code timestamp +
 * "\n" + secret} over an empty message), as Feishu's custom bot guide specifies. Feishu answers
 * HTTP 200 with {@code code} (older bots: {@code StatusCode}) 0 when it took the message; any other
 * code is a failure, retryable only for its rate limit (11232).
 */
public final class FeishuChannel extends ChatRobot {
  /** Feishu's "frequency limited": the bot sent too many messages; later may succeed. */
  private static final Set<Integer> RETRYABLE_CODES = Set.of(11232);

  private static final int MAX_TEXT_BYTES = 15_000;

  private static final List<TaskOption> OPTIONS =
      List.of(
          TaskOption.required(
                  "webhook",
                  OptionType.STRING,
                  "The bot's webhook URL (it holds the bot's token, so it is a secret).")
              .asSecret(),
          TaskOption.optional(
                  "secret", OptionType.STRING, null, "The bot's signature verification secret.")
              .asSecret(),
          TaskOption.optional(
                  "format",
                  OptionType.STRING,
                  "card",
                  "card: an interactive card with a link button; text: plain text.")
              .withAllowedValues("card", "text"));

  public FeishuChannel() {
    super(
        "feishu",
        "Posts the alert to a Feishu (Lark) group's custom bot as a card or as text.",
        OPTIONS);
  }

  @Override
  public void send(AlertMessage message, Map<String, Object> options, Duration timeout)
      throws AlertDeliveryException {
    URI url = Texts.sendUrl(options, "webhook");
    List<String> secrets = Texts.secrets(OPTIONS, options);
    Map<String, Object> body = new LinkedHashMap<>();
    String secret = Texts.string(options, "secret");
    if (secret != null) {
      long timestamp = Instant.now().getEpochSecond();
      body.put("timestamp", Long.toString(timestamp));
      body.put("sign", sign(timestamp, secret));
    }
    if ("text".equals(Texts.string(options, "format"))) {
      body.put("msg_type", "text");
      body.put("content", Map.of("text", plainText(message)));
    } else {
      body.put("msg_type", "interactive");
      body.put("card", card(message));
    }
    HttpPost.Reply reply =
        HttpPost.post(
            url,
            HttpPost.json(body),
            Map.of(WebhookChannel.IDEMPOTENCY_KEY, message.idempotencyKey()),
            timeout,
            secrets);
    HttpPost.checkRobotReply(
        "feishu",
        url,
        reply,
        List.of("code", "StatusCode"),
        List.of("msg", "StatusMessage"),
        RETRYABLE_CODES,
        secrets);
  }

  /** Base64(HMAC-SHA256 with key {@code timestamp + "\n" + secret} over no bytes). */
  static String sign(long timestamp, String secret) {
    byte[] mac = Texts.hmacSha256(Texts.utf8(timestamp + "\n" + secret), new byte[0]);
    return Base64.getEncoder().encodeToString(mac);
  }

  private static String plainText(AlertMessage m) {
    String text = m.title() + "\n" + m.text() + (Texts.linkMissing(m) ? "\n" + m.link() : "");
    return Texts.cutUtf8(text, MAX_TEXT_BYTES);
  }

  private static Map<String, Object> card(AlertMessage m) {
    String color =
        switch (m.severity()) {
          case "CRITICAL" -> "red";
          case "WARNING" -> "orange";
          default -> "blue";
        };
    List<Object> elements = new ArrayList<>();
    elements.add(
        Map.of(
            "tag",
            "div",
            "text",
            Map.of("tag", "lark_md", "content", Texts.cutUtf8(m.text(), MAX_TEXT_BYTES))));
    if (m.link() != null) {
      elements.add(
          Map.of(
              "tag",
              "action",
              "actions",
              List.of(
                  Map.of(
                      "tag",
                      "button",
                      "type",
                      "primary",
                      "url",
                      m.link(),
                      "text",
                      Map.of("tag", "plain_text", "content", "Open")))));
    }
    Map<String, Object> card = new LinkedHashMap<>();
    card.put("config", Map.of("wide_screen_mode", true));
    card.put(
        "header",
        Map.of("template", color, "title", Map.of("tag", "plain_text", "content", m.title())));
    card.put("elements", elements);
    return card;
  }
}

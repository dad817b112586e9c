package io.flinkplatform.engine.internal.channel;

import io.flinkplatform.spi.AlertDeliveryException;
import io.flinkplatform.spi.AlertMessage;
import io.flinkplatform.spi.OptionType;
import io.flinkplatform.spi.TaskOption;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A WeCom (WeChat Work) group robot, sent a markdown message. The robot's webhook URL holds its
 * {@code key}, which is all the authentication it has, so the URL is a secret. WeCom answers {@code
 * errcode} 0 when it took the message; any other code is a failure, retryable only for its rate
 * limit (45009) and "system busy" (-1). WeCom takes at most 4096 bytes of markdown: longer text is
 * cut.
 */
public final class WeComChannel extends ChatRobot {
  private static final Set<Integer> RETRYABLE_CODES = Set.of(45009, -1);
  private static final int MAX_CONTENT_BYTES = 4096;

  private static final List<TaskOption> OPTIONS =
      List.of(
          TaskOption.required(
                  "webhook", OptionType.STRING, "The robot's webhook URL with its key (a secret).")
              .asSecret());

  public WeComChannel() {
    super("wecom", "Posts the alert as markdown to a WeCom group robot.", OPTIONS);
  }

  @Override
  public void send(AlertMessage message, Map<String, Object> options, Duration timeout)
      throws AlertDeliveryException {
    URI url = Texts.sendUrl(options, "webhook");
    List<String> secrets = Texts.secrets(OPTIONS, options);
    String color =
        switch (message.severity()) {
          case "CRITICAL" -> "warning";
          case "WARNING" -> "comment";
          default -> "info";
        };
    StringBuilder content = new StringBuilder();
    content.append("**<font color=\"").append(color).append("\">");
    content.append(message.title()).append("</font>**\n");
    content.append(message.text());
    if (Texts.linkMissing(message)) {
      content.append("\n[Open](").append(message.link()).append(")");
    }
    String body =
        HttpPost.json(
            Map.of(
                "msgtype",
                "markdown",
                "markdown",
                Map.of("content", Texts.cutUtf8(content.toString(), MAX_CONTENT_BYTES))));
    HttpPost.Reply reply =
        HttpPost.post(
            url,
            body,
            Map.of(WebhookChannel.IDEMPOTENCY_KEY, message.idempotencyKey()),
            timeout,
            secrets);
    HttpPost.checkRobotReply(
        "wecom", url, reply, List.of("errcode"), List.of("errmsg"), RETRYABLE_CODES, secrets);
  }
}

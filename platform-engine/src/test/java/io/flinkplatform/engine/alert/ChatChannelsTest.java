package io.flinkplatform.engine.alert;

import static io.flinkplatform.engine.alert.Receiver.TIMEOUT;
import static io.flinkplatform.engine.alert.Receiver.channel;
import static io.flinkplatform.engine.alert.Receiver.failure;
import static io.flinkplatform.engine.alert.Receiver.message;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flinkplatform.spi.AlertDeliveryException;
import io.flinkplatform.spi.AlertMessage;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Feishu, DingTalk, WeCom and Slack against a real HTTP server standing in for the vendor: the
 * payload each vendor documents, the signature recomputed here from the vendor's documented
 * algorithm, and the vendor's error codes sorted into retryable and not.
 */
class ChatChannelsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOKEN = "b7e1c2d3-robot-token-4f5a";
  private static final String SECRET = "SECa1b2c3d4e5f6-signing-secret";
  private Receiver receiver;

  @BeforeEach
  void start() throws Exception {
    receiver = new Receiver();
  }

  @AfterEach
  void stop() {
    receiver.close();
  }

  // --- Feishu -----------------------------------------------------------------------------------

  @Test
  void feishuGetsASignedCardWhoseSignTheDocumentedAlgorithmReproduces() throws Exception {
    receiver.answer(200, "{\"code\":0,\"msg\":\"success\",\"data\":{}}");
    String webhook = receiver.url("/open-apis/bot/v2/hook/" + TOKEN);
    channel("feishu").send(message(), Map.of("webhook", webhook, "secret", SECRET), TIMEOUT);

    Receiver.Request r = receiver.next();
    assertThat(r.path()).isEqualTo("/open-apis/bot/v2/hook/" + TOKEN);
    JsonNode body = JSON.readTree(r.body());
    assertThat(body.get("msg_type").asText()).isEqualTo("interactive");
    JsonNode card = body.get("card");
    assertThat(card.at("/header/title/content").asText())
        .isEqualTo("[CRITICAL] run 42 of etl_daily FAILED");
    assertThat(card.at("/header/template").asText()).isEqualTo("red");
    assertThat(card.at("/elements/0/text/content").asText()).contains("failed at task load");
    assertThat(card.at("/elements/1/actions/0/url").asText())
        .isEqualTo("https://console.example.com/runs/42");

    // Feishu: key = timestamp + "\n" + secret, HmacSHA256 over an empty message, Base64
    String timestamp = body.get("timestamp").asText();
    assertThat(Long.parseLong(timestamp))
        .isBetween(Instant.now().getEpochSecond() - 300, Instant.now().getEpochSecond() + 5);
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(
        new SecretKeySpec(
            (timestamp + "\n" + SECRET).getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    String expected = Base64.getEncoder().encodeToString(mac.doFinal(new byte[0]));
    assertThat(body.get("sign").asText()).isEqualTo(expected);
  }

  @Test
  void feishuTextFormatWithoutSecretHasNoSignature() throws Exception {
    receiver.answer(200, "{\"StatusCode\":0,\"StatusMessage\":\"success\"}");
    channel("feishu")
        .send(
            message(),
            Map.of("webhook", receiver.url("/hook/" + TOKEN), "format", "text"),
            TIMEOUT);

    JsonNode body = JSON.readTree(receiver.next().body());
    assertThat(body.get("msg_type").asText()).isEqualTo("text");
    assertThat(body.at("/content/text").asText())
        .startsWith("[CRITICAL] run 42 of etl_daily FAILED\n")
        .contains("failed at task load")
        .endsWith("https://console.example.com/runs/42");
    assertThat(body.has("sign")).isFalse();
    assertThat(body.has("timestamp")).isFalse();
  }

  @Test
  void feishuSignatureErrorsAreFinalItsRateLimitIsRetryable() {
    Map<String, Object> options =
        Map.of("webhook", receiver.url("/open-apis/bot/v2/hook/" + TOKEN), "secret", SECRET);
    receiver.answer(
        200,
        "{\"code\":19021,\"msg\":\"sign match fail or timestamp is not within one hour from current time\",\"data\":{}}");
    AlertDeliveryException signature = failure(channel("feishu"), options, message());
    assertThat(signature.retryable()).isFalse();
    assertThat(signature.getMessage()).contains("19021").contains("sign match fail");
    assertSecretsHidden(signature);

    receiver.answer(200, "{\"StatusCode\":19024,\"StatusMessage\":\"Key Words Not Found\"}");
    assertThat(failure(channel("feishu"), options, message()).retryable()).isFalse();

    receiver.answer(200, "{\"code\":11232,\"msg\":\"frequency limited psm\",\"data\":{}}");
    AlertDeliveryException limited = failure(channel("feishu"), options, message());
    assertThat(limited.retryable()).isTrue();
    assertSecretsHidden(limited);

    receiver.answer(502, "<html>bad gateway</html>");
    assertThat(failure(channel("feishu"), options, message()).retryable()).isTrue();
    receiver.answer(400, "{\"code\":9499,\"msg\":\"Bad Request\",\"data\":{}}");
    AlertDeliveryException bad = failure(channel("feishu"), options, message());
    assertThat(bad.retryable()).isFalse();
    assertThat(bad.getMessage()).contains("9499").contains("HTTP 400");
  }

  // --- DingTalk ---------------------------------------------------------------------------------

  @Test
  void dingtalkGetsMarkdownAndATimestampAndSignInTheUrlThatReproduce() throws Exception {
    receiver.answer(200, "{\"errcode\":0,\"errmsg\":\"ok\"}");
    String webhook = receiver.url("/robot/send?access_token=" + TOKEN);
    channel("dingtalk").send(message(), Map.of("webhook", webhook, "secret", SECRET), TIMEOUT);

    Receiver.Request r = receiver.next();
    assertThat(r.path()).isEqualTo("/robot/send");
    Map<String, String> query = new LinkedHashMap<>();
    for (String pair : r.query().split("&")) {
      String[] kv = pair.split("=", 2);
      query.put(kv[0], kv[1]);
    }
    assertThat(query).containsEntry("access_token", TOKEN).containsKeys("timestamp", "sign");
    String timestamp = query.get("timestamp");
    assertThat(Long.parseLong(timestamp))
        .isBetween(Instant.now().toEpochMilli() - 300_000, Instant.now().toEpochMilli() + 5_000);
    // DingTalk: HmacSHA256 keyed with the secret over timestamp + "\n" + secret, Base64,
    // URL-encoded
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    String expected =
        Base64.getEncoder()
            .encodeToString(
                mac.doFinal((timestamp + "\n" + SECRET).getBytes(StandardCharsets.UTF_8)));
    assertThat(URLDecoder.decode(query.get("sign"), StandardCharsets.UTF_8)).isEqualTo(expected);

    JsonNode body = JSON.readTree(r.body());
    assertThat(body.get("msgtype").asText()).isEqualTo("markdown");
    assertThat(body.at("/markdown/title").asText())
        .isEqualTo("[CRITICAL] run 42 of etl_daily FAILED");
    assertThat(body.at("/markdown/text").asText())
        .contains("failed at task load")
        .contains("(https://console.example.com/runs/42)");
  }

  @Test
  void dingtalkRefusalsAreFinalItsRateLimitAndBusyAreRetryable() {
    Map<String, Object> options =
        Map.of("webhook", receiver.url("/robot/send?access_token=" + TOKEN), "secret", SECRET);
    receiver.answer(200, "{\"errcode\":310000,\"errmsg\":\"sign not match\"}");
    AlertDeliveryException sign = failure(channel("dingtalk"), options, message());
    assertThat(sign.retryable()).isFalse();
    assertThat(sign.getMessage()).contains("310000").contains("sign not match");
    assertSecretsHidden(sign);

    receiver.answer(200, "{\"errcode\":300001,\"errmsg\":\"token is not exist\"}");
    assertThat(failure(channel("dingtalk"), options, message()).retryable()).isFalse();

    receiver.answer(
        200, "{\"errcode\":130101,\"errmsg\":\"send too fast, exceed 20 times per minute\"}");
    assertThat(failure(channel("dingtalk"), options, message()).retryable()).isTrue();
    receiver.answer(200, "{\"errcode\":-1,\"errmsg\":\"system busy\"}");
    AlertDeliveryException busy = failure(channel("dingtalk"), options, message());
    assertThat(busy.retryable()).isTrue();
    assertSecretsHidden(busy);
  }

  // --- WeCom ------------------------------------------------------------------------------------

  @Test
  void wecomGetsMarkdownCutToItsLimit() throws Exception {
    receiver.answer(200, "{\"errcode\":0,\"errmsg\":\"ok\"}");
    String webhook = receiver.url("/cgi-bin/webhook/send?key=" + TOKEN);
    channel("wecom").send(message(), Map.of("webhook", webhook), TIMEOUT);

    Receiver.Request r = receiver.next();
    assertThat(r.query()).isEqualTo("key=" + TOKEN);
    assertThat(r.header("Idempotency-Key")).isEqualTo("3f1c9e0ab27d4c55");
    JsonNode body = JSON.readTree(r.body());
    assertThat(body.get("msgtype").asText()).isEqualTo("markdown");
    assertThat(body.at("/markdown/content").asText())
        .contains("[CRITICAL] run 42 of etl_daily FAILED")
        .contains("failed at task load")
        .contains("[Open](https://console.example.com/runs/42)");

    AlertMessage m = message();
    AlertMessage longOne =
        new AlertMessage(
            m.idempotencyKey(),
            m.kind(),
            m.severity(),
            m.workspace(),
            m.rule(),
            m.title(),
            "失败".repeat(3000),
            m.link(),
            m.at(),
            m.facts(),
            m.count());
    channel("wecom").send(longOne, Map.of("webhook", webhook), TIMEOUT);
    String content = JSON.readTree(receiver.next().body()).at("/markdown/content").asText();
    assertThat(content.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(4096);
    assertThat(content).endsWith("…");
  }

  @Test
  void wecomRefusalsAreFinalItsRateLimitIsRetryable() {
    Map<String, Object> options =
        Map.of("webhook", receiver.url("/cgi-bin/webhook/send?key=" + TOKEN));
    receiver.answer(
        200, "{\"errcode\":93000,\"errmsg\":\"invalid webhook url, hint: key=" + TOKEN + "\"}");
    AlertDeliveryException invalid = failure(channel("wecom"), options, message());
    assertThat(invalid.retryable()).isFalse();
    assertThat(invalid.getMessage()).contains("93000");
    assertSecretsHidden(invalid);

    receiver.answer(200, "{\"errcode\":45009,\"errmsg\":\"api freq out of limit\"}");
    assertThat(failure(channel("wecom"), options, message()).retryable()).isTrue();
  }

  // --- Slack ------------------------------------------------------------------------------------

  @Test
  void slackGetsEscapedTextWithTheLink() throws Exception {
    receiver.answer(200, "ok");
    AlertMessage m = message();
    AlertMessage withMarkup =
        new AlertMessage(
            m.idempotencyKey(),
            m.kind(),
            m.severity(),
            m.workspace(),
            m.rule(),
            m.title(),
            "rows < 10 & lag > 5m",
            m.link(),
            m.at(),
            m.facts(),
            m.count());
    channel("slack")
        .send(withMarkup, Map.of("webhook", receiver.url("/services/T0/B0/" + TOKEN)), TIMEOUT);

    JsonNode body = JSON.readTree(receiver.next().body());
    assertThat(body.get("text").asText())
        .startsWith("*[CRITICAL] run 42 of etl_daily FAILED*\n")
        .contains("rows &lt; 10 &amp; lag &gt; 5m")
        .endsWith("<https://console.example.com/runs/42|Open>");
  }

  @Test
  void chatTextShowsALinkTheAlertTextAlreadyHoldsOnce() throws Exception {
    receiver.answer(200, "{\"errcode\":0,\"errmsg\":\"ok\"}");
    String link = "https://console.example.com/runs/42";
    AlertMessage m = Receiver.messageWithLinkInText();
    channel("slack").send(m, Map.of("webhook", receiver.url("/s/" + TOKEN)), TIMEOUT);
    assertThat(Receiver.occurrences(receiver.next().body(), link)).isEqualTo(1);
    channel("wecom").send(m, Map.of("webhook", receiver.url("/w?key=" + TOKEN)), TIMEOUT);
    assertThat(Receiver.occurrences(receiver.next().body(), link)).isEqualTo(1);
    channel("dingtalk").send(m, Map.of("webhook", receiver.url("/d?t=" + TOKEN)), TIMEOUT);
    assertThat(Receiver.occurrences(receiver.next().body(), link)).isEqualTo(1);
    channel("feishu")
        .send(m, Map.of("webhook", receiver.url("/f/" + TOKEN), "format", "text"), TIMEOUT);
    assertThat(Receiver.occurrences(receiver.next().body(), link)).isEqualTo(1);
  }

  @Test
  void slackErrorsSayTheirCodeAndOnlyRateLimitsAndServerErrorsAreRetryable() {
    Map<String, Object> options = Map.of("webhook", receiver.url("/services/T0/B0/" + TOKEN));
    receiver.answer(404, "no_service");
    AlertDeliveryException gone = failure(channel("slack"), options, message());
    assertThat(gone.retryable()).isFalse();
    assertThat(gone.getMessage()).contains("HTTP 404").contains("no_service");
    assertSecretsHidden(gone);
    receiver.answer(400, "invalid_payload");
    assertThat(failure(channel("slack"), options, message()).retryable()).isFalse();
    receiver.answer(429, "rate_limited");
    assertThat(failure(channel("slack"), options, message()).retryable()).isTrue();
    receiver.answer(500, "rollup_error");
    assertThat(failure(channel("slack"), options, message()).retryable()).isTrue();
  }

  private static void assertSecretsHidden(AlertDeliveryException e) {
    assertThat(e.getMessage()).doesNotContain(TOKEN).doesNotContain(SECRET);
    assertThat(e.toString()).doesNotContain(TOKEN).doesNotContain(SECRET);
  }
}

package io.flinkplatform.engine.alert;

import static io.flinkplatform.engine.alert.Receiver.TIMEOUT;
import static io.flinkplatform.engine.alert.Receiver.channel;
import static io.flinkplatform.engine.alert.Receiver.failure;
import static io.flinkplatform.engine.alert.Receiver.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.flinkplatform.spi.AlertChannel;
import io.flinkplatform.spi.AlertDeliveryException;
import io.flinkplatform.spi.InvalidInputException;
import io.flinkplatform.spi.TaskOption;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The built-in channel types are found through ServiceLoader, and the generic webhook sends the
 * alert, its idempotency key and a signature a receiver can check, to a real HTTP server.
 */
class ChannelsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SECRET = "whsec-Zq81-very-secret";
  private static final String TOKEN = "tok-5523-do-not-show";
  private Receiver receiver;

  @BeforeEach
  void start() throws Exception {
    receiver = new Receiver();
  }

  @AfterEach
  void stop() {
    receiver.close();
  }

  @Test
  void theSixBuiltInTypesAreFoundThroughServiceLoader() {
    assertThat(Receiver.CHANNELS.all())
        .extracting(AlertChannel::type)
        .contains("webhook", "feishu", "dingtalk", "wecom", "slack", "email");
    for (String type : List.of("webhook", "feishu", "dingtalk", "wecom", "slack", "email")) {
      AlertChannel c = channel(type);
      assertThat(c.description()).isNotBlank().isNotEqualTo(type);
      assertThat(c.options()).isNotEmpty();
    }
    for (String chat : List.of("feishu", "dingtalk", "wecom", "slack")) {
      assertThat(option(channel(chat), "webhook").secret())
          .as("%s's webhook holds a token", chat)
          .isTrue();
    }
    assertThat(option(channel("webhook"), "secret").secret()).isTrue();
    assertThat(option(channel("email"), "password").secret()).isTrue();
  }

  @Test
  void aSignedWebhookCarriesTheAlertTheKeyAndAnHmacTheReceiverCanRecompute() throws Exception {
    String url = receiver.url("/alerts/" + TOKEN + "?team=ops");
    channel("webhook")
        .send(
            message(),
            Map.of("url", url, "secret", SECRET, "headers", Map.of("X-Team", "ops")),
            TIMEOUT);

    Receiver.Request r = receiver.next();
    assertThat(r.method()).isEqualTo("POST");
    assertThat(r.path()).isEqualTo("/alerts/" + TOKEN);
    assertThat(r.query()).isEqualTo("team=ops");
    assertThat(r.header("Content-Type")).startsWith("application/json");
    assertThat(r.header("Idempotency-Key")).isEqualTo("3f1c9e0ab27d4c55");
    assertThat(r.header("X-Team")).isEqualTo("ops");
    JsonNode body = JSON.readTree(r.body());
    assertThat(body.get("idempotencyKey").asText()).isEqualTo("3f1c9e0ab27d4c55");
    assertThat(body.get("kind").asText()).isEqualTo("RUN_FAILED");
    assertThat(body.get("severity").asText()).isEqualTo("CRITICAL");
    assertThat(body.get("workspace").asText()).isEqualTo("sales");
    assertThat(body.get("rule").asText()).isEqualTo("etl-failures");
    assertThat(body.get("title").asText()).isEqualTo("[CRITICAL] run 42 of etl_daily FAILED");
    assertThat(body.get("text").asText()).contains("failed at task load");
    assertThat(body.get("link").asText()).isEqualTo("https://console.example.com/runs/42");
    assertThat(body.get("at").asText()).isEqualTo("2024-03-01T02:03:04Z");
    assertThat(body.get("facts").get("workflow").asText()).isEqualTo("etl_daily");
    assertThat(body.get("count").asInt()).isEqualTo(1);

    // the receiver's check, from the documented scheme: hex HMAC-SHA256(secret, ts + "." + body)
    String timestamp = r.header("X-FlinkPlatform-Timestamp");
    assertThat(Long.parseLong(timestamp))
        .isBetween(Instant.now().getEpochSecond() - 300, Instant.now().getEpochSecond() + 5);
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    String expected =
        HexFormat.of()
            .formatHex(mac.doFinal((timestamp + "." + r.body()).getBytes(StandardCharsets.UTF_8)));
    assertThat(r.header("X-FlinkPlatform-Signature")).isEqualTo("sha256=" + expected);
  }

  @Test
  void anUnsignedWebhookSendsNoSignatureButItsAuthorization() throws Exception {
    channel("webhook")
        .send(
            message(),
            Map.of("url", receiver.url("/in"), "authorization", "Bearer " + TOKEN),
            TIMEOUT);

    Receiver.Request r = receiver.next();
    assertThat(r.header("X-FlinkPlatform-Signature")).isNull();
    assertThat(r.header("X-FlinkPlatform-Timestamp")).isNull();
    assertThat(r.header("Authorization")).isEqualTo("Bearer " + TOKEN);
    assertThat(r.header("Idempotency-Key")).isEqualTo("3f1c9e0ab27d4c55");
  }

  @Test
  void serverErrorsRateLimitsAndTimeoutsAreRetryableOtherClientErrorsAreNot() {
    String url = receiver.url("/alerts/" + TOKEN + "?token=" + TOKEN);
    Map<String, Object> options = Map.of("url", url, "secret", SECRET);
    for (int status : new int[] {500, 502, 503, 429, 408}) {
      receiver.answer(status, "{\"error\":\"busy\"}");
      AlertDeliveryException e = failure(channel("webhook"), options, message());
      assertThat(e.retryable()).as("HTTP %s", status).isTrue();
      assertThat(e.getMessage())
          .contains("HTTP " + status)
          .contains(receiver.hostAndPort())
          .doesNotContain(TOKEN)
          .doesNotContain(SECRET);
      assertThat(e.toString()).doesNotContain(TOKEN).doesNotContain(SECRET);
    }
    for (int status : new int[] {400, 401, 403, 404, 410, 301}) {
      receiver.answer(status, "");
      AlertDeliveryException e = failure(channel("webhook"), options, message());
      assertThat(e.retryable()).as("HTTP %s", status).isFalse();
      assertThat(e.getMessage())
          .contains("HTTP " + status)
          .doesNotContain(TOKEN)
          .doesNotContain(SECRET);
    }
  }

  @Test
  void aReceiverThatEchoesTheUrlOrSecretHasThemBlankedInTheError() {
    String url = receiver.url("/alerts/" + TOKEN);
    receiver.answer(400, "bad signature for " + url + " with key " + SECRET);
    AlertDeliveryException e =
        failure(channel("webhook"), Map.of("url", url, "secret", SECRET), message());
    assertThat(e.getMessage()).contains("HTTP 400").doesNotContain(TOKEN).doesNotContain(SECRET);
  }

  @Test
  void aStoredAuthorizationTheHttpClientRefusesFailsFinallyWithoutQuotingIt() {
    AlertDeliveryException e =
        failure(
            channel("webhook"),
            Map.of(
                "url", receiver.url("/in"), "authorization", "Bearer " + TOKEN + "\r\nX-Evil: 1"),
            message());
    assertThat(e.retryable()).isFalse();
    assertThat(e.getMessage()).contains(receiver.hostAndPort()).doesNotContain(TOKEN);
  }

  @Test
  void anUnreachableReceiverIsRetryable() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    String url = "http://127.0.0.1:" + closedPort + "/alerts/" + TOKEN;
    AlertDeliveryException e = failure(channel("webhook"), Map.of("url", url), message());
    assertThat(e.retryable()).isTrue();
    assertThat(e.getMessage()).contains("127.0.0.1:" + closedPort).doesNotContain(TOKEN);
  }

  @Test
  void aReceiverThatDoesNotAnswerWithinTheTimeoutIsRetryable() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    HttpServer slow = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    slow.createContext(
        "/",
        exchange -> {
          try (exchange) {
            release.await();
            exchange.sendResponseHeaders(200, -1);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    slow.start();
    try {
      String url = "http://127.0.0.1:" + slow.getAddress().getPort() + "/hook/" + TOKEN;
      AlertDeliveryException e = null;
      try {
        channel("webhook").send(message(), Map.of("url", url), Duration.ofMillis(300));
      } catch (AlertDeliveryException thrown) {
        e = thrown;
      }
      assertThat(e).as("the send gave up").isNotNull();
      assertThat(e.retryable()).isTrue();
      assertThat(e.getMessage()).contains("no answer").doesNotContain(TOKEN);
    } finally {
      release.countDown();
      slow.stop(0);
    }
  }

  @Test
  void badOptionsAreRefusedNamingTheOptionWithoutEchoingTheUrl() {
    AlertChannel webhook = channel("webhook");
    for (String bad :
        List.of("ftp://hooks.example.com/" + TOKEN, "hooks.example.com/" + TOKEN, "https:///x")) {
      assertThatThrownBy(() -> webhook.validate(Map.of("url", bad)))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("http or https")
          .hasMessageNotContaining(TOKEN)
          .satisfies(e -> assertThat(((InvalidInputException) e).field()).isEqualTo("url"));
    }
    assertThatThrownBy(
            () ->
                webhook.validate(Map.of("url", "https://user:" + TOKEN + "@hooks.example.com/in")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageNotContaining(TOKEN);
    assertThatThrownBy(
            () ->
                webhook.validate(
                    Map.of(
                        "url",
                        "https://hooks.example.com/in",
                        "headers",
                        Map.of("Idempotency-Key", "x"))))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("Idempotency-Key")
        .satisfies(e -> assertThat(((InvalidInputException) e).field()).isEqualTo("headers"));
    assertThatThrownBy(
            () ->
                webhook.validate(
                    Map.of(
                        "url",
                        "https://hooks.example.com/in",
                        "headers",
                        Map.of("authorization", "Bearer " + TOKEN))))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("secret option 'authorization'")
        .hasMessageNotContaining(TOKEN);
    assertThatThrownBy(
            () ->
                webhook.validate(
                    Map.of(
                        "url",
                        "https://hooks.example.com/in",
                        "authorization",
                        "Bearer " + TOKEN + "\r\nX-Evil: 1")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageNotContaining(TOKEN)
        .satisfies(e -> assertThat(((InvalidInputException) e).field()).isEqualTo("authorization"));
    for (String chat : List.of("feishu", "dingtalk", "wecom", "slack")) {
      assertThatThrownBy(() -> channel(chat).validate(Map.of("webhook", "file:///etc/" + TOKEN)))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageNotContaining(TOKEN)
          .satisfies(e -> assertThat(((InvalidInputException) e).field()).isEqualTo("webhook"));
      channel(chat).validate(Map.of("webhook", "https://chat.example.com/hook/" + TOKEN));
    }
    webhook.validate(Map.of("url", "https://hooks.example.com/in", "headers", Map.of("X-A", "b")));
  }

  private static TaskOption option(AlertChannel c, String name) {
    return c.options().stream().filter(o -> o.name().equals(name)).findFirst().orElseThrow();
  }
}

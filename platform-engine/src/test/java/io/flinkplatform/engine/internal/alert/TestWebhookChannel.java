package io.flinkplatform.engine.internal.alert;

import io.flinkplatform.spi.AlertChannel;
import io.flinkplatform.spi.AlertDeliveryException;
import io.flinkplatform.spi.AlertMessage;
import io.flinkplatform.spi.OptionType;
import io.flinkplatform.spi.TaskOption;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A tiny webhook for the delivery tests ({@code test_webhook}): POSTs the title, the count and the
 * text as plain text to {@code url} with the {@code Idempotency-Key} header. A 2xx is delivered; a
 * 5xx, a 429 or no answer is retryable; any other status is not. The secret option {@code token} is
 * sent as {@code X-Token}, and (carelessly) named in the error.
 */
public final class TestWebhookChannel implements AlertChannel {
  public static final String TYPE = "test_webhook";

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public List<TaskOption> options() {
    return List.of(
        TaskOption.required("url", OptionType.STRING, "where to POST"),
        TaskOption.optional("token", OptionType.STRING, null, "sent as X-Token").asSecret());
  }

  @Override
  public void send(AlertMessage message, Map<String, Object> options, Duration timeout)
      throws AlertDeliveryException {
    String token = (String) options.get("token");
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create((String) options.get("url")));
    if (token != null) {
      builder.header("X-Token", token);
    }
    HttpRequest request =
        builder
            .timeout(timeout)
            .header("Idempotency-Key", message.idempotencyKey())
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    message.title() + "\n" + message.count() + "\n" + message.text()))
            .build();
    int status;
    try {
      status = HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      throw new AlertDeliveryException("no answer: " + e.getClass().getSimpleName(), true, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AlertDeliveryException("interrupted", true, e);
    }
    if (status / 100 == 2) {
      return;
    }
    // careless on purpose: the platform masks secret values a channel puts in its message
    throw new AlertDeliveryException(
        "HTTP " + status + " from the receiver" + (token == null ? "" : " for token " + token),
        status >= 500 || status == 429);
  }
}

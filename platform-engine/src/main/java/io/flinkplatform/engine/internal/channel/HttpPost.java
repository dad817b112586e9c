package io.flinkplatform.engine.internal.channel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flinkplatform.spi.AlertDeliveryException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Posts JSON to a receiver and turns what went wrong into an {@link AlertDeliveryException} that
 * names the receiver's host and the status, never the URL's path or query (a robot's token lives
 * there) nor a secret. Redirects are not followed: a webhook that moved is a configuration error.
 */
final class HttpPost {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final String USER_AGENT = "flink-platform-alerts";
  private static final int DETAIL_CHARS = 200;

  private HttpPost() {}

  /** What the receiver answered. */
  record Reply(int status, String body) {
    boolean ok() {
      return status >= 200 && status < 300;
    }
  }

  /** One client for every channel: its threads are daemons and it keeps no credentials. */
  private static final class Client {
    static final HttpClient INSTANCE =
        HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(30))
            .build();
  }

  /**
   * Posts {@code json} to {@code uri} and waits at most {@code timeout} for the whole answer.
   *
   * @param secrets values to blank out of any message (the channel's secret options)
   * @throws AlertDeliveryException retryable when the receiver could not be reached in time
   */
  static Reply post(
      URI uri,
      String json,
      Map<String, String> headers,
      Duration timeout,
      Collection<String> secrets)
      throws AlertDeliveryException {
    HttpRequest request;
    try {
      HttpRequest.Builder builder =
          HttpRequest.newBuilder(uri)
              .timeout(timeout)
              .header("Content-Type", "application/json; charset=utf-8")
              .header("User-Agent", USER_AGENT)
              .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
      headers.forEach(builder::header);
      request = builder.build();
    } catch (IllegalArgumentException e) {
      // the JDK's message quotes the bad header's value, which may be a secret
      throw new AlertDeliveryException(
          "the request to " + host(uri) + " has a header the HTTP client refuses", false);
    }
    CompletableFuture<HttpResponse<String>> call = Client.INSTANCE.sendAsync(request, bounded());
    try {
      HttpResponse<String> response = call.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return new Reply(response.statusCode(), response.body() == null ? "" : response.body());
    } catch (TimeoutException e) {
      call.cancel(true);
      throw new AlertDeliveryException(
          "no answer from " + host(uri) + " within " + timeout.toMillis() + " ms", true);
    } catch (InterruptedException e) {
      call.cancel(true);
      Thread.currentThread().interrupt();
      throw new AlertDeliveryException("interrupted while posting to " + host(uri), true);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (cause instanceof HttpTimeoutException) {
        throw new AlertDeliveryException(
            "no answer from " + host(uri) + " within " + timeout.toMillis() + " ms", true);
      }
      // the JDK's messages name at most the host; blank the URL and secrets all the same
      String why = cause.getClass().getSimpleName();
      if (cause.getMessage() != null) {
        why += ": " + Texts.scrub(cause.getMessage(), secrets, uri);
      }
      throw new AlertDeliveryException(
          "could not post to " + host(uri) + " (" + why + ")",
          cause instanceof IOException || cause instanceof IllegalStateException);
    }
  }

  /** {@code host} or {@code host:port}: what an error may say about where it went. */
  static String host(URI uri) {
    return uri.getPort() == -1 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
  }

  /**
   * The failure for a non-2xx status: 408, 429 and 5xx are worth a retry, any other status is not
   * (the request or the channel's options are wrong).
   */
  static AlertDeliveryException statusFailure(URI uri, Reply reply, Collection<String> secrets) {
    int s = reply.status();
    boolean retryable = s == 408 || s == 429 || s >= 500;
    String detail = Texts.oneLine(Texts.scrub(reply.body(), secrets, uri), DETAIL_CHARS);
    String why = s >= 300 && s < 400 ? " (redirects are not followed)" : "";
    return new AlertDeliveryException(
        "HTTP " + s + " from " + host(uri) + why + (detail.isEmpty() ? "" : ": " + detail),
        retryable);
  }

  /**
   * Checks a chat robot's answer: a JSON body whose {@code codeField} (the first of them present)
   * is not 0 is a failure, retryable only for {@code retryableCodes} (rate limits, a busy system);
   * without such a field the HTTP status decides.
   */
  static void checkRobotReply(
      String vendor,
      URI uri,
      Reply reply,
      List<String> codeFields,
      List<String> messageFields,
      Set<Integer> retryableCodes,
      Collection<String> secrets)
      throws AlertDeliveryException {
    JsonNode body = parse(reply.body());
    JsonNode code = null;
    for (String f : codeFields) {
      if (body != null && body.path(f).isIntegralNumber()) {
        code = body.get(f);
        break;
      }
    }
    if (code != null && code.asLong() != 0) {
      String message = "";
      for (String f : messageFields) {
        if (body.path(f).isTextual()) {
          message = Texts.oneLine(Texts.scrub(body.get(f).asText(), secrets, uri), DETAIL_CHARS);
          break;
        }
      }
      throw new AlertDeliveryException(
          vendor
              + " refused the message from "
              + host(uri)
              + ": code "
              + code.asLong()
              + (message.isEmpty() ? "" : " (" + message + ")")
              + (reply.ok() ? "" : ", HTTP " + reply.status()),
          retryableCodes.contains(code.asInt()));
    }
    if (!reply.ok()) {
      throw statusFailure(uri, reply, secrets);
    }
  }

  private static JsonNode parse(String body) {
    try {
      JsonNode node = JSON.readTree(body);
      return node != null && node.isObject() ? node : null;
    } catch (IOException e) {
      return null;
    }
  }

  /** {@code value} as JSON text. */
  static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write the alert as JSON", e);
    }
  }

  /** Most bytes of a receiver's answer kept: a hostile one cannot fill the memory. */
  static final int MAX_ANSWER = 64 * 1024;

  /** The answer as text, its first {@link #MAX_ANSWER} bytes; the rest is read and dropped. */
  private static HttpResponse.BodyHandler<String> bounded() {
    return info -> {
      java.io.ByteArrayOutputStream kept = new java.io.ByteArrayOutputStream();
      return HttpResponse.BodySubscribers.mapping(
          HttpResponse.BodySubscribers.ofByteArrayConsumer(
              chunk ->
                  chunk.ifPresent(
                      b ->
                          kept.write(
                              b, 0, Math.max(0, Math.min(b.length, MAX_ANSWER - kept.size()))))),
          done -> kept.toString(StandardCharsets.UTF_8));
    };
  }
}

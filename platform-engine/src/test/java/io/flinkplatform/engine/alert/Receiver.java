package io.flinkplatform.engine.alert;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.flinkplatform.engine.internal.alert.ChannelRegistry;
import io.flinkplatform.spi.AlertChannel;
import io.flinkplatform.spi.AlertDeliveryException;
import io.flinkplatform.spi.AlertMessage;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A real HTTP receiver on 127.0.0.1 for the channel tests: it keeps every request it gets and
 * answers with the status and body it is told to.
 */
final class Receiver implements AutoCloseable {
  /** A request as the receiver saw it. */
  record Request(
      String method, String path, String query, Map<String, List<String>> headers, String body) {
    String header(String name) {
      for (Map.Entry<String, List<String>> e : headers.entrySet()) {
        if (e.getKey() != null && e.getKey().equalsIgnoreCase(name)) {
          return e.getValue().get(0);
        }
      }
      return null;
    }
  }

  private final HttpServer server;
  private final BlockingQueue<Request> requests = new LinkedBlockingQueue<>();
  private volatile int status = 200;
  private volatile String body = "";

  Receiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String got = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      requests.add(
          new Request(
              exchange.getRequestMethod(),
              exchange.getRequestURI().getRawPath(),
              exchange.getRequestURI().getRawQuery(),
              Map.copyOf(exchange.getRequestHeaders()),
              got));
      byte[] answer = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(status, answer.length == 0 ? -1 : answer.length);
      if (answer.length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(answer);
        }
      }
    }
  }

  /** Answer every following request with {@code status} and {@code body}. */
  Receiver answer(int status, String body) {
    this.status = status;
    this.body = body;
    return this;
  }

  /** The URL of {@code pathAndQuery} on this receiver, e.g. {@code /hook/abc?key=1}. */
  String url(String pathAndQuery) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + pathAndQuery;
  }

  String hostAndPort() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  /** The next request, waiting up to five seconds for it. */
  Request next() throws InterruptedException {
    Request r = requests.poll(5, TimeUnit.SECONDS);
    assertThat(r).as("a request reached the receiver").isNotNull();
    return r;
  }

  @Override
  public void close() {
    server.stop(0);
  }

  static final ChannelRegistry CHANNELS = ChannelRegistry.discover(Receiver.class.getClassLoader());

  static AlertChannel channel(String type) {
    return CHANNELS.get(type);
  }

  static final Duration TIMEOUT = Duration.ofSeconds(10);

  static AlertMessage message() {
    return new AlertMessage(
        "3f1c9e0ab27d4c55",
        "RUN_FAILED",
        "CRITICAL",
        "sales",
        "etl-failures",
        "[CRITICAL] run 42 of etl_daily FAILED",
        "Run 42 of etl_daily failed at task load.\nState: FAILED",
        "https://console.example.com/runs/42",
        Instant.parse("2024-03-01T02:03:04Z"),
        Map.of("run", "42", "workflow", "etl_daily", "task", "load"),
        1);
  }

  /** {@link #message()} with the link already in its text, as the default templates write it. */
  static AlertMessage messageWithLinkInText() {
    AlertMessage m = message();
    return new AlertMessage(
        m.idempotencyKey(),
        m.kind(),
        m.severity(),
        m.workspace(),
        m.rule(),
        m.title(),
        "Run 42 of etl_daily ended FAILED.\n" + m.link(),
        m.link(),
        m.at(),
        m.facts(),
        m.count());
  }

  /** How often {@code part} occurs in {@code text}. */
  static int occurrences(String text, String part) {
    int n = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + part.length())) {
      n++;
    }
    return n;
  }

  /** Sends and expects a failure; returns it. */
  static AlertDeliveryException failure(
      AlertChannel channel, Map<String, Object> options, AlertMessage message) {
    try {
      channel.send(message, options, TIMEOUT);
    } catch (AlertDeliveryException e) {
      return e;
    }
    throw new AssertionError("expected the send to fail");
  }

  /** The path and query of a URL, which an error message must not show. */
  static String pathAndQuery(String url) {
    URI u = URI.create(url);
    return u.getRawPath() + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
  }
}

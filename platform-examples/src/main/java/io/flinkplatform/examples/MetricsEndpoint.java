package io.flinkplatform.examples;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * What a host does to let Prometheus scrape the platform: a {@link PrometheusMeterRegistry} given
 * to {@code Platform.builder().meterRegistry(...)}, and {@code GET /metrics} answering its {@link
 * PrometheusMeterRegistry#scrape() scrape} in the text format, on 127.0.0.1 with the JDK's HTTP
 * server. A host with Spring Boot gets the same from the actuator's {@code /actuator/prometheus}.
 */
public final class MetricsEndpoint implements AutoCloseable {
  /** The port of {@code --metrics} without one (the usual port of a Prometheus exporter). */
  public static final int DEFAULT_PORT = 9464;

  private final PrometheusMeterRegistry registry;
  private final HttpServer server;

  private MetricsEndpoint(PrometheusMeterRegistry registry, HttpServer server) {
    this.registry = registry;
    this.server = server;
  }

  /** Serves {@code /metrics} on 127.0.0.1:{@code port} (0 for any free port). */
  public static MetricsEndpoint start(int port) throws IOException {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    server.createContext(
        "/metrics",
        exchange -> {
          try (exchange) {
            if (!exchange.getRequestMethod().equals("GET")) {
              exchange.sendResponseHeaders(405, -1);
              return;
            }
            byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
            exchange
                .getResponseHeaders()
                .set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(body);
            }
          }
        });
    server.start();
    return new MetricsEndpoint(registry, server);
  }

  /** The registry to give the platform. */
  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** Where Prometheus scrapes: {@code http://127.0.0.1:PORT/metrics}. */
  public URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/metrics");
  }

  @Override
  public void close() {
    server.stop(0);
    registry.close();
  }
}

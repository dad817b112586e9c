package io.flinkplatform.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example with {@code --metrics}: Prometheus scrapes the run's meters over HTTP. */
class ExampleMetricsTest {
  @Test
  void prometheusScrapesTheRunsMetersFromTheExampleHost(@TempDir Path logs) throws Exception {
    List<String> scrapes = new ArrayList<>();
    int code =
        ExampleApp.run(
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            logs,
            null,
            null,
            0,
            uri -> {
              assertThat(uri.getHost()).isEqualTo("127.0.0.1");
              HttpClient http = HttpClient.newHttpClient();
              // the run's end counter comes from an event, delivered off the engine's threads
              long end = System.nanoTime() + 30_000_000_000L;
              HttpResponse<String> r;
              do {
                r =
                    http.send(
                        HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(200);
              } while (!r.body().contains("flinkplatform_runs_ended_total{")
                  && System.nanoTime() < end
                  && pause());
              assertThat(r.headers().firstValue("Content-Type").orElseThrow())
                  .startsWith("text/plain");
              scrapes.add(r.body());
            });
    assertThat(code).isZero();
    String scrape = scrapes.get(0);
    assertThat(scrape)
        .containsPattern(
            "flinkplatform_runs_started_total\\{[^}]*workflow=\"daily_sales\"[^}]*\\} 1\\.0")
        .containsPattern(
            "flinkplatform_runs_ended_total\\{[^}]*state=\"SUCCESS\"[^}]*workflow=\"daily_sales\"")
        .contains("flinkplatform_attempts_ended_total{")
        .contains("task_type=\"shell\"")
        .contains("flinkplatform_task_duration_seconds_bucket{")
        .contains("flinkplatform_claim_batch_attempts_count{")
        .contains("flinkplatform_health{instance=\"example\"} 1.0");
  }

  @Test
  void theMetricsFlagTakesAnOptionalPort() {
    assertThat(ExampleApp.metricsPort(new String[] {"--console"})).isNull();
    assertThat(ExampleApp.metricsPort(new String[] {"--metrics"}))
        .isEqualTo(MetricsEndpoint.DEFAULT_PORT);
    assertThat(ExampleApp.metricsPort(new String[] {"--console", "--metrics=9100"}))
        .isEqualTo(9100);
  }

  private static boolean pause() {
    try {
      Thread.sleep(100);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}

package io.flinkplatform.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the example end to end: embedded MariaDB, platform, shell tasks. */
class ExampleAppTest {

  @Test
  void exampleRunEndsAsExpected(@TempDir Path logs) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int code;
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      code = ExampleApp.run(out, logs);
    }
    String output = bytes.toString(StandardCharsets.UTF_8);
    System.out.println(output);

    assertThat(code).as(output).isZero();
    assertThat(output)
        .contains("Example finished as expected.")
        .contains("TASK", "STATE", "ATTEMPTS", "DURATION")
        .containsPattern("transform_customers +SUCCESS +2 ")
        .containsPattern("validate +FAILED +1 ")
        .containsPattern("notify_failure +SKIPPED +1 ")
        .contains("summary=42 orders, 17 customers, 5 products")
        .contains("flowchart");
  }

  @Test
  void withTheConsoleTheRunCanBeSeenByTheOneTimeAdministrator(@TempDir Path logs) throws Exception {
    java.util.List<String> seen = new java.util.ArrayList<>();
    int code =
        ExampleApp.run(
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            logs,
            0,
            (uri, user, password) -> {
              java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
              java.net.http.HttpResponse<String> login =
                  http.send(
                      java.net.http.HttpRequest.newBuilder(uri.resolve("/api/v1/session"))
                          .header("Content-Type", "application/json")
                          .POST(
                              java.net.http.HttpRequest.BodyPublishers.ofString(
                                  "{\"user\":\"" + user + "\",\"password\":\"" + password + "\"}"))
                          .build(),
                      java.net.http.HttpResponse.BodyHandlers.ofString());
              assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
              String cookie = login.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
              String runId = uri.getPath().substring(uri.getPath().lastIndexOf('/') + 1);
              java.net.http.HttpResponse<String> run =
                  http.send(
                      java.net.http.HttpRequest.newBuilder(
                              uri.resolve("/api/v1/workspaces/default/runs/" + runId))
                          .header("Cookie", cookie)
                          .build(),
                      java.net.http.HttpResponse.BodyHandlers.ofString());
              assertThat(run.statusCode()).as(run.body()).isEqualTo(200);
              seen.add(run.body());
              assertThat(password).hasSizeGreaterThanOrEqualTo(20);
            });
    assertThat(code).isZero();
    assertThat(seen).singleElement().asString().contains("\"workflowName\":\"daily_sales\"");
  }
}

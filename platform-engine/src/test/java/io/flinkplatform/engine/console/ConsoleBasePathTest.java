package io.flinkplatform.engine.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinkplatform.engine.Platform;
import io.flinkplatform.engine.testing.TestPlatforms;
import io.flinkplatform.spi.Actor;
import io.flinkplatform.spi.Role;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The console behind a reverse proxy's path prefix: everything is served below the base path (and
 * nothing outside it), the session cookie's path is the prefix, links and redirects carry it.
 */
class ConsoleBasePathTest {
  static final String PASSWORD = "correct horse battery staple";
  private static TestPlatforms platforms;
  private static Platform platform;

  @BeforeAll
  static void start() {
    platforms = new TestPlatforms();
    platform =
        platforms.start(
            "basepath",
            b -> b.console(ConsoleSettings.builder().port(0).basePath("/ops/platform").build()));
    platform.users(Actor.SYSTEM).createUser("pat", "Pat", PASSWORD.toCharArray());
    platform.client().setMember("pat", Role.VIEWER);
  }

  @AfterAll
  static void stop() {
    platforms.close();
  }

  @Test
  void everythingLivesBelowTheBasePath() throws Exception {
    URI base = platform.consoleUri().orElseThrow();
    assertThat(base.getPath()).isEqualTo("/ops/platform/");
    ConsoleClient c = new ConsoleClient(base);
    ConsoleClient.Reply login = c.login("pat", PASSWORD);
    assertThat(login.status()).isEqualTo(200);
    assertThat(login.header("Set-Cookie").orElseThrow()).contains("Path=/ops/platform/");
    assertThat(c.get("api/v1/workspaces").status()).isEqualTo(200);
    ConsoleClient.Reply page = c.get("w/default/workflows");
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.body())
        .contains("href=\"/ops/platform/assets/console/app.css\"")
        .contains("href=\"/ops/platform/w/default/runs\"")
        .contains("content=\"/ops/platform\"");
    assertThat(c.get("assets/console/app.js").status()).isEqualTo(200);
    ConsoleClient.Reply doc = c.get("api/v1/openapi.json");
    assertThat(doc.json().get("servers").get(0).get("url").asText())
        .isEqualTo("/ops/platform/api/v1");
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> anonymous =
        http.send(
            HttpRequest.newBuilder(base.resolve("w/default/runs")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(anonymous.statusCode()).isEqualTo(303);
    assertThat(anonymous.headers().firstValue("Location").orElseThrow())
        .startsWith("/ops/platform/login?next=");
    HttpResponse<String> outside =
        http.send(
            HttpRequest.newBuilder(base.resolve("/api/v1/workspaces")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(outside.statusCode()).isEqualTo(404);
  }
}

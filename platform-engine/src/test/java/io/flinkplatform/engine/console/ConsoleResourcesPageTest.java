package io.flinkplatform.engine.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinkplatform.engine.Platform;
import io.flinkplatform.engine.access.Users;
import io.flinkplatform.engine.testing.TestPlatforms;
import io.flinkplatform.spi.Actor;
import io.flinkplatform.spi.Role;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The resources page over HTTP on a real server and database: every version with its checksum and a
 * download link that serves the bytes, the upload form and delete button for editors only, and an
 * upload through the API with the session's CSRF token as the page's script sends it.
 */
class ConsoleResourcesPageTest {
  static final String PASSWORD = "correct horse battery staple";
  private static TestPlatforms platforms;
  private static Platform platform;
  private static URI base;

  @BeforeAll
  static void start() {
    platforms = new TestPlatforms();
    platform =
        platforms.start("resourcepage", b -> b.console(ConsoleSettings.builder().port(0).build()));
    base = platform.consoleUri().orElseThrow();
    Users users = platform.users(Actor.SYSTEM);
    users.createUser("ed", "Editor", PASSWORD.toCharArray());
    users.createUser("vic", "Viewer", PASSWORD.toCharArray());
    platform.client().setMember("ed", Role.EDITOR);
    platform.client().setMember("vic", Role.VIEWER);
    platform
        .client()
        .putResource("udfs.jar", new ByteArrayInputStream("v1".getBytes(StandardCharsets.UTF_8)));
  }

  @AfterAll
  static void stop() {
    platforms.close();
  }

  @Test
  void editorsUploadAVersionAndSeeEveryVersionWithItsChecksum() {
    ConsoleClient ed = new ConsoleClient(base);
    ed.login("ed", PASSWORD);
    ConsoleClient.Reply up = ed.post("api/v1/workspaces/default/resources/udfs.jar", "v2 bytes");
    assertThat(up.status()).as(up.body()).isIn(200, 201);
    ConsoleClient.Reply page = ed.get("w/default/resources");
    assertThat(page.status()).isEqualTo(200);
    String sha2 = platform.client().resourceVersions("udfs.jar").get(0).sha256();
    assertThat(page.body())
        .contains("udfs.jar", "data-upload=", "Delete all versions", sha2.substring(0, 16))
        .contains("/api/v1/workspaces/default/resources/udfs.jar/versions/1/content")
        .contains("/api/v1/workspaces/default/resources/udfs.jar/versions/2/content");
    ConsoleClient.Reply download =
        ed.get("api/v1/workspaces/default/resources/udfs.jar/versions/2/content");
    assertThat(download.status()).isEqualTo(200);
    assertThat(download.body()).isEqualTo("v2 bytes");
  }

  @Test
  void viewersSeeTheResourcesButNeitherTheUploadNorTheDelete() {
    ConsoleClient vic = new ConsoleClient(base);
    vic.login("vic", PASSWORD);
    ConsoleClient.Reply page = vic.get("w/default/resources");
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.body())
        .contains("udfs.jar")
        .doesNotContain("data-upload=", "Delete all versions");
    ConsoleClient.Reply refused = vic.post("api/v1/workspaces/default/resources/x.jar", "nope");
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.json().get("error").asText()).isEqualTo("AccessDeniedException");
  }
}

package io.flinkplatform.engine.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.flinkplatform.engine.Platform;
import io.flinkplatform.engine.testing.Await;
import io.flinkplatform.engine.testing.TestPlatforms;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /api/v1/health} on a real server: served without a login, the status and each check's
 * status only (no details), 503 while the instance is DOWN.
 */
class ConsoleHealthTest {
  @Test
  void theHealthIsServedWithoutALoginWithCheckNamesAndStatesOnly() throws Exception {
    try (TestPlatforms platforms = new TestPlatforms()) {
      Platform platform =
          platforms.start("health", b -> b.console(ConsoleSettings.builder().port(0).build()));
      ConsoleClient anonymous = new ConsoleClient(platform.consoleUri().orElseThrow());

      ConsoleClient.Reply up = anonymous.get("api/v1/health");
      assertThat(up.status()).as(up.body()).isEqualTo(200);
      JsonNode body = up.json();
      assertThat(body.get("status").asText()).isEqualTo("UP");
      assertThat(body.get("checks").get("database").asText()).isEqualTo("UP");
      assertThat(body.get("checks").get("loop:heartbeat").asText()).isEqualTo("UP");
      assertThat(body.get("checks").get("lease").asText()).isEqualTo("UP");
      body.get("checks").forEach(c -> assertThat(c.asText()).isIn("UP", "DOWN"));
      assertThat(body.size()).isEqualTo(2);

      // the heartbeat blocks on a row lock: the lease lapses, the instance is DOWN
      try (Connection lock = platforms.dataSource().getConnection()) {
        lock.setAutoCommit(false);
        try (Statement s = lock.createStatement()) {
          s.executeQuery("SELECT * FROM t_worker FOR UPDATE").close();
        }
        Await.until(Duration.ofSeconds(30), () -> anonymous.get("api/v1/health").status() == 503);
        ConsoleClient.Reply down = anonymous.get("api/v1/health");
        assertThat(down.json().get("status").asText()).isEqualTo("DOWN");
        assertThat(down.json().get("checks").get("lease").asText()).isEqualTo("DOWN");
        assertThat(down.body()).doesNotContain("renewed", " ms");
        lock.rollback();
      }
      Await.until(Duration.ofSeconds(30), () -> anonymous.get("api/v1/health").status() == 200);
    }
  }
}

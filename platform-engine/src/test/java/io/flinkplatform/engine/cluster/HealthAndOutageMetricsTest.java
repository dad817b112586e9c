package io.flinkplatform.engine.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinkplatform.engine.Health;
import io.flinkplatform.engine.Platform;
import io.flinkplatform.engine.testing.Await;
import io.flinkplatform.engine.testing.TestPlatforms;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Health and the outage meters when something is wrong: every connection refused (the database is
 * unreachable: the outage counted once per loop and its duration timed, the health DOWN and UP
 * again), and the heartbeat blocked on a row lock (a stalled loop and an unrenewed lease: DOWN,
 * then UP once the lock goes).
 */
class HealthAndOutageMetricsTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void anOutageIsCountedPerLoopTimedAndMakesTheHealthDownUntilItEnds() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (TestPlatforms platforms = new TestPlatforms()) {
      FlakyDataSource flaky = new FlakyDataSource(platforms.dataSource(), 1, 1.0, 0.0, 0.0);
      Platform platform =
          TestPlatforms.builder(flaky, "outage").meterRegistry(registry).build().start();
      try {
        assertThat(platform.health().isUp()).isTrue();
        flaky.arm(true);
        Await.until(WAIT, () -> count(registry, "heartbeat") == 1);
        Health down = platform.health();
        assertThat(down.status()).isEqualTo(Health.Status.DOWN);
        assertThat(down.check("database").orElseThrow().status()).isEqualTo(Health.Status.DOWN);
        // the detail names the failure's type only, never its message (a URL, a host)
        assertThat(down.check("database").orElseThrow().detail())
            .isEqualTo("SELECT 1 failed: SQLTransientConnectionException");
        Await.until(WAIT, () -> gauge(registry, "flinkplatform.health") == 0.0);
        flaky.arm(false);
        Await.until(
            WAIT,
            () -> {
              Timer t =
                  registry
                      .find("flinkplatform.database.outage.duration")
                      .tag("loop", "heartbeat")
                      .timer();
              return t != null && t.count() == 1;
            });
        assertThat(count(registry, "heartbeat")).as("once per outage, not per try").isEqualTo(1);
        assertThat(count(registry, "dispatcher")).isEqualTo(1);
        Await.until(WAIT, () -> platform.health().isUp());
        assertThat(gauge(registry, "flinkplatform.health")).isEqualTo(1.0);
      } finally {
        platform.stop();
      }
    }
  }

  @Test
  void aHeartbeatBlockedOnARowLockIsAStalledLoopAndALapsedLeaseUntilItGoesOn() throws Exception {
    try (TestPlatforms platforms = new TestPlatforms()) {
      Platform platform = platforms.start("blocked");
      assertThat(platform.health().isUp()).isTrue();
      try (Connection lock = platforms.dataSource().getConnection()) {
        lock.setAutoCommit(false);
        try (Statement s = lock.createStatement()) {
          s.executeQuery("SELECT * FROM t_worker FOR UPDATE").close();
        }
        Await.until(WAIT, () -> !platform.health().isUp());
        Await.until(
            WAIT,
            () -> {
              Health h = platform.health();
              return h.check("loop:heartbeat").orElseThrow().status() == Health.Status.DOWN
                  && h.check("lease").orElseThrow().status() == Health.Status.DOWN;
            });
        Health h = platform.health();
        assertThat(h.check("database").orElseThrow().status()).isEqualTo(Health.Status.UP);
        assertThat(h.check("loop:dispatcher").orElseThrow().status()).isEqualTo(Health.Status.UP);
        lock.rollback();
      }
      Await.until(WAIT, () -> platform.health().isUp());
    }
  }

  private static double count(SimpleMeterRegistry registry, String loop) {
    Counter c = registry.find("flinkplatform.database.outages").tag("loop", loop).counter();
    return c == null ? 0 : c.count();
  }

  private static double gauge(SimpleMeterRegistry registry, String name) {
    Gauge g = registry.find(name).gauge();
    return g == null ? -1 : g.value();
  }
}

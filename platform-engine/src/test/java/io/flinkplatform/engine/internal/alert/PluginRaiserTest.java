package io.flinkplatform.engine.internal.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.flinkplatform.engine.alert.AlertKind;
import io.flinkplatform.engine.alert.AlertRule;
import io.flinkplatform.engine.internal.store.Store;
import io.flinkplatform.engine.testing.ManualClock;
import io.flinkplatform.engine.testing.TestDatabase;
import io.flinkplatform.engine.testing.TestPlatforms;
import io.flinkplatform.spi.PluginAlerts;
import io.flinkplatform.spi.PluginContext;
import io.flinkplatform.spi.TaskPlugin;
import io.flinkplatform.spi.TaskType;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** What a plugin raises through {@code PluginContext.alerts()} of a real platform. */
class PluginRaiserTest {
  private static final Map<String, String> FACTS =
      Map.of(
          "workflow", "etl_daily",
          "task", "load",
          "label", "flink",
          "run", "7",
          "job", "abc",
          "state", "RESTARTING",
          "message", "restarted 2 times",
          "link", "http://flink:8081/#/job/abc");

  /** A plugin with no task types that keeps the context it was started with. */
  static final class Watcher implements TaskPlugin {
    volatile PluginContext context;

    @Override
    public String name() {
      return "watcher";
    }

    @Override
    public List<TaskType> taskTypes() {
      return List.of();
    }

    @Override
    public void start(PluginContext context) {
      this.context = context;
    }
  }

  @Test
  void aRaiseWritesOneAlertPerMatchingRuleOfItsKindAndWorkspaceOnce() throws Exception {
    try (TestPlatforms platforms = new TestPlatforms()) {
      Watcher watcher = new Watcher();
      platforms.manual(new ManualClock(Instant.EPOCH), b -> b.plugin(watcher));
      DataSource ds = platforms.dataSource();
      put(ds, "default", rule("etl", AlertKind.FLINK_JOB_RESTARTING).workflow("etl*"));
      put(
          ds,
          "default",
          rule("load-flink", AlertKind.FLINK_JOB_RESTARTING).task("lo*").label("flink"));
      put(ds, "default", rule("other-flow", AlertKind.FLINK_JOB_RESTARTING).workflow("other"));
      put(ds, "default", rule("gpu-only", AlertKind.FLINK_JOB_RESTARTING).label("gpu"));
      put(ds, "default", rule("off", AlertKind.FLINK_JOB_RESTARTING).enabled(false));
      put(ds, "default", rule("failing", AlertKind.FLINK_JOB_FAILING));
      put(ds, "team", rule("theirs", AlertKind.FLINK_JOB_RESTARTING));
      PluginAlerts alerts = watcher.context.alerts();

      alerts.raise("FLINK_JOB_RESTARTING", "default", "abc:restart:2", FACTS);
      alerts.raise("FLINK_JOB_RESTARTING", "default", "abc:restart:2", FACTS); // the next poll

      List<AlertRules.Raised> raised = AlertRules.raised(ds);
      assertThat(raised)
          .extracting(r -> r.rule() + "=" + r.dedupKey())
          .containsExactly("etl=plugin:abc:restart:2", "load-flink=plugin:abc:restart:2");
      assertThat(raised.get(0).title())
          .isEqualTo("[WARNING] Flink job of etl_daily task load is RESTARTING");
      assertThat(raised.get(0).facts()).contains("\"job\":\"abc\"", "\"run\":\"7\"");
      assertThat(
              io.flinkplatform.engine.testing.Sql.single(
                  ds, "SELECT COUNT(*) FROM t_alert WHERE run_id = 7 AND link IS NOT NULL"))
          .isEqualTo(2);
    }
  }

  @Test
  void failingCheckpointsRaiseOnceTheCountReachesTheRulesThresholdOncePerStreak() throws Exception {
    try (TestPlatforms platforms = new TestPlatforms()) {
      Watcher watcher = new Watcher();
      platforms.manual(new ManualClock(Instant.EPOCH), b -> b.plugin(watcher));
      DataSource ds = platforms.dataSource();
      put(ds, "default", rule("cp3", AlertKind.FLINK_CHECKPOINTS_FAILING).threshold(3));
      put(ds, "default", rule("cp5", AlertKind.FLINK_CHECKPOINTS_FAILING).threshold(5));
      PluginAlerts alerts = watcher.context.alerts();

      for (int n = 1; n <= 6; n++) {
        alerts.raise("FLINK_CHECKPOINTS_FAILING", "default", "abc:cp:after:41", cp(n));
        if (n == 2) {
          assertThat(AlertRules.keys(ds)).as("below every threshold").isEmpty();
        }
        if (n == 3) {
          assertThat(AlertRules.keys(ds)).containsExactly("cp3=plugin:abc:cp:after:41");
        }
      }
      // a checkpoint completed (42), then a new streak
      alerts.raise("FLINK_CHECKPOINTS_FAILING", "default", "abc:cp:after:42", cp(3));

      assertThat(AlertRules.keys(ds))
          .containsExactly(
              "cp3=plugin:abc:cp:after:41",
              "cp5=plugin:abc:cp:after:41",
              "cp3=plugin:abc:cp:after:42");
    }
  }

  @Test
  void anUnknownKindIsRefusedNamingTheKnownOnesAndWritesNothing() throws Exception {
    try (TestPlatforms platforms = new TestPlatforms()) {
      Watcher watcher = new Watcher();
      platforms.manual(new ManualClock(Instant.EPOCH), b -> b.plugin(watcher));
      DataSource ds = platforms.dataSource();
      put(ds, "default", rule("etl", AlertKind.FLINK_JOB_RESTARTING));
      PluginAlerts alerts = watcher.context.alerts();

      assertThatThrownBy(() -> alerts.raise("FLINK_JOB_EXPLODED", "default", "abc", FACTS))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("kind")
          .hasMessageContaining("FLINK_JOB_EXPLODED")
          .hasMessageContaining("FLINK_JOB_RESTARTING");
      assertThatThrownBy(() -> alerts.raise("FLINK_JOB_RESTARTING", "no such/ws", "abc", FACTS))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("workspace");
      assertThat(AlertRules.keys(ds)).isEmpty();
    }
  }

  @Test
  void aDatabaseErrorIsCountedAndLoggedNotThrownToThePlugin() {
    String url = TestDatabase.get().newDatabaseUrl();
    HikariDataSource pool = TestDatabase.pool(url, c -> {});
    PluginRaiser raiser = new PluginRaiser(new Store(pool), Clock.systemUTC());
    pool.close(); // every statement now fails

    raiser.raise("FLINK_JOB_FAILING", "default", "abc:FAILED", FACTS);
    raiser.raise("FLINK_JOB_FAILING", "default", "abc:FAILED", FACTS);

    assertThat(raiser.failures()).isEqualTo(2);
  }

  private static AlertRule.Builder rule(String name, AlertKind kind) {
    return AlertRule.on(name, kind).channels("ops");
  }

  private static void put(DataSource ds, String workspace, AlertRule.Builder rule)
      throws Exception {
    AlertRules.put(ds, workspace, rule.build());
  }

  private static Map<String, String> cp(int failed) {
    return Map.of(
        "workflow", "etl_daily", "task", "load", "job", "abc", "failedCheckpoints", "" + failed);
  }
}

package io.flinkplatform.tasks.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinkplatform.engine.Platform;
import io.flinkplatform.engine.PlatformClient;
import io.flinkplatform.engine.alert.AlertKind;
import io.flinkplatform.engine.alert.AlertRule;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.internal.alert.RuleJson;
import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.testing.Sql;
import io.flinkplatform.engine.testing.TestPlatforms;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Flink job that Flink restarts and that then fails raises FLINK_JOB_RESTARTING and
 * FLINK_JOB_FAILING through the plugin context of a real platform, on the local MiniCluster.
 */
class FlinkAlertsTest {
  @TempDir Path tmp;

  @Test
  void aJobThatFlinkRestartsAndThatFailsRaisesTheFlinkKinds() throws Exception {
    try (TestPlatforms platforms = new TestPlatforms()) {
      FlinkTaskPlugin plugin = new FlinkTaskPlugin();
      Platform p =
          platforms.start(
              "local",
              b ->
                  b.plugin(plugin)
                      .pluginSetting("flink.target", "local")
                      .pluginSetting("flink.poll-interval", "200ms")
                      .pluginSetting("flink.conf.taskmanager.numberOfTaskSlots", "1"));
      DataSource ds = platforms.dataSource();
      put(ds, AlertRule.on("restarts", AlertKind.FLINK_JOB_RESTARTING).channels("ops").build());
      put(
          ds,
          AlertRule.on("failures", AlertKind.FLINK_JOB_FAILING)
              .channels("ops")
              .workflow("flaky*")
              .task("count")
              .build());
      put(
          ds,
          AlertRule.on("elsewhere", AlertKind.FLINK_JOB_FAILING)
              .channels("ops")
              .workflow("other")
              .build());
      PlatformClient client = p.client();
      Path jar = TestJars.jobJar(tmp, "io.flinkplatform.tasks.flink.testjobs.SequenceJob");
      client.deploy(
          Workflow.builder("flaky_stream")
              .task(
                  "count",
                  "flink_jar",
                  t ->
                      t.option("jar", jar.toUri().toString())
                          .option("args", List.of("1000", "fail"))
                          .option("parallelism", 1)
                          .option(
                              "flink_conf",
                              Map.of(
                                  "restart-strategy.type", "fixed-delay",
                                  "restart-strategy.fixed-delay.attempts", "2",
                                  "restart-strategy.fixed-delay.delay", "2s")))
              .build());
      long run = client.trigger("flaky_stream");
      LocalTargetTest.assertRun(client, run, 120, RunState.FAILED);
      long attempt = client.attempts(run).get(0).id();
      String job = plugin.jobs().job(attempt).orElseThrow().jobId();

      List<String> alerts = new ArrayList<>();
      Sql.query(
          ds,
          "SELECT rule_name, dedup_key, facts, run_id FROM t_alert ORDER BY id",
          rs ->
              alerts.add(
                  rs.getString(1)
                      + "="
                      + rs.getString(2)
                      + " run="
                      + rs.getLong(4)
                      + " "
                      + rs.getString(3)));
      assertThat(alerts)
          .as("the restarts were seen while the job ran, and its end")
          .anySatisfy(a -> assertThat(a).startsWith("restarts=plugin:" + job + ":restart"))
          .anySatisfy(
              a ->
                  assertThat(a)
                      .startsWith("failures=plugin:" + job + ":FAILED run=" + run)
                      .contains("planned failure at 500", "\"workflow\":\"flaky_stream\""))
          .noneSatisfy(a -> assertThat(a).startsWith("elsewhere="));
      assertThat(alerts.stream().filter(a -> a.startsWith("failures="))).hasSize(1);
    }
  }

  private static void put(DataSource ds, AlertRule rule) throws Exception {
    try (Connection c = ds.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "INSERT INTO t_alert_rule (workspace, name, kind, spec, enabled, updated_by,"
                    + " updated_at) VALUES ('default', ?, ?, ?, 1, 'test', 0)")) {
      s.setString(1, rule.name());
      s.setString(2, rule.kind().name());
      s.setString(3, RuleJson.write(rule));
      s.executeUpdate();
    }
  }
}

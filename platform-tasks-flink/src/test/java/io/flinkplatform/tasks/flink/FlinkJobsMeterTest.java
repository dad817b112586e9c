package io.flinkplatform.tasks.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinkplatform.engine.Platform;
import io.flinkplatform.engine.PlatformClient;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.testing.Await;
import io.flinkplatform.engine.testing.TestPlatforms;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@value JobCounts#METER} on the registry a host gives the platform: a streaming job on the local
 * MiniCluster counts under {@code state=RUNNING} while it runs and no longer once it is killed; the
 * gauges read NaN once the platform (and the plugin) stopped.
 */
class FlinkJobsMeterTest {
  private static final Duration WAIT = Duration.ofSeconds(90);

  @Test
  void aRunningStreamingJobCountsUnderRunningUntilItIsKilled() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (TestPlatforms platforms = new TestPlatforms()) {
      FlinkTaskPlugin plugin = new FlinkTaskPlugin();
      Platform p =
          platforms.start(
              "metered",
              b ->
                  b.meterRegistry(registry)
                      .plugin(plugin)
                      .pluginSetting("flink.target", "local")
                      .pluginSetting("flink.poll-interval", "200ms")
                      .pluginSetting("flink.conf.taskmanager.numberOfTaskSlots", "1"));
      assertThat(registry.find(JobCounts.METER).gauges())
          .as("one gauge per state, tagged with the instance")
          .hasSize(JobCounts.STATES.size())
          .allSatisfy(g -> assertThat(g.getId().getTag("instance")).isEqualTo("metered"))
          .allSatisfy(g -> assertThat(g.value()).isZero());

      PlatformClient client = p.client();
      client.deploy(
          Workflow.builder("metered_stream")
              .task(
                  "stream",
                  "flink_sql",
                  t ->
                      t.option(
                          "sql",
                          "CREATE TABLE src (id BIGINT) WITH ('connector' = 'datagen',"
                              + " 'rows-per-second' = '50');\n"
                              + "CREATE TABLE sink (id BIGINT) WITH ('connector' = 'blackhole');\n"
                              + "INSERT INTO sink SELECT id FROM src"))
              .build());
      long run = client.trigger("metered_stream");
      Await.until(WAIT, () -> jobs(registry, "RUNNING") == 1);
      long attempt = client.attempts(run).get(0).id();
      assertThat(plugin.jobs().job(attempt).orElseThrow().state()).isEqualTo("RUNNING");
      assertThat(total(registry)).as("no other state counts the job").isEqualTo(1);

      assertThat(client.kill(run)).isTrue();
      LocalTargetTest.assertRun(client, run, 60, RunState.KILLED);
      Await.until(WAIT, () -> total(registry) == 0);
      assertThat(jobs(registry, "RUNNING")).isZero();
      assertThat(plugin.jobs().job(attempt).orElseThrow().state()).isEqualTo("CANCELED");
    }
    assertThat(registry.find(JobCounts.METER).gauges())
        .as("a stopped plugin's gauges read no number")
        .allSatisfy(g -> assertThat(g.value()).isNaN());
  }

  private static double jobs(SimpleMeterRegistry registry, String state) {
    return registry.get(JobCounts.METER).tag("state", state).gauge().value();
  }

  private static double total(SimpleMeterRegistry registry) {
    return registry.find(JobCounts.METER).gauges().stream().mapToDouble(Gauge::value).sum();
  }
}

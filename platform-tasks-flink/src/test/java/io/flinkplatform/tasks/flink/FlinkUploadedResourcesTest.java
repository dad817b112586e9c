package io.flinkplatform.tasks.flink;

import static io.flinkplatform.tasks.flink.LocalTargetTest.assertRun;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flinkplatform.engine.Platform;
import io.flinkplatform.engine.PlatformClient;
import io.flinkplatform.engine.ResourceInUseException;
import io.flinkplatform.engine.WorkflowValidationException;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.run.TaskAttempt;
import io.flinkplatform.engine.testing.TestPlatforms;
import io.flinkplatform.spi.Actor;
import io.flinkplatform.spi.Workspaces;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code flink_jar} and {@code flink_sql} name uploaded jars ({@code resource:name[@version]}): the
 * job jar, {@code ADD JAR} and a function's jar, staged before the job is built; on the plugin's
 * local MiniCluster.
 */
class FlinkUploadedResourcesTest {
  static TestPlatforms platforms;
  static FlinkTaskPlugin plugin;
  static PlatformClient client;
  @TempDir static Path tmp;

  @BeforeAll
  static void start() throws Exception {
    platforms = new TestPlatforms();
    plugin = new FlinkTaskPlugin();
    Platform p =
        platforms.start(
            "flink-res",
            b ->
                b.plugin(plugin)
                    .pluginSetting("flink.target", "local")
                    .pluginSetting("flink.poll-interval", "200ms")
                    .pluginSetting("flink.jar-build-timeout", "15s"));
    client = p.client();
    Path jar = TestJars.jobJar(tmp, "io.flinkplatform.tasks.flink.testjobs.SequenceJob");
    try (InputStream in = Files.newInputStream(jar)) {
      assertThat(client.putResource("jobs.jar", in).version()).isEqualTo(1);
    }
  }

  @AfterAll
  static void stop() {
    platforms.close();
  }

  @Test
  void aJarJobRunsAnUploadedJar() {
    client.deploy(
        Workflow.builder("uploaded_jar")
            .task(
                "count",
                "flink_jar",
                t ->
                    t.option("jar", "resource:jobs.jar@1")
                        .option("args", List.of("100"))
                        .option("mode", "batch"))
            .build());
    long run = client.trigger("uploaded_jar");
    assertRun(client, run, 90, RunState.SUCCESS);
    TaskAttempt a = client.attempts(run).get(0);
    assertThat(plugin.jobs().job(a.id()).orElseThrow().state()).isEqualTo("FINISHED");

    assertThatThrownBy(() -> client.deleteResource("jobs.jar"))
        .isInstanceOfSatisfying(
            ResourceInUseException.class,
            e -> assertThat(e.references()).contains("uploaded_jar v1 task count"));
  }

  @Test
  void sqlAddsAnUploadedJarAndUsesAFunctionFromOne() {
    plugin
        .functions(Actor.SYSTEM, Workspaces.DEFAULT)
        .put(
            new FunctionInfo(
                "twice",
                "io.flinkplatform.tasks.flink.testjobs.Twice",
                Optional.of("resource:jobs.jar")));
    client.deploy(
        Workflow.builder("uploaded_sql")
            .task(
                "load",
                "flink_sql",
                t ->
                    t.option(
                            "sql",
                            "ADD JAR 'resource:jobs.jar';\n"
                                + LocalTargetTest.SOURCE
                                + "INSERT INTO sink SELECT twice(id), name FROM src;")
                        .option("functions", List.of("twice"))
                        .option("mode", "batch")
                        .option("parallelism", 1))
            .build());
    long run = client.trigger("uploaded_sql");
    assertRun(client, run, 90, RunState.SUCCESS);
  }

  @Test
  void aMissingResourceIsRefusedAtDeploy() {
    assertThatThrownBy(
            () ->
                client.deploy(
                    Workflow.builder("missing")
                        .task("j", "flink_jar", t -> t.option("jar", "resource:none.jar"))
                        .task(
                            "s",
                            "flink_sql",
                            t ->
                                t.option(
                                    "sql",
                                    "ADD JAR 'resource:jobs.jar@7';\n"
                                        + LocalTargetTest.SOURCE
                                        + "INSERT INTO sink SELECT id, name FROM src;"))
                        .build()))
        .isInstanceOf(WorkflowValidationException.class)
        .hasMessageContaining("option 'jar': ")
        .hasMessageContaining("no resource 'none.jar'")
        .hasMessageContaining("ADD JAR: ")
        .hasMessageContaining("'jobs.jar' of version 7");
  }
}

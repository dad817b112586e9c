package io.flinkplatform.tasks.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flinkplatform.engine.Platform;
import io.flinkplatform.engine.PlatformClient;
import io.flinkplatform.engine.WorkflowValidationException;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.run.TaskAttempt;
import io.flinkplatform.engine.run.TaskState;
import io.flinkplatform.engine.testing.Await;
import io.flinkplatform.engine.testing.TestPlatforms;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Flink SQL and jar jobs on the plugin's local MiniCluster, end to end through the engine. */
class LocalTargetTest {
  static final String SOURCE =
      "CREATE TABLE src (id BIGINT, name STRING) WITH (\n"
          + "  'connector' = 'datagen', 'number-of-rows' = '500', 'fields.id.kind' = 'sequence',\n"
          + "  'fields.id.start' = '1', 'fields.id.end' = '500');\n"
          + "CREATE TABLE sink (id BIGINT, name STRING) WITH ('connector' = 'blackhole');\n";

  static TestPlatforms platforms;
  static FlinkTaskPlugin plugin;
  static PlatformClient client;
  @TempDir static Path tmp;

  @BeforeAll
  static void start() {
    platforms = new TestPlatforms();
    plugin = new FlinkTaskPlugin();
    Platform p =
        platforms.start(
            "local",
            b ->
                b.plugin(plugin)
                    .pluginSetting("flink.target", "local")
                    .pluginSetting("flink.poll-interval", "200ms")
                    .pluginSetting("flink.jar-build-timeout", "15s")
                    .pluginSetting("flink.conf.taskmanager.numberOfTaskSlots", "2"));
    client = p.client();
  }

  @AfterAll
  static void stop() {
    platforms.close();
  }

  private static TaskAttempt only(long run) {
    List<TaskAttempt> attempts = client.attempts(run);
    assertThat(attempts).hasSize(1);
    return attempts.get(0);
  }

  @Test
  void batchSqlJobEndsTheTask() {
    client.deploy(
        Workflow.builder("sql_batch")
            .task(
                "load",
                "flink_sql",
                t ->
                    t.option(
                            "sql",
                            SOURCE
                                + "SET 'pipeline.name' = 'batch-from-set';\n"
                                + "INSERT INTO sink SELECT id, UPPER(name) FROM src WHERE id > 10;")
                        .option("mode", "batch")
                        .option("parallelism", 1))
            .build());
    long run = client.trigger("sql_batch");
    assertRun(client, run, 90, RunState.SUCCESS);
    TaskAttempt a = only(run);
    FlinkJobInfo job = plugin.jobs().job(a.id()).orElseThrow();
    assertThat(a.outputs()).containsEntry("job_id", job.jobId());
    assertThat(job.jobId()).isEqualTo(JobIds.of(installationId(), a.id(), 0).toHexString());
    assertThat(job.state()).isEqualTo("FINISHED");
    assertThat(job.target()).isEqualTo("local");
    assertThat(client.log(a)).contains("submitted Flink job " + job.jobId() + " (batch-from-set)");
  }

  @Test
  void streamingSqlJobRunsUntilKilledAndTheKillCancelsIt() throws Exception {
    client.deploy(
        Workflow.builder("sql_stream")
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
    long run = client.trigger("sql_stream");
    Await.until(
        () ->
            plugin.jobs().job(only(run).id()).map(j -> j.state().equals("RUNNING")).orElse(false));
    assertThat(only(run).state()).isEqualTo(TaskState.RUNNING);
    assertThat(client.kill(run)).isTrue();
    assertRun(client, run, 60, RunState.KILLED);
    TaskAttempt a = only(run);
    assertThat(a.state()).isEqualTo(TaskState.KILLED);
    Await.until(
        () ->
            plugin.jobs().job(a.id()).map(j -> j.state().equals("CANCELED")).orElse(false)
                || clusterState(a).equals("CANCELED"));
    assertThat(client.log(a)).contains("cancelled Flink job");
  }

  @Test
  void jarJobRunsItsMainAndShipsTheJar() throws Exception {
    Path jar = TestJars.jobJar(tmp, "io.flinkplatform.tasks.flink.testjobs.SequenceJob");
    client.deploy(
        Workflow.builder("jar_job")
            .task(
                "count",
                "flink_jar",
                t ->
                    t.option("jar", jar.toUri().toString())
                        .option("args", List.of("1000"))
                        .option("mode", "batch"))
            .task(
                "named",
                "flink_jar",
                t ->
                    t.option("jar", jar.toUri().toString())
                        .option("args", List.of("10"))
                        .option("job_name", "nightly-count")
                        .option("mode", "batch"))
            .build());
    long run = client.trigger("jar_job");
    assertRun(client, run, 90, RunState.SUCCESS);
    List<TaskAttempt> attempts = client.attempts(run);
    TaskAttempt count =
        attempts.stream().filter(x -> x.taskId().equals("count")).findFirst().orElseThrow();
    TaskAttempt named =
        attempts.stream().filter(x -> x.taskId().equals("named")).findFirst().orElseThrow();
    assertThat(plugin.jobs().job(count.id()).orElseThrow().state()).isEqualTo("FINISHED");
    // The name the program gives its job stands; job_name replaces it.
    assertThat(client.log(count)).contains("(sequence-1000)");
    assertThat(client.log(named)).contains("(nightly-count)");
  }

  @Test
  void streamingJobReleasesTheTasksBehindItsRunningEdgeAndTheRunEndsWithTheJob() throws Exception {
    client.deploy(
        Workflow.builder("stream_then_ddl")
            .task(
                "stream",
                "flink_sql",
                t ->
                    t.option(
                            "sql",
                            "CREATE TABLE src (id BIGINT) WITH ('connector' = 'datagen',"
                                + " 'rows-per-second' = '50');\n"
                                + "CREATE TABLE sink (id BIGINT) WITH ('connector' = 'blackhole');\n"
                                + "INSERT INTO sink SELECT id FROM src")
                        .option("savepoint_dir", tmp.resolve("sp").toUri().toString()))
            .task(
                "downstream",
                "flink_sql",
                t ->
                    t.option("sql", "CREATE TABLE t (id BIGINT) WITH ('connector' = 'blackhole')")
                        .after("stream", io.flinkplatform.engine.dag.EdgeCondition.RUNNING))
            .task("after_stream", "flink_sql", t -> t.option("sql", SOURCE).after("stream"))
            .build());
    long run = client.trigger("stream_then_ddl");
    Await.until(() -> stateOf(run, "downstream") == TaskState.SUCCESS);
    TaskAttempt stream = attemptOf(run, "stream");
    assertThat(stream.state()).isEqualTo(TaskState.RUNNING);
    assertThat(plugin.jobs().job(stream.id()).orElseThrow().state()).isEqualTo("RUNNING");
    assertThat(stateOf(run, "after_stream")).isEqualTo(TaskState.WAITING);
    assertThat(client.run(run).orElseThrow().state()).isEqualTo(RunState.RUNNING);

    plugin.jobs().stopWithSavepoint(stream.id(), false);
    assertRun(client, run, 60, RunState.SUCCESS);
    assertThat(stateOf(run, "after_stream")).isEqualTo(TaskState.SUCCESS);
    // the log is published when the attempt ends
    assertThat(client.log(attemptOf(run, "stream")))
        .contains("released the tasks behind RUNNING edges");
  }

  @Test
  void aJarWhoseMainNeverBuildsAJobFailsAtTheDeadlineWithoutRetries() throws Exception {
    Path dir = java.nio.file.Files.createDirectories(tmp.resolve("hang"));
    Path jar = TestJars.jobJar(dir, "io.flinkplatform.tasks.flink.testjobs.Hang");
    client.deploy(
        Workflow.builder("hanging_main")
            .task(
                "hang",
                "flink_jar",
                t ->
                    t.option("jar", jar.toUri().toString())
                        .retry(
                            io.flinkplatform.engine.dag.RetryPolicy.fixed(
                                2, Duration.ofMillis(10))))
            .build());
    long run = client.trigger("hanging_main");
    assertRun(client, run, 90, RunState.FAILED);
    TaskAttempt a = only(run);
    assertThat(a.message().orElseThrow())
        .contains("testjobs.Hang did not build its Flink job")
        .contains("flink.jar-build-timeout");
    assertThat(plugin.jobs().job(a.id())).isEmpty();
  }

  @Test
  void aJarWhoseMainCallsSystemExitFailsItsTaskAndTheInstanceKeepsRunning() throws Exception {
    Path dir = java.nio.file.Files.createDirectories(tmp.resolve("exit"));
    Path jar = TestJars.jobJar(dir, "io.flinkplatform.tasks.flink.testjobs.Exit");
    client.deploy(
        Workflow.builder("exiting_main")
            .task("exit", "flink_jar", t -> t.option("jar", jar.toUri().toString()))
            .build());
    long run = client.trigger("exiting_main");
    assertRun(client, run, 90, RunState.FAILED);
    assertThat(only(run).message().orElseThrow())
        .contains("testjobs.Exit called System.exit")
        .contains("refused");
    assertThat(plugin.jobs().job(only(run).id())).isEmpty();
    // the JVM, the instance and the program context are all still there
    assertJarJobSucceeds("after_exit");
  }

  @Test
  void systemExitFromThreadsThatMainStartsIsRefusedEvenAfterMainReturned() throws Exception {
    // Flink's exit monitoring is an InheritableThreadLocal: threads main starts inherit it, and
    // keep it after the thread that ran main has ended
    Path dir = java.nio.file.Files.createDirectories(tmp.resolve("exit_from_thread"));
    Path jar = TestJars.jobJar(dir, "io.flinkplatform.tasks.flink.testjobs.ExitFromThread");
    client.deploy(
        Workflow.builder("exiting_thread")
            .task(
                "exit",
                "flink_jar",
                t ->
                    t.option("jar", jar.toUri().toString())
                        .option("args", List.of("100"))
                        .option("mode", "batch"))
            .build());
    long run = client.trigger("exiting_thread");
    assertRun(client, run, 90, RunState.SUCCESS);
    String refused = "org.apache.flink.core.security.UserSystemExitException";
    assertThat(System.getProperty(io.flinkplatform.tasks.flink.testjobs.ExitFromThread.DURING))
        .isEqualTo(refused);
    Await.until(
        Duration.ofSeconds(60),
        () ->
            System.getProperty(io.flinkplatform.tasks.flink.testjobs.ExitFromThread.AFTER) != null);
    assertThat(System.getProperty(io.flinkplatform.tasks.flink.testjobs.ExitFromThread.AFTER))
        .isEqualTo(refused);
    assertJarJobSucceeds("after_exit_from_thread");
  }

  @Test
  void aMainThatIgnoresInterruptsTimesOutAndALaterJarTaskStillRuns() throws Exception {
    Path dir = java.nio.file.Files.createDirectories(tmp.resolve("stubborn"));
    Path jar = TestJars.jobJar(dir, "io.flinkplatform.tasks.flink.testjobs.Stubborn");
    try {
      client.deploy(
          Workflow.builder("stubborn_main")
              .task("stubborn", "flink_jar", t -> t.option("jar", jar.toUri().toString()))
              .build());
      long run = client.trigger("stubborn_main");
      assertRun(client, run, 90, RunState.FAILED);
      assertThat(only(run).message().orElseThrow())
          .contains("testjobs.Stubborn did not build its Flink job")
          .contains("class loader closed");
      // its thread still runs main, but no longer holds Flink's program context
      assertJarJobSucceeds("after_stubborn");
    } finally {
      System.setProperty(io.flinkplatform.tasks.flink.testjobs.Stubborn.RELEASE, "true");
    }
  }

  private static void assertJarJobSucceeds(String workflow) throws Exception {
    Path dir = java.nio.file.Files.createDirectories(tmp.resolve(workflow));
    Path jar = TestJars.jobJar(dir, "io.flinkplatform.tasks.flink.testjobs.SequenceJob");
    client.deploy(
        Workflow.builder(workflow)
            .task(
                "count",
                "flink_jar",
                t ->
                    t.option("jar", jar.toUri().toString())
                        .option("args", List.of("100"))
                        .option("mode", "batch"))
            .build());
    long run = client.trigger(workflow);
    assertRun(client, run, 90, RunState.SUCCESS);
  }

  private static TaskAttempt attemptOf(long run, String task) {
    return client.attempts(run).stream()
        .filter(a -> a.taskId().equals(task))
        .reduce((x, y) -> x.attempt() >= y.attempt() ? x : y)
        .orElseThrow();
  }

  private static TaskState stateOf(long run, String task) {
    return attemptOf(run, task).state();
  }

  @Test
  void syntaxErrorsAreRejectedAtDeployWithLineAndColumn() {
    assertThatThrownBy(
            () ->
                client.deploy(
                    Workflow.builder("bad_syntax")
                        .task(
                            "x",
                            "flink_sql",
                            t -> t.option("sql", SOURCE + "INSERT INTO sink\nSELEC id FROM src"))
                        .build()))
        .isInstanceOf(WorkflowValidationException.class)
        .satisfies(
            e ->
                assertThat(((WorkflowValidationException) e).problems())
                    .anyMatch(p -> p.contains("option 'sql', line 6, column 1: syntax error")));
  }

  @Test
  void planningErrorsFailTheTaskWithLineAndColumnAndNothingIsSubmitted() {
    client.deploy(
        Workflow.builder("bad_plan")
            .task(
                "x",
                "flink_sql",
                t -> t.option("sql", SOURCE + "INSERT INTO sink\nSELECT id, nme FROM src"))
            .build());
    long run = client.trigger("bad_plan");
    assertRun(client, run, 60, RunState.FAILED);
    TaskAttempt a = only(run);
    assertThat(a.message().orElseThrow()).contains("line 6, column 12").contains("nme");
    assertThat(plugin.jobs().job(a.id())).isEmpty();
  }

  @Test
  void catalogsAndFunctionsFromTheDatabaseAreRegisteredBeforeTheStatements() {
    plugin
        .jobs()
        .putCatalog(
            new CatalogInfo("mem", "generic_in_memory", java.util.Optional.of("db1"), Map.of()));
    plugin
        .jobs()
        .putFunction(
            new FunctionInfo(
                "twice",
                "io.flinkplatform.tasks.flink.testjobs.Twice",
                java.util.Optional.empty()));
    client.deploy(
        Workflow.builder("with_catalog")
            .task(
                "x",
                "flink_sql",
                t ->
                    t.option(
                            "sql",
                            "USE CATALOG mem;\n"
                                + "CREATE TABLE src (id BIGINT) WITH ('connector' = 'datagen',"
                                + " 'number-of-rows' = '10');\n"
                                + "CREATE TABLE sink (id BIGINT) WITH ('connector' = 'blackhole');\n"
                                + "INSERT INTO mem.db1.sink SELECT twice(id) FROM src")
                        .option("catalogs", List.of("mem"))
                        .option("functions", List.of("twice"))
                        .option("mode", "batch"))
            .task(
                "unknown",
                "flink_sql",
                t -> t.option("sql", SOURCE).option("catalogs", List.of("nope", "mem")))
            .build());
    long run = client.trigger("with_catalog");
    assertRun(client, run, 90, RunState.FAILED);
    Map<String, TaskAttempt> byTask =
        client.attempts(run).stream()
            .collect(java.util.stream.Collectors.toMap(TaskAttempt::taskId, a -> a));
    assertThat(byTask.get("x").state()).isEqualTo(TaskState.SUCCESS);
    assertThat(byTask.get("unknown").message().orElseThrow())
        .contains("unknown catalog [nope]")
        .contains("t_catalog_info has [mem]");
  }

  @Test
  void ddlOnlyScriptSucceedsWithoutAJob() {
    client.deploy(
        Workflow.builder("ddl_only").task("x", "flink_sql", t -> t.option("sql", SOURCE)).build());
    long run = client.trigger("ddl_only");
    assertRun(client, run, 60, RunState.SUCCESS);
    assertThat(plugin.jobs().job(only(run).id())).isEmpty();
  }

  /** Waits for the run and asserts its state, showing attempts and logs when it differs. */
  static void assertRun(PlatformClient client, long run, int seconds, RunState expected) {
    RunState actual = client.awaitRun(run, Duration.ofSeconds(seconds)).state();
    assertThat(actual)
        .as(
            () ->
                client.attempts(run).stream()
                    .map(
                        a ->
                            a.taskId() + " " + a.state() + " " + a.message() + "\n" + client.log(a))
                    .toList()
                    .toString())
        .isEqualTo(expected);
  }

  private static String installationId() {
    return plugin.runtime().installationId;
  }

  private static String clusterState(TaskAttempt a) {
    return plugin.jobs().job(a.id()).map(FlinkJobInfo::state).orElse("");
  }

  static Map<String, String> none() {
    return Map.of();
  }
}

package io.flinkplatform.tasks.flink;

import static io.flinkplatform.tasks.flink.LocalTargetTest.assertRun;
import static org.assertj.core.api.Assertions.assertThat;

import io.flinkplatform.engine.Platform;
import io.flinkplatform.engine.PlatformClient;
import io.flinkplatform.engine.access.AuditQuery;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.run.TaskAttempt;
import io.flinkplatform.engine.run.TaskState;
import io.flinkplatform.engine.testing.Await;
import io.flinkplatform.engine.testing.TestPlatforms;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.runtime.client.JobStatusMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A session cluster started by the test (a MiniCluster with a fixed REST port): jobs are submitted
 * over REST, polled, savepointed, stopped with a savepoint, restored, cancelled, re-attached after
 * the platform instance is replaced, and resubmitted by the supervisor after a failure.
 */
class SessionTargetTest {
  static final String STATEFUL =
      "CREATE TABLE src (id BIGINT) WITH ('connector' = 'datagen', 'rows-per-second' = '200',"
          + " 'fields.id.min' = '1', 'fields.id.max' = '1000');\n"
          + "CREATE TABLE sink (k BIGINT, c BIGINT) WITH ('connector' = 'blackhole');\n"
          + "INSERT INTO sink SELECT id % 10, COUNT(*) FROM src GROUP BY id % 10";

  static SessionCluster session;
  @TempDir static Path state;
  TestPlatforms platforms;
  FlinkTaskPlugin plugin;
  PlatformClient client;
  Platform firstInstance;

  @BeforeAll
  static void startCluster() throws Exception {
    session = new SessionCluster(4);
  }

  @AfterAll
  static void stopCluster() throws Exception {
    session.close();
  }

  @BeforeEach
  void startPlatform() {
    platforms = new TestPlatforms();
    plugin = new FlinkTaskPlugin();
    firstInstance = startInstance("first", plugin);
    client = firstInstance.client();
  }

  @AfterEach
  void stopPlatform() {
    platforms.close();
  }

  Platform startInstance(String name, FlinkTaskPlugin p) {
    return platforms.start(
        name,
        b ->
            b.plugin(p)
                .pluginSetting("flink.target", "session")
                .pluginSetting("flink.poll-interval", "200ms")
                .pluginSetting("flink.conf.rest.address", "127.0.0.1")
                .pluginSetting("flink.conf.rest.port", Integer.toString(session.port))
                .pluginSetting("flink.conf.execution.checkpointing.interval", "500ms")
                .pluginSetting(
                    "flink.conf.state.checkpoints.dir", state.resolve("cp").toUri().toString())
                .pluginSetting(
                    "flink.conf.state.savepoints.dir", state.resolve("sp").toUri().toString())
                .pluginSetting("flink.conf.restart-strategy.type", "none"));
  }

  TaskAttempt only(long run) {
    List<TaskAttempt> attempts = client.attempts(run);
    assertThat(attempts).hasSize(1);
    return attempts.get(0);
  }

  void awaitJobState(long attemptId, String state) throws InterruptedException {
    Await.until(() -> plugin.jobs().job(attemptId).map(j -> j.state().equals(state)).orElse(false));
  }

  static JobStatus clusterState(String jobId) throws Exception {
    return session.cluster.getJobStatus(JobID.fromHexString(jobId)).get(10, TimeUnit.SECONDS);
  }

  @Test
  void savepointThenStopWithSavepointThenRestoreThenCancel() throws Exception {
    client.deploy(
        Workflow.builder("stateful")
            .task(
                "agg", "flink_sql", t -> t.option("sql", STATEFUL).option("restore_from", "latest"))
            .build());
    long run = client.trigger("stateful");
    long attempt = only(run).id();
    awaitJobState(attempt, "RUNNING");
    Await.until(() -> plugin.jobs().job(attempt).orElseThrow().lastCheckpoint().isPresent());

    SavepointRecord sp = plugin.jobs().triggerSavepoint(attempt);
    assertThat(sp.kind()).isEqualTo(SavepointRecord.Kind.SAVEPOINT);
    assertThat(Path.of(java.net.URI.create(sp.path()))).isDirectory();
    assertThat(clusterState(sp.jobId())).isEqualTo(JobStatus.RUNNING);

    SavepointRecord stop = plugin.jobs().stopWithSavepoint(attempt, false);
    assertThat(stop.kind()).isEqualTo(SavepointRecord.Kind.STOP_SAVEPOINT);
    assertRun(client, run, 60, RunState.SUCCESS);
    assertThat(only(run).outputs()).containsEntry("savepoint", stop.path());
    assertThat(client.log(only(run))).contains("no savepoint of this task yet");
    assertThat(clusterState(stop.jobId())).isEqualTo(JobStatus.FINISHED);
    assertThat(plugin.jobs().savepoints("stateful", "agg"))
        .extracting(SavepointRecord::id)
        .containsExactly(stop.id(), sp.id());
    // the host API without an actor acts as the system: one audit row each, in the job's workspace
    assertThat(client.audit(AuditQuery.latest(100)))
        .filteredOn(e -> e.action().startsWith("flink."))
        .extracting(
            e -> String.join(" ", e.actor(), e.workspace(), e.action(), e.target(), e.digest()))
        .containsExactly(
            "system default flink.stop flink-job:"
                + stop.jobId()
                + " stopped with savepoint "
                + stop.id()
                + " (stateful.agg)",
            "system default flink.savepoint flink-job:"
                + sp.jobId()
                + " savepoint "
                + sp.id()
                + " (stateful.agg)");

    long second = client.trigger("stateful");
    long secondAttempt = only(second).id();
    awaitJobState(secondAttempt, "RUNNING");
    FlinkJobInfo restored = plugin.jobs().job(secondAttempt).orElseThrow();
    assertThat(restored.restoredFrom()).contains(stop.path());
    assertThat(restored.jobId()).isNotEqualTo(stop.jobId());

    assertThat(client.kill(second)).isTrue();
    assertRun(client, second, 60, RunState.KILLED);
    Await.until(() -> exceptionless(() -> clusterState(restored.jobId()) == JobStatus.CANCELED));
    assertThat(client.log(only(second))).contains("restoring from " + stop.path());
  }

  @Test
  void aNewInstanceReattachesToTheRunningJobInsteadOfSubmittingAgain() throws Exception {
    client.deploy(
        Workflow.builder("failover")
            .task("agg", "flink_sql", t -> t.option("sql", STATEFUL))
            .build());
    long run = client.trigger("failover");
    long attempt = only(run).id();
    awaitJobState(attempt, "RUNNING");
    String jobId = plugin.jobs().job(attempt).orElseThrow().jobId();

    // the instance running the task stops; its Flink job keeps running on the cluster
    firstInstance.stop();
    assertThat(clusterState(jobId)).isEqualTo(JobStatus.RUNNING);

    FlinkTaskPlugin secondPlugin = new FlinkTaskPlugin();
    client = startInstance("second", secondPlugin).client();
    try {
      Await.until(
          () -> {
            TaskAttempt a = only(run);
            return a.state() == TaskState.RUNNING && a.owner().orElse("").startsWith("second#");
          });
    } catch (AssertionError e) {
      throw new AssertionError(only(run) + "\n" + client.log(only(run)), e);
    }
    assertThat(secondPlugin.jobs().jobs("failover", "agg"))
        .singleElement()
        .satisfies(j -> assertThat(j.jobId()).isEqualTo(jobId));
    assertThat(jobsOnCluster(jobId)).as("submitted once").isEqualTo(1);
    assertThat(only(run).epoch()).isGreaterThanOrEqualTo(2);

    assertThat(client.kill(run)).isTrue();
    assertRun(client, run, 60, RunState.KILLED);
    Await.until(() -> exceptionless(() -> clusterState(jobId) == JobStatus.CANCELED));
    // the log is published when the attempt ends
    assertThat(client.log(only(run)))
        .contains("submitted Flink job " + jobId)
        .contains("re-attached to Flink job " + jobId)
        .contains("cancelled Flink job " + jobId);
  }

  @Test
  void supervisorResubmitsAFailedJobUpToItsLimitThenFailsTheTask() throws Exception {
    Path jar = TestJars.jobJar(state, "io.flinkplatform.tasks.flink.testjobs.SequenceJob");
    client.deploy(
        Workflow.builder("flaky")
            .task(
                "count",
                "flink_jar",
                t ->
                    t.option("jar", jar.toUri().toString())
                        .option("args", List.of("1000", "fail"))
                        .option("max_restarts", 1)
                        .option("restart_backoff", "500ms"))
            .build());
    long run = client.trigger("flaky");
    assertRun(client, run, 90, RunState.FAILED);
    TaskAttempt a = only(run);
    assertThat(a.message().orElseThrow())
        .contains("after 1 resubmissions")
        .contains("planned failure at 500");
    List<FlinkJobInfo> jobs = plugin.jobs().jobs("flaky", "count");
    assertThat(jobs).extracting(FlinkJobInfo::generation).containsExactlyInAnyOrder(0, 1);
    assertThat(jobs).allMatch(j -> j.state().equals("FAILED"));
    assertThat(jobs).extracting(FlinkJobInfo::jobId).doesNotHaveDuplicates();
    assertThat(client.log(a)).contains("resubmitting (1 of 1)");
  }

  static boolean exceptionless(java.util.concurrent.Callable<Boolean> c) {
    try {
      return c.call();
    } catch (Exception e) {
      return false;
    }
  }

  static long jobsOnCluster(String jobId) throws Exception {
    return session.cluster.listJobs().get(10, TimeUnit.SECONDS).stream()
        .map(JobStatusMessage::getJobId)
        .filter(id -> id.toHexString().equals(jobId))
        .count();
  }
}

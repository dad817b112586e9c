package io.flinkplatform.tasks.flink;

import static io.flinkplatform.tasks.flink.LocalTargetTest.assertRun;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.flinkplatform.engine.Platform;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.run.TaskAttempt;
import io.flinkplatform.engine.testing.Await;
import io.flinkplatform.engine.testing.TestDatabase;
import io.flinkplatform.engine.testing.TestPlatforms;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.client.deployment.executors.PipelineExecutorUtils;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptionsInternal;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.DiscardingSink;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Platforms sharing one session cluster never adopt, stop or cancel each other's jobs: job ids
 * derive from each database's installation id, and a job found under an attempt's id is adopted
 * only if its name carries that attempt's mark.
 */
class JobIdentityTest {
  static final String STREAM =
      "CREATE TABLE src (id BIGINT) WITH ('connector' = 'datagen', 'rows-per-second' = '20');\n"
          + "CREATE TABLE sink (id BIGINT) WITH ('connector' = 'blackhole');\n"
          + "INSERT INTO sink SELECT id FROM src";

  static SessionCluster session;
  final List<AutoCloseable> closeAtEnd = new ArrayList<>();
  final List<JobID> cancelAtEnd = new ArrayList<>();

  @BeforeAll
  static void startCluster() throws Exception {
    session = new SessionCluster(4);
  }

  @AfterAll
  static void stopCluster() throws Exception {
    session.close();
  }

  @AfterEach
  void cleanUp() throws Exception {
    for (int i = closeAtEnd.size() - 1; i >= 0; i--) {
      closeAtEnd.get(i).close();
    }
    for (JobID id : cancelAtEnd) {
      try {
        session.cluster.cancelJob(id).get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        // ended already
      }
    }
  }

  /** A platform with the plugin on {@code dataSource}, targeting the session cluster. */
  Platform start(HikariDataSource dataSource, String name, FlinkTaskPlugin plugin) {
    Platform p =
        TestPlatforms.builder(dataSource, name)
            // a database created again is a new installation, which may not write into the log
            // directory of the one before it: each platform here gets a directory of its own
            .logDirectory(
                java.nio.file.Path.of(
                    "target",
                    "task-logs",
                    "job-identity",
                    name + "-" + java.util.UUID.randomUUID()))
            .plugin(plugin)
            .pluginSetting("flink.target", "session")
            .pluginSetting("flink.poll-interval", "200ms")
            .pluginSetting("flink.namespace", "shared")
            .pluginSetting("flink.conf.rest.address", "127.0.0.1")
            .pluginSetting("flink.conf.rest.port", Integer.toString(session.port))
            .build()
            .start();
    closeAtEnd.add(p::stop);
    return p;
  }

  HikariDataSource pool(String url) {
    HikariDataSource ds = TestDatabase.pool(url);
    closeAtEnd.add(ds);
    return ds;
  }

  /** Deploys the streaming workflow, triggers it and waits for its job to run. */
  static TaskAttempt runStream(Platform p, FlinkTaskPlugin plugin) throws Exception {
    p.client()
        .deploy(
            Workflow.builder("stream")
                .task("s", "flink_sql", t -> t.option("sql", STREAM))
                .build());
    long run = p.client().trigger("stream");
    TaskAttempt a = p.client().attempts(run).get(0);
    Await.until(
        () -> plugin.jobs().job(a.id()).map(j -> j.state().equals("RUNNING")).orElse(false));
    return p.client().attempts(run).get(0);
  }

  static JobStatus onCluster(String jobId) throws Exception {
    return session.cluster.getJobStatus(JobID.fromHexString(jobId)).get(10, TimeUnit.SECONDS);
  }

  @Test
  void aDatabaseDroppedAndCreatedAgainNeverAdoptsTheJobOfItsPredecessor() throws Exception {
    String url = TestDatabase.get().newDatabaseUrl();
    HikariDataSource firstPool = pool(url);
    FlinkTaskPlugin first = new FlinkTaskPlugin();
    Platform a = start(firstPool, "team-a", first);
    TaskAttempt attemptA = runStream(a, first);
    String jobA = first.jobs().job(attemptA.id()).orElseThrow().jobId();
    cancelAtEnd.add(JobID.fromHexString(jobA));
    a.stop();
    firstPool.close();

    // the same database name, created again: a new installation
    recreate(url);
    FlinkTaskPlugin second = new FlinkTaskPlugin();
    Platform b = start(pool(url), "team-b", second);
    TaskAttempt attemptB = runStream(b, second);
    assertThat(attemptB.id()).as("the same attempt id as before the drop").isEqualTo(attemptA.id());
    String jobB = second.jobs().job(attemptB.id()).orElseThrow().jobId();
    cancelAtEnd.add(JobID.fromHexString(jobB));
    assertThat(jobB).isNotEqualTo(jobA);
    assertThat(onCluster(jobA)).isEqualTo(JobStatus.RUNNING);
    assertThat(onCluster(jobB)).isEqualTo(JobStatus.RUNNING);

    // the kill of the new platform's run cancels its own job only
    assertThat(b.client().kill(attemptB.runId())).isTrue();
    assertRun(b.client(), attemptB.runId(), 60, RunState.KILLED);
    Await.until(() -> SessionTargetTest.exceptionless(() -> onCluster(jobB) == JobStatus.CANCELED));
    assertThat(onCluster(jobA)).isEqualTo(JobStatus.RUNNING);
  }

  @Test
  void platformsOnTwoDatabasesWithOneNamespaceSettingKeepTheirJobsApart() throws Exception {
    FlinkTaskPlugin pluginA = new FlinkTaskPlugin();
    FlinkTaskPlugin pluginB = new FlinkTaskPlugin();
    Platform a = start(pool(TestDatabase.get().newDatabaseUrl()), "team-a", pluginA);
    Platform b = start(pool(TestDatabase.get().newDatabaseUrl()), "team-b", pluginB);
    TaskAttempt attemptA = runStream(a, pluginA);
    TaskAttempt attemptB = runStream(b, pluginB);
    assertThat(attemptB.id()).isEqualTo(attemptA.id());
    String jobA = pluginA.jobs().job(attemptA.id()).orElseThrow().jobId();
    String jobB = pluginB.jobs().job(attemptB.id()).orElseThrow().jobId();
    cancelAtEnd.add(JobID.fromHexString(jobA));
    cancelAtEnd.add(JobID.fromHexString(jobB));
    assertThat(jobB).isNotEqualTo(jobA);
    assertThat(pluginA.runtime().installationId).isNotEqualTo(pluginB.runtime().installationId);

    assertThat(b.client().kill(attemptB.runId())).isTrue();
    assertRun(b.client(), attemptB.runId(), 60, RunState.KILLED);
    Await.until(() -> SessionTargetTest.exceptionless(() -> onCluster(jobB) == JobStatus.CANCELED));
    assertThat(onCluster(jobA)).isEqualTo(JobStatus.RUNNING);
    assertThat(a.client().attempts(attemptA.runId()).get(0).state())
        .isEqualTo(io.flinkplatform.engine.run.TaskState.RUNNING);
  }

  @Test
  void aJobUnderTheAttemptsIdWithoutItsMarkIsNeverAdopted() throws Exception {
    FlinkTaskPlugin plugin = new FlinkTaskPlugin();
    Platform p = start(pool(TestDatabase.get().newDatabaseUrl()), "victim", plugin);
    // someone else runs a job under the id the platform's first attempt will get
    JobID id = JobIds.of(plugin.runtime().installationId, 1, 0);
    session.cluster.submitJob(foreignJob(id)).get(30, TimeUnit.SECONDS);
    cancelAtEnd.add(id);
    Await.until(
        () ->
            SessionTargetTest.exceptionless(
                () -> onCluster(id.toHexString()) == JobStatus.RUNNING));

    p.client()
        .deploy(
            Workflow.builder("stream")
                .task("s", "flink_sql", t -> t.option("sql", STREAM))
                .build());
    long run = p.client().trigger("stream");
    assertRun(p.client(), run, 90, RunState.FAILED);
    TaskAttempt a = p.client().attempts(run).get(0);
    assertThat(a.id()).as("the id the foreign job was submitted under").isEqualTo(1);
    assertThat(a.message().orElseThrow())
        .contains("is not this attempt's")
        .contains("named 'intruder'");
    assertThat(plugin.jobs().job(a.id()).orElseThrow().state()).isEqualTo("FOREIGN");
    assertThat(onCluster(id.toHexString())).isEqualTo(JobStatus.RUNNING);
  }

  private static JobGraph foreignJob(JobID id) throws Exception {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.fromSequence(1, Long.MAX_VALUE).addSink(new DiscardingSink<>());
    StreamGraph graph = env.getStreamGraph();
    graph.setJobName("intruder");
    Configuration c = new Configuration();
    c.set(PipelineOptionsInternal.PIPELINE_FIXED_JOB_ID, id.toHexString());
    return PipelineExecutorUtils.getJobGraph(graph, c, JobIdentityTest.class.getClassLoader());
  }

  /** Drops the database of {@code url} and creates an empty one of the same name. */
  private static void recreate(String url) throws Exception {
    String name = url.substring(url.lastIndexOf('/') + 1, url.indexOf('?'));
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE " + name);
      s.execute("CREATE DATABASE " + name + " CHARACTER SET utf8mb4");
    }
  }
}

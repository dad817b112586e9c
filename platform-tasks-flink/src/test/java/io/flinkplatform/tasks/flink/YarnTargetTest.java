package io.flinkplatform.tasks.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinkplatform.engine.Platform;
import io.flinkplatform.engine.PlatformClient;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.run.TaskAttempt;
import io.flinkplatform.engine.testing.TestPlatforms;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.flink.api.common.JobID;
import org.apache.flink.client.deployment.StandaloneClusterId;
import org.apache.flink.client.program.rest.RestClusterClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.runtime.client.JobStatusMessage;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The YARN targets on a MiniYARNCluster with a MiniDFSCluster: a jar job in a YARN application
 * cluster, found by its tag, polled at both levels, savepointed to HDFS and killed (the Flink job
 * and the YARN application). Run with {@code -Pyarn}.
 */
@Tag("yarn")
class YarnTargetTest {
  static final Duration YARN_LIMIT = Duration.ofMinutes(4);

  @TempDir static Path work;
  static YarnTestCluster cluster;
  static Path jobJar;
  TestPlatforms platforms;
  FlinkTaskPlugin plugin;
  PlatformClient client;
  Platform firstInstance;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = new YarnTestCluster(work);
    jobJar = TestJars.jobJar(Files.createDirectories(work.resolve("jobs")), "x");
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
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
    try {
      cluster.killAll();
    } finally {
      platforms.close();
    }
  }

  Platform startInstance(String name, FlinkTaskPlugin p) {
    return startInstance(name, p, Map.of());
  }

  Platform startInstance(String name, FlinkTaskPlugin p, Map<String, String> extra) {
    return platforms.start(
        name,
        b -> {
          b.plugin(p).pluginSetting("flink.poll-interval", "500ms");
          cluster.settings("yarn-application").forEach(b::pluginSetting);
          extra.forEach(b::pluginSetting);
        });
  }

  static void await(String what, BooleanSupplier condition) throws Exception {
    long end = System.nanoTime() + YARN_LIMIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        dumpLogs();
        throw new AssertionError(what + " not within " + YARN_LIMIT);
      }
      Thread.sleep(200);
    }
  }

  static void dumpLogs() {
    try {
      for (Path p : cluster.containerLogs()) {
        System.err.println("==== " + p);
        String text = Files.readString(p);
        System.err.println(
            text.length() > 16000
                ? text.substring(0, 8000) + "\n[...]\n" + text.substring(text.length() - 8000)
                : text);
      }
    } catch (Exception e) {
      System.err.println("no container logs: " + e);
    }
  }

  /**
   * Deploys {@code workflow}: one {@code flink_jar} task running the test jar's SequenceJob with
   * {@code args} and parallelism 1, and the further {@code options}.
   */
  void deploySequenceJob(String workflow, String task, List<String> args, Map<String, ?> options) {
    client.deploy(
        Workflow.builder(workflow)
            .task(
                task,
                "flink_jar",
                t -> {
                  t.option("jar", jobJar.toString())
                      .option("main_class", "io.flinkplatform.tasks.flink.testjobs.SequenceJob")
                      .option("args", args)
                      .option("parallelism", 1);
                  options.forEach(t::option);
                })
            .build());
  }

  void awaitEnd(long run) throws Exception {
    await("the run to end", () -> client.run(run).map(r -> r.state().isFinal()).orElse(false));
  }

  /** The run's only attempt, once the run ended with it FAILED (its message and log if not). */
  TaskAttempt failed(long run) throws Exception {
    awaitEnd(run);
    TaskAttempt a = only(run);
    assertThat(a.state())
        .as(() -> a.message() + "\n" + client.log(a))
        .isEqualTo(io.flinkplatform.engine.run.TaskState.FAILED);
    return a;
  }

  TaskAttempt only(long run) {
    List<TaskAttempt> attempts = client.attempts(run);
    assertThat(attempts).hasSize(1);
    return attempts.get(0);
  }

  @Test
  void applicationModeJobIsTaggedPolledSavepointedAndKilledWithItsApplication() throws Exception {
    deploySequenceJob("yarn_seq", "seq", List.of("1000000000000"), Map.of());
    long run = client.trigger("yarn_seq");
    long attempt = only(run).id();
    await(
        "Flink job RUNNING on YARN",
        () -> plugin.jobs().job(attempt).map(j -> j.state().equals("RUNNING")).orElse(false));

    FlinkJobInfo job = plugin.jobs().job(attempt).orElseThrow();
    assertThat(job.target()).isEqualTo("yarn-application");
    assertThat(job.cluster()).isEqualTo(YarnTags.cluster(JobID.fromHexString(job.jobId())));
    List<ApplicationReport> tagged =
        cluster.applications().stream()
            .filter(
                r ->
                    r.getApplicationTags().contains(YarnTags.tag(JobID.fromHexString(job.jobId()))))
            .toList();
    assertThat(tagged).hasSize(1);
    ApplicationReport app = tagged.get(0);
    assertThat(app.getName()).contains("yarn_seq.seq").contains("attempt " + attempt);
    assertThat(app.getApplicationType()).isEqualTo(YarnClusters.APPLICATION_TYPE);
    YarnApplicationInfo running = plugin.jobs().yarnApplication(attempt).orElseThrow();
    assertThat(running.applicationId()).isEqualTo(app.getApplicationId().toString());
    assertThat(running.state()).isEqualTo("RUNNING");
    assertThat(running.finalStatus()).isEqualTo("UNDEFINED");
    assertThat(running.restAddress()).get().asString().startsWith("http://");
    // the console's Flink jobs list shows both levels: the YARN application and the Flink job
    FlinkApi.JobRow listed =
        consoleJobs().stream().filter(r -> r.attemptId() == attempt).findFirst().orElseThrow();
    assertThat(listed.target()).isEqualTo("yarn-application");
    assertThat(listed.yarnApplication()).contains(running.applicationId());
    assertThat(listed.yarnState()).contains("RUNNING");
    assertThat(listed.flinkState()).isEqualTo("RUNNING");
    await(
        "the reference to carry the application id",
        () ->
            only(run)
                .externalRef()
                .map(r -> r.contains(app.getApplicationId().toString()))
                .orElse(false));

    // the job runs once a TaskManager container came up: its first checkpoint says so
    await(
        "a completed checkpoint",
        () -> plugin.jobs().job(attempt).orElseThrow().lastCheckpoint().isPresent());
    assertThat(plugin.jobs().job(attempt).orElseThrow().lastCheckpoint().orElseThrow())
        .startsWith(cluster.dfs.getURI().toString());
    SavepointRecord sp = plugin.jobs().triggerSavepoint(attempt);
    assertThat(sp.path()).startsWith(cluster.dfs.getURI().toString());
    assertThat(cluster.dfs.getFileSystem().exists(new org.apache.hadoop.fs.Path(sp.path())))
        .isTrue();

    assertThat(client.kill(run)).isTrue();
    await(
        "the run KILLED",
        () -> client.run(run).map(r -> r.state() == RunState.KILLED).orElse(false));
    await(
        "the YARN application ended",
        () -> {
          try {
            return YarnClusters.ended(cluster.client.getApplicationReport(app.getApplicationId()));
          } catch (Exception e) {
            return false;
          }
        });
    assertThat(plugin.jobs().job(attempt).orElseThrow().state()).isEqualTo("CANCELED");
    YarnApplicationInfo ended = plugin.jobs().yarnApplication(attempt).orElseThrow();
    assertThat(ended.state()).isIn("FINISHED", "KILLED");
    assertThat(ended.finalStatus()).isEqualTo("KILLED");
    assertThat(ended.restAddress()).isEmpty();
    long sameTag =
        cluster.applications().stream()
            .filter(
                r ->
                    r.getApplicationTags().contains(YarnTags.tag(JobID.fromHexString(job.jobId()))))
            .count();
    assertThat(sameTag).as("one application per attempt").isEqualTo(1);
  }

  @Test
  void perJobSqlStreamReleasesItsRunningEdgeAndANewInstanceFindsItsApplication() throws Exception {
    client.deploy(
        Workflow.builder("yarn_sql")
            .task(
                "stream",
                "flink_sql",
                t ->
                    t.option("target", "yarn-per-job")
                        .option(
                            "sql",
                            "CREATE TABLE src (id BIGINT) WITH ('connector' = 'datagen',"
                                + " 'rows-per-second' = '20');\n"
                                + "CREATE TABLE sink (id BIGINT) WITH ('connector' = 'blackhole');\n"
                                + "INSERT INTO sink SELECT id FROM src")
                        .option("parallelism", 1))
            .task(
                "downstream",
                "flink_sql",
                t ->
                    t.option("target", "local")
                        .option(
                            "sql", "CREATE TABLE t (id BIGINT) WITH ('connector' = 'blackhole')")
                        .after("stream", io.flinkplatform.engine.dag.EdgeCondition.RUNNING))
            .build());
    long run = client.trigger("yarn_sql");
    long attempt = attempt(run, "stream").id();
    await(
        "the task behind the RUNNING edge to succeed",
        () -> attempt(run, "downstream").state() == io.flinkplatform.engine.run.TaskState.SUCCESS);
    FlinkJobInfo job = plugin.jobs().job(attempt).orElseThrow();
    assertThat(job.target()).isEqualTo("yarn-per-job");
    assertThat(job.state()).isEqualTo("RUNNING");
    assertThat(attempt(run, "stream").state())
        .isEqualTo(io.flinkplatform.engine.run.TaskState.RUNNING);
    String tag = YarnTags.tag(JobID.fromHexString(job.jobId()));

    // the instance running the task stops; the YARN application keeps running
    firstInstance.stop();
    FlinkTaskPlugin secondPlugin = new FlinkTaskPlugin();
    client = startInstance("second", secondPlugin).client();
    await(
        "the second instance to own the attempt",
        () -> {
          TaskAttempt a = attempt(run, "stream");
          return a.state() == io.flinkplatform.engine.run.TaskState.RUNNING
              && a.owner().orElse("").startsWith("second#");
        });
    assertThat(
            cluster.applications().stream()
                .filter(r -> r.getApplicationTags().contains(tag))
                .count())
        .as("deployed once")
        .isEqualTo(1);

    assertThat(client.kill(run)).isTrue();
    await(
        "the run KILLED",
        () -> client.run(run).map(r -> r.state() == RunState.KILLED).orElse(false));
    ApplicationReport app =
        cluster.applications().stream()
            .filter(r -> r.getApplicationTags().contains(tag))
            .findFirst()
            .orElseThrow();
    await(
        "the YARN application ended",
        () -> {
          try {
            return YarnClusters.ended(cluster.client.getApplicationReport(app.getApplicationId()));
          } catch (Exception e) {
            return false;
          }
        });
    // the log is published when the attempt ends
    assertThat(client.log(attempt(run, "stream")))
        .contains("re-attached to Flink job " + JobID.fromHexString(job.jobId()))
        .contains("killed the YARN application");
  }

  TaskAttempt attempt(long run, String task) {
    return client.attempts(run).stream()
        .filter(a -> a.taskId().equals(task))
        .reduce((x, y) -> x.attempt() >= y.attempt() ? x : y)
        .orElseThrow();
  }

  // ---- flink_sql in a YARN application cluster ----

  @Test
  void applicationModeSqlRunsInTheClusterWithItsCatalogFunctionAndSetAndIsKilledWithIt()
      throws Exception {
    // the function's jar lives on HDFS: the plugin plans with it, the cluster loads it from there
    org.apache.hadoop.fs.Path udf = new org.apache.hadoop.fs.Path("/udf/test-job.jar");
    cluster
        .dfs
        .getFileSystem()
        .copyFromLocalFile(new org.apache.hadoop.fs.Path(jobJar.toUri()), udf);
    plugin
        .jobs()
        .putCatalog(new CatalogInfo("mem", "generic_in_memory", Optional.of("db1"), Map.of()));
    plugin
        .jobs()
        .putFunction(
            new FunctionInfo(
                "twice",
                "io.flinkplatform.tasks.flink.testjobs.Twice",
                Optional.of(cluster.dfs.getURI() + udf.toString())));
    client.deploy(
        Workflow.builder("yarn_sql_app")
            .task(
                "stream",
                "flink_sql",
                t ->
                    t.option("target", "yarn-application")
                        .option("catalogs", List.of("mem"))
                        .option("functions", List.of("twice"))
                        .option(
                            "sql",
                            "SET 'pipeline.name' = 'named-by-set';\n"
                                + "USE CATALOG mem;\n"
                                + "CREATE TABLE src (id BIGINT) WITH ('connector' = 'datagen',"
                                + " 'rows-per-second' = '20');\n"
                                + "CREATE TABLE sink (id BIGINT) WITH ('connector' = 'blackhole');\n"
                                + "INSERT INTO sink SELECT twice(id) FROM db1.src")
                        .option("parallelism", 1))
            .build());
    long run = client.trigger("yarn_sql_app");
    long attempt = only(run).id();
    await(
        "the SQL job RUNNING in its YARN application",
        () ->
            plugin.jobs().job(attempt).map(j -> j.state().equals("RUNNING")).orElse(false)
                || client.run(run).map(r -> r.state().isFinal()).orElse(false));
    assertThat(only(run).state())
        .as(() -> only(run).message() + "\n" + client.log(only(run)))
        .isEqualTo(io.flinkplatform.engine.run.TaskState.RUNNING);

    FlinkJobInfo job = plugin.jobs().job(attempt).orElseThrow();
    JobID jobId = JobID.fromHexString(job.jobId());
    assertThat(job.target()).isEqualTo("yarn-application");
    assertThat(jobId)
        .as("derived from the attempt")
        .isEqualTo(JobIds.of(installationId(), attempt, 0));
    assertThat(job.cluster()).isEqualTo(YarnTags.cluster(jobId));
    List<ApplicationReport> tagged = tagged(jobId);
    assertThat(tagged).hasSize(1);
    assertThat(tagged.get(0).getName()).contains("attempt " + attempt);
    YarnApplicationInfo app = plugin.jobs().yarnApplication(attempt).orElseThrow();
    assertThat(app.state()).isEqualTo("RUNNING");
    // the cluster itself runs one job: the attempt's id, named by the script's SET
    List<JobStatusMessage> jobs = clusterJobs(app.restAddress().orElseThrow());
    assertThat(jobs).hasSize(1);
    assertThat(jobs.get(0).getJobId()).isEqualTo(jobId);
    assertThat(jobs.get(0).getJobName()).isEqualTo("named-by-set");
    assertThat(only(run).state()).isEqualTo(io.flinkplatform.engine.run.TaskState.RUNNING);

    assertThat(client.kill(run)).isTrue();
    await(
        "the run KILLED",
        () -> client.run(run).map(r -> r.state() == RunState.KILLED).orElse(false));
    await("the YARN application ended", () -> allEnded(jobId));
    assertThat(plugin.jobs().job(attempt).orElseThrow().state()).isEqualTo("CANCELED");
    assertThat(plugin.jobs().yarnApplication(attempt).orElseThrow().finalStatus())
        .isEqualTo("KILLED");
    assertThat(tagged(jobId)).as("one application per attempt").hasSize(1);
    assertThat(client.log(only(run))).contains("killed the YARN application");
  }

  @Test
  void applicationModeBatchSqlWithAnAddedJarSucceedsAndAPlanningErrorDeploysNothing()
      throws Exception {
    // ADD JAR from HDFS: fetched by the plugin to plan, shipped with the application
    org.apache.hadoop.fs.Path added = new org.apache.hadoop.fs.Path("/jars/added.jar");
    cluster
        .dfs
        .getFileSystem()
        .copyFromLocalFile(new org.apache.hadoop.fs.Path(jobJar.toUri()), added);
    client.deploy(
        Workflow.builder("yarn_sql_batch")
            .task(
                "bounded",
                "flink_sql",
                t ->
                    t.option("target", "yarn-application")
                        .option("mode", "batch")
                        .option(
                            "sql",
                            "ADD JAR '"
                                + cluster.dfs.getURI()
                                + added
                                + "';\n"
                                + "CREATE TEMPORARY FUNCTION twice2 AS"
                                + " 'io.flinkplatform.tasks.flink.testjobs.Twice';\n"
                                + "CREATE TABLE src (id BIGINT) WITH ('connector' = 'datagen',"
                                + " 'number-of-rows' = '1000');\n"
                                + "CREATE TABLE sink (id BIGINT) WITH ('connector' = 'blackhole');\n"
                                + "EXECUTE STATEMENT SET BEGIN\n"
                                + "INSERT INTO sink SELECT id FROM src;\n"
                                + "INSERT INTO sink SELECT twice2(id) FROM src;\n"
                                + "END")
                        .option("parallelism", 1))
            .task(
                "broken",
                "flink_sql",
                t ->
                    t.option("target", "yarn-application")
                        .option(
                            "sql",
                            "CREATE TABLE s (id BIGINT) WITH ('connector' = 'datagen');\n"
                                + "CREATE TABLE k (id BIGINT) WITH ('connector' = 'blackhole');\n"
                                + "INSERT INTO k SELECT nme FROM s"))
            .build());
    long run = client.trigger("yarn_sql_batch");
    awaitEnd(run);
    TaskAttempt bounded = attempt(run, "bounded");
    assertThat(bounded.state())
        .as(() -> bounded.message() + "\n" + client.log(bounded))
        .isEqualTo(io.flinkplatform.engine.run.TaskState.SUCCESS);
    FlinkJobInfo job = plugin.jobs().job(bounded.id()).orElseThrow();
    assertThat(bounded.outputs()).containsEntry("job_id", job.jobId());
    assertThat(job.state()).isEqualTo("FINISHED");
    JobID jobId = JobID.fromHexString(job.jobId());
    assertThat(tagged(jobId)).hasSize(1);
    await("the application of the batch job ended", () -> allEnded(jobId));
    assertThat(plugin.jobs().yarnApplication(bounded.id()).orElseThrow().finalStatus())
        .isEqualTo("SUCCEEDED");

    TaskAttempt broken = attempt(run, "broken");
    assertThat(broken.state()).isEqualTo(io.flinkplatform.engine.run.TaskState.FAILED);
    assertThat(broken.message().orElseThrow()).contains("line 3, column 22").contains("nme");
    assertThat(plugin.jobs().job(broken.id())).as("nothing recorded or deployed").isEmpty();
  }

  // ---- flink.yarn.deploy-timeout ----

  @Test
  void aSubmissionWhoseMasterNeverComesUpFailsAtTheDeployTimeoutAndItsApplicationIsKilled()
      throws Exception {
    firstInstance.stop();
    FlinkTaskPlugin p = new FlinkTaskPlugin();
    // long enough for Flink's upload to HDFS (about 22 s on a loaded 2-core machine), so that YARN
    // knows the application and only its master is missing when the timeout ends
    client =
        startInstance(
                "impatient",
                p,
                Map.of(
                    "flink.yarn.deploy-timeout",
                    "60s",
                    "flink.allowed-conf-keys",
                    "env.java.opts.jobmanager"))
            .client();
    // the JobManager's JVM waits for a debugger that never comes: its container runs, but the
    // application master never registers with YARN
    deploySequenceJob(
        "yarn_stuck",
        "seq",
        List.of("1000000000000"),
        Map.of(
            "flink_conf",
            Map.of(
                "env.java.opts.jobmanager",
                "-agentlib:jdwp=transport=dt_socket,server=y,suspend=y," + "address=127.0.0.1:0")));
    long run = client.trigger("yarn_stuck");
    TaskAttempt a = failed(run);
    assertThat(a.message().orElseThrow())
        .contains("did not get its application master within")
        .contains("flink.yarn.deploy-timeout")
        .contains("killed");
    FlinkJobInfo job = p.jobs().job(a.id()).orElseThrow();
    JobID jobId = JobID.fromHexString(job.jobId());
    assertThat(tagged(jobId)).hasSize(1);
    await("the stuck application killed", () -> allEnded(jobId));
    assertThat(tagged(jobId).get(0).getYarnApplicationState())
        .isEqualTo(org.apache.hadoop.yarn.api.records.YarnApplicationState.KILLED);
    assertThat(cluster.applications().stream().filter(r -> !YarnClusters.ended(r)).toList())
        .as("no application left running")
        .isEmpty();
    // Flink's deployment sees its application killed and gives up; nothing keeps trying
    await(
        "the abandoned deployment to end",
        () ->
            Thread.getAllStackTraces().keySet().stream()
                .noneMatch(th -> th.getName().equals("flink-yarn-deploy-" + jobId)));
  }

  @Test
  void aDeploymentGivenUpWhileUploadingIsNeverSubmittedAlthoughItsInstanceStops() throws Exception {
    firstInstance.stop();
    FlinkTaskPlugin p = new FlinkTaskPlugin();
    // far shorter than Flink's upload to HDFS: the deployment is given up while it still uploads
    Platform hasty = startInstance("hasty", p, Map.of("flink.yarn.deploy-timeout", "100ms"));
    client = hasty.client();
    deploySequenceJob("yarn_abandoned", "seq", List.of("1000000000000"), Map.of());
    long run = client.trigger("yarn_abandoned");
    TaskAttempt a = failed(run);
    assertThat(a.message().orElseThrow())
        .contains("was not submitted to YARN within PT0.1S (flink.yarn.deploy-timeout")
        .contains("it will not be submitted");
    JobID jobId = JobID.fromHexString(p.jobs().job(a.id()).orElseThrow().jobId());
    assertThat(deploymentThread(jobId)).as("Flink still uploads").isTrue();

    // the instance stops while Flink uploads on; when the upload ends, nothing is submitted
    hasty.stop();
    await("the abandoned deployment to end", () -> !deploymentThread(jobId));
    assertThat(tagged(jobId)).as("applications of the abandoned deployment").isEmpty();
  }

  private static boolean deploymentThread(JobID jobId) {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(th -> th.isAlive() && th.getName().equals("flink-yarn-deploy-" + jobId));
  }

  // ---- the supervisor and on_kill on YARN ----

  @Test
  void theSupervisorResubmitsAFailedJobAsANewApplicationThenFailsTheTask() throws Exception {
    // the cause is read from the job's cluster while it answers, else from the job's archive
    deploySequenceJob(
        "yarn_flaky",
        "count",
        List.of("100000", "fail"),
        Map.of("max_restarts", 1, "restart_backoff", "1s"));
    long run = client.trigger("yarn_flaky");
    TaskAttempt a = failed(run);
    assertThat(a.message().orElseThrow())
        .contains("after 1 resubmissions")
        .contains("planned failure at 50000");
    assertThat(client.log(a)).contains("resubmitting (1 of 1)");
    List<FlinkJobInfo> jobs = plugin.jobs().jobs("yarn_flaky", "count");
    assertThat(jobs).extracting(FlinkJobInfo::generation).containsExactlyInAnyOrder(0, 1);
    assertThat(jobs).allMatch(j -> j.state().equals("FAILED"));
    assertThat(jobs).extracting(FlinkJobInfo::jobId).doesNotHaveDuplicates();
    for (FlinkJobInfo j : jobs) {
      JobID id = JobID.fromHexString(j.jobId());
      assertThat(id).isEqualTo(JobIds.of(installationId(), a.id(), j.generation()));
      assertThat(tagged(id)).as("one application per generation").hasSize(1);
      await("the application of generation " + j.generation() + " ended", () -> allEnded(id));
      assertThat(tagged(id).get(0).getFinalApplicationStatus().name()).isEqualTo("FAILED");
    }
  }

  @Test
  void aFailedJobsCauseIsReadFromItsArchiveAfterItsApplicationShutItsClusterDown()
      throws Exception {
    // the containers run on this machine: the job fails once this local file exists
    Path marker = Files.createTempDirectory("yarn-fail-when").resolve("now");
    try {
      deploySequenceJob(
          "yarn_archived",
          "seq",
          List.of("1000000000000", "fail-when", marker.toString()),
          Map.of());
      long run = client.trigger("yarn_archived");
      long attempt = only(run).id();
      await(
          "the job RUNNING",
          () -> plugin.jobs().job(attempt).map(j -> j.state().equals("RUNNING")).orElse(false));
      JobID jobId = JobID.fromHexString(plugin.jobs().job(attempt).orElseThrow().jobId());
      org.apache.hadoop.fs.FileSystem fs = cluster.dfs.getFileSystem();
      org.apache.hadoop.fs.Path archive =
          new org.apache.hadoop.fs.Path(
              fs.getHomeDirectory(), JobArchives.OWN_DIRECTORY + "/" + jobId);

      // no instance polls while the job fails and its application shuts its cluster down
      firstInstance.stop();
      Files.createFile(marker);
      await("the application ended", () -> allEnded(jobId));
      assertThat(tagged(jobId).get(0).getDiagnostics()).as("YARN's diagnostics").isBlank();
      // the application unregisters before its cluster has archived the job
      await(
          "the job's archive " + archive,
          () -> {
            try {
              return fs.exists(archive);
            } catch (java.io.IOException e) {
              return false;
            }
          });

      plugin = new FlinkTaskPlugin();
      firstInstance = startInstance("second", plugin);
      client = firstInstance.client();
      TaskAttempt a = failed(run);
      assertThat(a.message().orElseThrow())
          .startsWith("Flink job " + jobId + " failed: ")
          .contains("failure asked for by " + marker);
      assertThat(plugin.jobs().job(attempt).orElseThrow().message().orElseThrow())
          .contains("failure asked for by " + marker);
      assertThat(fs.exists(archive)).as("the archive deleted once the end is recorded").isFalse();
    } finally {
      Files.deleteIfExists(marker);
      Files.deleteIfExists(marker.getParent());
    }
  }

  @Test
  void aKillWithOnKillSavepointStopsTheJobWithASavepointOnHdfsAndTheApplicationEnds()
      throws Exception {
    deploySequenceJob("yarn_stop", "seq", List.of("1000000000000"), Map.of("on_kill", "savepoint"));
    long run = client.trigger("yarn_stop");
    long attempt = only(run).id();
    await(
        "a completed checkpoint of the running job",
        () ->
            plugin.jobs().job(attempt).flatMap(FlinkJobInfo::lastCheckpoint).isPresent()
                || client.run(run).map(r -> r.state().isFinal()).orElse(false));
    assertThat(plugin.jobs().job(attempt).orElseThrow().state()).isEqualTo("RUNNING");
    JobID jobId = JobID.fromHexString(plugin.jobs().job(attempt).orElseThrow().jobId());

    assertThat(client.kill(run)).isTrue();
    awaitEnd(run);
    assertThat(client.run(run).orElseThrow().state()).isEqualTo(RunState.KILLED);
    List<SavepointRecord> stops =
        plugin.jobs().savepoints("yarn_stop", "seq").stream()
            .filter(r -> r.kind() == SavepointRecord.Kind.STOP_SAVEPOINT)
            .toList();
    assertThat(stops).as(() -> client.log(only(run))).hasSize(1);
    assertThat(stops.get(0).jobId()).isEqualTo(jobId.toHexString());
    assertThat(stops.get(0).path()).startsWith(cluster.dfs.getURI().toString());
    assertThat(
            cluster.dfs.getFileSystem().exists(new org.apache.hadoop.fs.Path(stops.get(0).path())))
        .isTrue();
    assertThat(plugin.jobs().job(attempt).orElseThrow().state()).isEqualTo("FINISHED");
    await("the application ended", () -> allEnded(jobId));
    // the job ended by its savepoint, so its application finished by itself: nobody killed it
    assertThat(tagged(jobId).get(0).getFinalApplicationStatus().name()).isEqualTo("SUCCEEDED");
    assertThat(client.log(only(run))).contains("stopped with savepoint " + stops.get(0).path());
  }

  List<ApplicationReport> tagged(JobID jobId) throws Exception {
    return cluster.applications().stream()
        .filter(r -> r.getApplicationTags().contains(YarnTags.tag(jobId)))
        .toList();
  }

  boolean allEnded(JobID jobId) {
    try {
      return tagged(jobId).stream().allMatch(YarnClusters::ended);
    } catch (Exception e) {
      return false;
    }
  }

  static List<JobStatusMessage> clusterJobs(String restAddress) throws Exception {
    URI u = URI.create(restAddress);
    Configuration c = new Configuration();
    c.set(RestOptions.ADDRESS, u.getHost());
    c.set(RestOptions.PORT, u.getPort());
    try (RestClusterClient<StandaloneClusterId> rc =
        new RestClusterClient<>(c, StandaloneClusterId.getInstance())) {
      return List.copyOf(rc.listJobs().get(60, TimeUnit.SECONDS));
    }
  }

  String installationId() {
    return plugin.runtime().installationId;
  }

  /** What the console's GET flink/jobs answers in the default workspace (as the system). */
  @SuppressWarnings("unchecked")
  private List<FlinkApi.JobRow> consoleJobs() throws Exception {
    io.flinkplatform.spi.ApiOperation list =
        plugin.apiOperations().stream()
            .filter(o -> o.method().equals("GET") && o.path().equals("flink/jobs"))
            .findFirst()
            .orElseThrow();
    return (List<FlinkApi.JobRow>)
        list.handler()
            .handle(
                new io.flinkplatform.spi.ApiRequest() {
                  @Override
                  public io.flinkplatform.spi.Actor actor() {
                    return io.flinkplatform.spi.Actor.SYSTEM;
                  }

                  @Override
                  public String workspace() {
                    return io.flinkplatform.spi.Workspaces.DEFAULT;
                  }

                  @Override
                  public String path(String name) {
                    throw new IllegalArgumentException("no path parameter " + name);
                  }

                  @Override
                  public Optional<String> query(String name) {
                    return Optional.empty();
                  }

                  @Override
                  public Map<String, Object> body() {
                    return Map.of();
                  }

                  @Override
                  public String bodyText() {
                    return "";
                  }
                });
  }
}

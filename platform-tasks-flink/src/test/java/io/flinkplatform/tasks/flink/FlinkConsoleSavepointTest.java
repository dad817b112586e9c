package io.flinkplatform.tasks.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import io.flinkplatform.engine.Platform;
import io.flinkplatform.engine.PlatformClient;
import io.flinkplatform.engine.access.AuditEntry;
import io.flinkplatform.engine.access.AuditQuery;
import io.flinkplatform.engine.console.ConsoleClient;
import io.flinkplatform.engine.console.ConsoleSettings;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.run.TaskAttempt;
import io.flinkplatform.engine.run.TaskState;
import io.flinkplatform.engine.testing.Await;
import io.flinkplatform.engine.testing.TestPlatforms;
import io.flinkplatform.spi.AccessDeniedException;
import io.flinkplatform.spi.Actor;
import io.flinkplatform.spi.Role;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console's savepoint buttons against a real job: a streaming {@code flink_sql} task of a
 * workspace runs on the plugin's local MiniCluster, and an operator logged in over HTTP lists it,
 * triggers a savepoint and stops it with one; both land on disk, in {@code t_savepoint} and in the
 * audit trail as the operator's, one row each. A viewer, another workspace and the host API without
 * a role are refused and leave no row; the host API without an actor leaves the system's.
 */
class FlinkConsoleSavepointTest {
  private static final String LOGIN = "correct horse battery staple";
  private static final String API = "api/v1/workspaces/team-a/";
  private static TestPlatforms platforms;
  private static Platform platform;
  private static FlinkTaskPlugin plugin;
  @TempDir static Path tmp;

  @BeforeAll
  static void start() {
    platforms = new TestPlatforms();
    plugin = new FlinkTaskPlugin();
    platform =
        platforms.start(
            "flinkconsolesp",
            b ->
                b.plugin(plugin)
                    .pluginSetting("flink.target", "local")
                    .pluginSetting("flink.poll-interval", "200ms")
                    .pluginSetting("flink.conf.taskmanager.numberOfTaskSlots", "2")
                    .pluginSetting(
                        "flink.conf.execution.checkpointing.savepoint-dir",
                        tmp.resolve("sp").toUri().toString())
                    .console(ConsoleSettings.builder().port(0).build()));
    platform.admin(Actor.SYSTEM).createWorkspace("team-a", "team A");
    platform.admin(Actor.SYSTEM).createWorkspace("team-b", "team B");
    platform.users(Actor.SYSTEM).createUser("otto", "Operator", LOGIN.toCharArray());
    platform.users(Actor.SYSTEM).createUser("vera", "Viewer", LOGIN.toCharArray());
    teamA().setMember("otto", Role.OPERATOR);
    teamA().setMember("vera", Role.VIEWER);
    // an operator of team-b too: only the workspace keeps it from team-a's job there
    platform.client(Actor.SYSTEM, "team-b").setMember("otto", Role.OPERATOR);
    platform.admin(Actor.SYSTEM).createWorkspace("team-c", "team C");
    platform.client(Actor.SYSTEM, "team-c").setMember("otto", Role.OPERATOR);
  }

  @AfterAll
  static void stop() {
    platforms.close();
  }

  private static PlatformClient teamA() {
    return platform.client(Actor.SYSTEM, "team-a");
  }

  /** Deploys a streaming job in the workspace, triggers it and waits until its job runs. */
  private static long runningStream(PlatformClient workspace) throws InterruptedException {
    workspace.deploy(
        Workflow.builder("stream")
            .task(
                "agg",
                "flink_sql",
                t ->
                    t.option(
                            "sql",
                            "CREATE TABLE src (id BIGINT) WITH ('connector' = 'datagen',"
                                + " 'rows-per-second' = '20');\n"
                                + "CREATE TABLE sink (id BIGINT) WITH ('connector' = 'blackhole');\n"
                                + "INSERT INTO sink SELECT id FROM src")
                        .option("parallelism", 1))
            .build());
    long run = workspace.trigger("stream");
    Await.until(
        () ->
            workspace.attempts(run).stream()
                .findFirst()
                .flatMap(a -> plugin.jobs().job(a.id()))
                .map(j -> j.state().equals("RUNNING"))
                .orElse(false));
    return run;
  }

  @Test
  void anOperatorSavepointsAndStopsARunningJobFromTheConsole() throws Exception {
    long run = runningStream(teamA());
    TaskAttempt attempt = teamA().attempts(run).get(0);
    String jobId = plugin.jobs().job(attempt.id()).orElseThrow().jobId();

    ConsoleClient otto = new ConsoleClient(platform.consoleUri().orElseThrow());
    assertThat(otto.login("otto", LOGIN).status()).isEqualTo(200);
    refusedWhileRunning(attempt.id(), jobId, otto);
    ConsoleClient.Reply listed = otto.get(API + "flink/jobs");
    assertThat(listed.status()).as(listed.body()).isEqualTo(200);
    assertThat(listed.json()).hasSize(1);
    JsonNode row = listed.json().get(0);
    assertThat(row.get("jobId").asText()).isEqualTo(jobId);
    assertThat(row.get("flinkState").asText()).isEqualTo("RUNNING");
    assertThat(row.get("workflow").asText()).isEqualTo("stream");
    assertThat(row.get("task").asText()).isEqualTo("agg");

    ConsoleClient.Reply triggered = otto.post(API + "flink/jobs/" + jobId + "/savepoints", null);
    assertThat(triggered.status()).as(triggered.body()).isEqualTo(200);
    assertThat(triggered.json().get("kind").asText()).isEqualTo("SAVEPOINT");
    String first = triggered.json().get("path").asText();
    assertThat(onDisk(first)).isDirectory();
    assertThat(onDisk(first).resolve("_metadata")).isRegularFile();
    assertThat(paths(otto.get(API + "flink/jobs/" + jobId + "/savepoints"))).containsExactly(first);
    // the host API without an actor acts as the system, in the job's workspace
    SavepointRecord bySystem = plugin.jobs().triggerSavepoint(attempt.id());
    assertThat(bySystem.kind()).isEqualTo(SavepointRecord.Kind.SAVEPOINT);
    assertThat(paths(otto.get(API + "flink/jobs/" + jobId + "/savepoints")))
        .containsExactly(bySystem.path(), first);
    assertThat(otto.get(API + "flink/jobs/" + jobId).json().get("flinkState").asText())
        .isEqualTo("RUNNING");

    ConsoleClient.Reply stopped =
        otto.post(API + "flink/jobs/" + jobId + "/stop-with-savepoint", Map.of("drain", false));
    assertThat(stopped.status()).as(stopped.body()).isEqualTo(200);
    assertThat(stopped.json().get("kind").asText()).isEqualTo("STOP_SAVEPOINT");
    String second = stopped.json().get("path").asText();
    assertThat(second).isNotEqualTo(first);
    assertThat(onDisk(second).resolve("_metadata")).isRegularFile();

    // the job ends FINISHED, so the task (and the run) succeed with the savepoint in its outputs
    LocalTargetTest.assertRun(teamA(), run, 60, RunState.SUCCESS);
    TaskAttempt ended = teamA().attempts(run).get(0);
    assertThat(ended.state()).isEqualTo(TaskState.SUCCESS);
    assertThat(ended.outputs()).containsEntry("job_id", jobId).containsEntry("savepoint", second);
    Await.until(
        () ->
            otto.get(API + "flink/jobs/" + jobId)
                .json()
                .get("flinkState")
                .asText()
                .equals("FINISHED"));
    assertThat(paths(otto.get(API + "flink/jobs/" + jobId + "/savepoints")))
        .containsExactly(second, bySystem.path(), first);
    ConsoleClient.Reply again = otto.post(API + "flink/jobs/" + jobId + "/savepoints", null);
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.json().get("message").asText()).contains("is not running");
    assertThatThrownBy(
            () ->
                plugin.jobs().stopWithSavepoint(Actor.user("otto"), "team-a", attempt.id(), false))
        .isInstanceOf(FlinkTaskException.class)
        .hasMessageContaining("has ended");

    // one row per savepoint taken, each in the transaction of its record; none for the refusals
    long stopId = stopped.json().get("id").asLong();
    long firstId = triggered.json().get("id").asLong();
    assertThat(flinkAudit(teamA()))
        .extracting(e -> e.actor() + " " + e.workspace() + " " + e.action() + " " + e.target())
        .containsExactly(
            "otto team-a flink.stop flink-job:" + jobId,
            "system team-a flink.savepoint flink-job:" + jobId,
            "otto team-a flink.savepoint flink-job:" + jobId);
    assertThat(flinkAudit(teamA()))
        .extracting(AuditEntry::digest)
        .containsExactly(
            "stopped with savepoint " + stopId + " (stream.agg)",
            "savepoint " + bySystem.id() + " (stream.agg)",
            "savepoint " + firstId + " (stream.agg)");
    assertThat(flinkAudit(platform.client(Actor.SYSTEM, "team-b"))).isEmpty();
  }

  /**
   * A savepoint and a stop happen on the cluster while {@code t_savepoint} refuses every insert:
   * neither can roll back, so each is tried twice, then audited alone as the operator's with a
   * digest saying the savepoint was not recorded, and the caller gets {@link
   * SavepointNotRecordedException} (the console: 500 with its fields, not 409). The task still
   * succeeds (its job stopped) and nothing later adds an audit row.
   */
  @Test
  void aSavepointOrStopWhoseRecordFailsIsStillAuditedAndTheCallerLearnsItHappened()
      throws Exception {
    PlatformClient teamC = platform.client(Actor.SYSTEM, "team-c");
    long run = runningStream(teamC);
    TaskAttempt attempt = teamC.attempts(run).get(0);
    String jobId = plugin.jobs().job(attempt.id()).orElseThrow().jobId();
    ConsoleClient otto = new ConsoleClient(platform.consoleUri().orElseThrow());
    assertThat(otto.login("otto", LOGIN).status()).isEqualTo(200);
    String refusal = "t_savepoint refused by the test";

    update(
        "CREATE TRIGGER refuse_savepoint BEFORE INSERT ON t_savepoint FOR EACH ROW"
            + " SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = '"
            + refusal
            + "'");
    SavepointNotRecordedException taken;
    ConsoleClient.Reply stopped;
    try {
      taken =
          catchThrowableOfType(
              SavepointNotRecordedException.class,
              () -> plugin.jobs().triggerSavepoint(Actor.user("otto"), "team-c", attempt.id()));
      stopped =
          otto.post(
              "api/v1/workspaces/team-c/flink/jobs/" + jobId + "/stop-with-savepoint",
              Map.of("drain", false));
    } finally {
      update("DROP TRIGGER refuse_savepoint");
    }

    assertThat(taken).isNotNull();
    assertThat(taken.action()).isEqualTo("flink.savepoint");
    assertThat(taken.jobId()).isEqualTo(jobId);
    assertThat(taken.audited()).isTrue();
    assertThat(taken).hasStackTraceContaining(refusal);
    assertThat(taken.getMessage())
        .contains("happened")
        .contains(taken.path())
        .doesNotContain(refusal); // the cause and the log have it
    assertThat(onDisk(taken.path()).resolve("_metadata")).isRegularFile();

    assertThat(stopped.status()).as(stopped.body()).isEqualTo(500);
    JsonNode error = stopped.json();
    assertThat(error.get("error").asText()).isEqualTo("SavepointNotRecordedException");
    assertThat(error.get("action").asText()).isEqualTo("flink.stop");
    assertThat(error.get("jobId").asText()).isEqualTo(jobId);
    assertThat(error.get("audited").asBoolean()).isTrue();
    assertThat(error.get("message").asText()).contains("stop-with-savepoint").contains("happened");
    String stopPath = error.get("path").asText();
    assertThat(onDisk(stopPath).resolve("_metadata")).isRegularFile();

    // one row per action, the operator's, each saying its savepoint was not recorded and why
    List<AuditEntry> rows = flinkAudit(teamC);
    assertThat(rows)
        .extracting(e -> e.actor() + " " + e.action() + " " + e.target())
        .containsExactly(
            "otto flink.stop flink-job:" + jobId, "otto flink.savepoint flink-job:" + jobId);
    assertThat(rows.get(0).digest())
        .startsWith(
            "stopped with savepoint at "
                + stopPath
                + " (stream.agg); savepoint not recorded: cannot record STOP_SAVEPOINT")
        .endsWith(refusal);
    assertThat(rows.get(1).digest())
        .startsWith(
            "savepoint at "
                + taken.path()
                + " (stream.agg); savepoint not recorded: cannot record SAVEPOINT")
        .endsWith(refusal);

    // the job stopped, so the task succeeds; nothing later adds an audit row, and the triggered
    // savepoint stays unrecorded (only the audit row says where it is). The supervisor may find
    // the stop's savepoint in the cluster's statistics and record it, without an audit row.
    LocalTargetTest.assertRun(teamC, run, 60, RunState.SUCCESS);
    assertThat(teamC.attempts(run).get(0).state()).isEqualTo(TaskState.SUCCESS);
    assertThat(plugin.jobs().savepoints("team-c", "stream", "agg"))
        .allSatisfy(
            sp -> {
              assertThat(sp.path()).isEqualTo(stopPath);
              assertThat(sp.kind()).isEqualTo(SavepointRecord.Kind.STOP_SAVEPOINT);
            });
    assertThat(flinkAudit(teamC)).isEqualTo(rows);
  }

  /**
   * Savepoint calls refused while the job runs: a viewer, a workspace the job is not in, an attempt
   * without a job. Each is refused before the cluster is asked and leaves no audit row and no
   * savepoint.
   */
  private static void refusedWhileRunning(long attemptId, String jobId, ConsoleClient otto) {
    ConsoleClient vera = new ConsoleClient(platform.consoleUri().orElseThrow());
    assertThat(vera.login("vera", LOGIN).status()).isEqualTo(200);
    assertThat(vera.post(API + "flink/jobs/" + jobId + "/savepoints", null).status())
        .isEqualTo(403);
    assertThat(vera.post(API + "flink/jobs/" + jobId + "/stop-with-savepoint", Map.of()).status())
        .isEqualTo(403);
    String teamB = "api/v1/workspaces/team-b/flink/jobs/" + jobId;
    assertThat(otto.post(teamB + "/savepoints", null).status()).isEqualTo(404);
    assertThat(otto.post(teamB + "/stop-with-savepoint", Map.of()).status()).isEqualTo(404);

    assertThatThrownBy(
            () -> plugin.jobs().triggerSavepoint(Actor.user("vera"), "team-a", attemptId))
        .isInstanceOf(AccessDeniedException.class)
        .hasMessageContaining("vera")
        .hasMessageContaining("team-a")
        .hasMessageContaining("flink.savepoint");
    assertThatThrownBy(
            () -> plugin.jobs().stopWithSavepoint(Actor.user("vera"), "team-a", attemptId, true))
        .isInstanceOf(AccessDeniedException.class)
        .hasMessageContaining("flink.stop");
    assertThatThrownBy(
            () -> plugin.jobs().triggerSavepoint(Actor.user("otto"), "team-b", attemptId))
        .isInstanceOf(FlinkTaskException.class)
        .hasMessageContaining("has no Flink job in workspace 'team-b'");
    assertThatThrownBy(
            () -> plugin.jobs().stopWithSavepoint(Actor.user("otto"), "team-b", attemptId, false))
        .isInstanceOf(FlinkTaskException.class)
        .hasMessageContaining("has no Flink job in workspace 'team-b'");
    assertThatThrownBy(() -> plugin.jobs().stopWithSavepoint(attemptId + 1_000_000, false))
        .isInstanceOf(FlinkTaskException.class)
        .hasMessageContaining("has no Flink job");

    assertThat(flinkAudit(teamA())).isEmpty();
    assertThat(flinkAudit(platform.client(Actor.SYSTEM, "team-b"))).isEmpty();
    assertThat(plugin.jobs().savepoints("team-a", "stream", "agg")).isEmpty();
    assertThat(plugin.jobs().job(attemptId).orElseThrow().state()).isEqualTo("RUNNING");
  }

  /** The workspace's audit rows of Flink savepoint actions, newest first. */
  private static List<AuditEntry> flinkAudit(PlatformClient workspace) {
    return workspace.audit(AuditQuery.latest(100)).stream()
        .filter(e -> e.action().startsWith("flink."))
        .toList();
  }

  private static void update(String sql) throws Exception {
    try (Connection c = platforms.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private static Path onDisk(String path) {
    return Path.of(URI.create(path));
  }

  private static List<String> paths(ConsoleClient.Reply reply) {
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    List<String> paths = new ArrayList<>();
    reply.json().forEach(s -> paths.add(s.get("path").asText()));
    paths.forEach(p -> assertThat(Files.exists(onDisk(p))).as(p).isTrue());
    return paths;
  }
}

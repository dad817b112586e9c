package io.flinkplatform.tasks.flink;

import static org.assertj.core.api.Assertions.assertThat;

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
import io.flinkplatform.spi.Actor;
import io.flinkplatform.spi.Role;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * audit trail as the operator's.
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
    platform.users(Actor.SYSTEM).createUser("otto", "Operator", LOGIN.toCharArray());
    teamA().setMember("otto", Role.OPERATOR);
  }

  @AfterAll
  static void stop() {
    platforms.close();
  }

  private static PlatformClient teamA() {
    return platform.client(Actor.SYSTEM, "team-a");
  }

  @Test
  void anOperatorSavepointsAndStopsARunningJobFromTheConsole() throws Exception {
    teamA()
        .deploy(
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
    long run = teamA().trigger("stream");
    Await.until(
        () ->
            teamA().attempts(run).stream()
                .findFirst()
                .flatMap(a -> plugin.jobs().job(a.id()))
                .map(j -> j.state().equals("RUNNING"))
                .orElse(false));
    TaskAttempt attempt = teamA().attempts(run).get(0);
    String jobId = plugin.jobs().job(attempt.id()).orElseThrow().jobId();

    ConsoleClient otto = new ConsoleClient(platform.consoleUri().orElseThrow());
    assertThat(otto.login("otto", LOGIN).status()).isEqualTo(200);
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
        .containsExactly(second, first);
    ConsoleClient.Reply again = otto.post(API + "flink/jobs/" + jobId + "/savepoints", null);
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.json().get("message").asText()).contains("is not running");

    List<AuditEntry> audit =
        teamA().audit(AuditQuery.latest(100).byActor("otto")).stream()
            .filter(e -> e.target().equals("flink-job:" + jobId))
            .toList();
    assertThat(audit)
        .extracting(AuditEntry::action)
        .containsExactly("flink.stop", "flink.savepoint");
    assertThat(audit).allSatisfy(e -> assertThat(e.workspace()).isEqualTo("team-a"));
    assertThat(audit.get(0).digest()).contains("stopped with savepoint").contains("stream.agg");
    assertThat(audit.get(1).digest()).contains("savepoint").contains("stream.agg");
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

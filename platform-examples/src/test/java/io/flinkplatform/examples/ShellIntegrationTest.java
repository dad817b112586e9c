package io.flinkplatform.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinkplatform.engine.PlatformClient;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.run.TaskAttempt;
import io.flinkplatform.engine.run.TaskState;
import io.flinkplatform.engine.run.TriggerRequest;
import io.flinkplatform.engine.testing.Await;
import io.flinkplatform.engine.testing.TestPlatforms;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shell plugin, found through ServiceLoader, driven by the engine against the real database.
 */
class ShellIntegrationTest {
  private static TestPlatforms platforms;
  private static PlatformClient client;

  @BeforeAll
  static void start() {
    platforms = new TestPlatforms();
    client = platforms.start("shell", b -> b.discoverPlugins(true)).client();
  }

  @AfterAll
  static void stop() {
    platforms.close();
  }

  @Test
  void parametersAndOutputsFlowAndTheLogIsStored() {
    client.deploy(
        Workflow.builder("shell_flow")
            .parameter("greeting", "hello")
            .task("a", "shell", t -> t.option("command", "echo \"$greeting\"; echo '##output n=7'"))
            .task(
                "b",
                "shell",
                t ->
                    t.option("command", "echo \"##output twice=$((UPSTREAM_A_N * 2))\"").after("a"))
            .build());
    long run =
        client.trigger(TriggerRequest.of("shell_flow").withParameters(Map.of("greeting", "$(id)")));
    assertThat(client.awaitRun(run, Duration.ofSeconds(60)).state()).isEqualTo(RunState.SUCCESS);
    List<TaskAttempt> attempts = client.attempts(run);
    assertThat(attempts.get(1).outputs()).containsEntry("twice", "14");
    assertThat(client.log(attempts.get(0))).contains("$(id)").doesNotContain("uid=");
  }

  @Test
  void killEndsTheWholeProcessTree(@TempDir Path dir) throws Exception {
    Path pids = dir.resolve("pids");
    client.deploy(
        Workflow.builder("shell_kill")
            .task(
                "tree",
                "shell",
                t ->
                    t.option(
                        "command",
                        "sleep 300 & echo $! >> '"
                            + pids
                            + "'; bash -c 'sleep 300 & echo $! >> \""
                            + pids
                            + "\"; wait' & echo $$ >> '"
                            + pids
                            + "'; wait"))
            .build());
    long run = client.trigger("shell_kill");
    Await.until(() -> Files.exists(pids) && lines(pids).size() >= 3);
    client.kill(run);
    assertThat(client.awaitRun(run, Duration.ofSeconds(30)).state()).isEqualTo(RunState.KILLED);
    assertThat(client.attempts(run).get(0).state()).isEqualTo(TaskState.KILLED);
    Await.until(() -> lines(pids).stream().noneMatch(ShellIntegrationTest::alive));
  }

  @Test
  void timeoutEndsTheProcessAndRetries() {
    client.deploy(
        Workflow.builder("shell_timeout")
            .task(
                "slow",
                "shell",
                t ->
                    t.option("command", "sleep 300")
                        .timeout(Duration.ofMillis(500))
                        .retry(io.flinkplatform.engine.dag.RetryPolicy.fixed(1, Duration.ZERO)))
            .build());
    long run = client.trigger("shell_timeout");
    assertThat(client.awaitRun(run, Duration.ofSeconds(60)).state()).isEqualTo(RunState.FAILED);
    List<TaskAttempt> attempts = client.attempts(run);
    assertThat(attempts).hasSize(2).allMatch(a -> a.state() == TaskState.FAILED);
    assertThat(attempts.get(1).message()).get().asString().contains("timed out");
  }

  private static List<String> lines(Path p) {
    try {
      return Files.readAllLines(p).stream().filter(s -> !s.isBlank()).toList();
    } catch (java.io.IOException e) {
      return List.of();
    }
  }

  private static boolean alive(String pid) {
    return ProcessHandle.of(Long.parseLong(pid.trim())).map(ProcessHandle::isAlive).orElse(false)
        && !isZombie(pid.trim());
  }

  private static boolean isZombie(String pid) {
    try {
      String stat = Files.readString(Path.of("/proc", pid, "stat"));
      return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
    } catch (java.io.IOException e) {
      return true;
    }
  }
}

package io.flinkplatform.tasks.shell;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinkplatform.engine.PlatformClient;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.run.TaskAttempt;
import io.flinkplatform.engine.run.TaskState;
import io.flinkplatform.engine.testing.Await;
import io.flinkplatform.engine.testing.TestPlatforms;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A kill or timeout by a real platform gives the process tree its {@code killGracePeriod}: the
 * engine interrupts the attempt's thread as part of the cancellation, and that interrupt must not
 * turn into an immediate SIGKILL.
 */
@Timeout(120)
class ShellCancelGraceTest {
  /**
   * On SIGTERM the trap takes a second, then writes {@code marker}: an immediate SIGKILL leaves no
   * marker. {@code ready} appears once the pids are written.
   */
  private static final String TRAPS_TERM =
      "trap 'sleep 1; echo stopped > marker; exit 0' TERM\n"
          + "echo $$ > root\n"
          + "sleep 300 & echo $! > child\n"
          + "touch ready\n"
          + "wait\n";

  /** Ignores SIGTERM, and so do its children, which inherit the ignored signal. */
  private static final String IGNORES_TERM =
      "trap '' TERM\n"
          + "echo $$ > root\n"
          + "sleep 300 & echo $! > child\n"
          + "touch ready\n"
          + "wait\n";

  private static TestPlatforms platforms;
  private static PlatformClient client;

  @TempDir Path dir;
  private final List<Long> pids = new ArrayList<>();

  @BeforeAll
  static void start() {
    platforms = new TestPlatforms();
    client = platforms.start("grace", b -> b.plugin(new ShellTaskPlugin())).client();
  }

  @AfterAll
  static void stop() {
    platforms.close();
  }

  @AfterEach
  void killLeftovers() {
    pids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
  }

  @Test
  void anEngineKillLetsTheSigtermTrapRun() throws Exception {
    client.deploy(
        Workflow.builder("grace_kill")
            .task(
                "trapper",
                "shell",
                t ->
                    t.option("command", TRAPS_TERM)
                        .option("workingDirectory", dir.toString())
                        .option("killGracePeriod", "20s"))
            .build());
    long run = client.trigger("grace_kill");
    awaitFile(dir.resolve("ready"));

    assertThat(client.kill(run)).isTrue();

    assertThat(client.awaitRun(run, Duration.ofSeconds(60)).state()).isEqualTo(RunState.KILLED);
    assertThat(dir.resolve("marker")).hasContent("stopped");
    TaskAttempt attempt = client.attempts(run).get(0);
    assertThat(attempt.state()).isEqualTo(TaskState.KILLED);
    assertThat(client.log(attempt)).contains("[shell] ended the process tree (0 needed SIGKILL)");
    assertGone("root", "child");
  }

  @Test
  void aTimeoutLetsTheSigtermTrapRun() throws Exception {
    client.deploy(
        Workflow.builder("grace_timeout")
            .task(
                "trapper",
                "shell",
                t ->
                    t.option("command", TRAPS_TERM)
                        .option("workingDirectory", dir.toString())
                        .option("killGracePeriod", "20s")
                        .timeout(Duration.ofSeconds(5)))
            .build());
    long run = client.trigger("grace_timeout");
    awaitFile(dir.resolve("ready"));

    assertThat(client.awaitRun(run, Duration.ofSeconds(60)).state()).isEqualTo(RunState.FAILED);
    assertThat(dir.resolve("marker")).hasContent("stopped");
    TaskAttempt attempt = client.attempts(run).get(0);
    assertThat(attempt.message()).get().asString().contains("timed out after 5s");
    assertThat(client.log(attempt)).contains("[shell] ended the process tree (0 needed SIGKILL)");
    assertGone("root", "child");
  }

  @Test
  void aTreeIgnoringSigtermIsKilledAfterTheGrace() throws Exception {
    client.deploy(
        Workflow.builder("grace_ignored")
            .task(
                "stubborn",
                "shell",
                t ->
                    t.option("command", IGNORES_TERM)
                        .option("workingDirectory", dir.toString())
                        .option("killGracePeriod", "1500ms"))
            .build());
    long run = client.trigger("grace_ignored");
    awaitFile(dir.resolve("ready"));

    long killedAt = System.nanoTime();
    assertThat(client.kill(run)).isTrue();

    assertThat(client.awaitRun(run, Duration.ofSeconds(60)).state()).isEqualTo(RunState.KILLED);
    assertThat(Duration.ofNanos(System.nanoTime() - killedAt))
        .as("the tree had its grace before SIGKILL")
        .isGreaterThanOrEqualTo(Duration.ofMillis(1500));
    assertGone("root", "child");
    assertThat(client.log(client.attempts(run).get(0)))
        .containsPattern("\\[shell\\] ended the process tree \\([1-9]\\d* needed SIGKILL\\)");
    assertThat(dir.resolve("marker")).doesNotExist();
  }

  private void assertGone(String... pidFiles) throws Exception {
    List<Long> tree = new ArrayList<>();
    for (String file : pidFiles) {
      long pid = Long.parseLong(Files.readString(dir.resolve(file)).trim());
      pids.add(pid);
      tree.add(pid);
    }
    Await.until(Duration.ofSeconds(10), () -> tree.stream().noneMatch(ShellCancelGraceTest::alive));
  }

  /** Whether the process still runs; a zombie counts as ended. */
  private static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessState::running).orElse(false);
  }

  private static void awaitFile(Path file) throws InterruptedException {
    Await.until(() -> Files.exists(file));
  }
}

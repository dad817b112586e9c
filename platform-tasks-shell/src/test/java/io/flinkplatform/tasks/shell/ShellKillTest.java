package io.flinkplatform.tasks.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.flinkplatform.engine.testing.TestTaskContext;
import io.flinkplatform.spi.TaskOutcome;
import io.flinkplatform.spi.TaskOutcome.Failure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Ends whole process trees on timeout, cancellation and interrupt, with real processes. */
@Timeout(30)
class ShellKillTest {
  /**
   * Records the pids of a root, a child, a grandchild and the foreground job, then sleeps. The file
   * {@code ready} appears once all pids are written.
   */
  private static final String TREE =
      "echo $$ > root\n"
          + "sleep 300 & echo $! > child\n"
          + "(sleep 300 & echo $! > grandchild; wait) & echo $! > subshell\n"
          + "while [ ! -s grandchild ]; do sleep 0.01; done\n"
          + "touch ready\n"
          + "sleep 300\n";

  @TempDir Path dir;
  private final List<Long> pids = new ArrayList<>();

  @AfterEach
  void killLeftovers() {
    pids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
  }

  @Test
  void deadlineEndsTheWholeTree() throws Exception {
    // far enough for the whole tree to start (and write its pids) before it
    TestTaskContext context =
        TestTaskContext.of(
                Map.of("command", TREE, "workingDirectory", dir.toString()),
                new ShellTaskType().options())
            .deadline(Instant.now().plusSeconds(5));

    long start = System.nanoTime();
    TaskOutcome outcome = new ShellTaskType().execute(context);

    assertThat(outcome).isInstanceOf(Failure.class);
    assertThat(((Failure) outcome).message()).startsWith("timed out: the deadline ");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
    assertTreeGone("root", "child", "subshell", "grandchild");
  }

  @Test
  void cancellationEndsTheWholeTree() throws Exception {
    TestTaskContext context =
        TestTaskContext.of(
            Map.of("command", TREE, "workingDirectory", dir.toString()),
            new ShellTaskType().options());
    CompletableFuture<TaskOutcome> outcome = CompletableFuture.supplyAsync(() -> execute(context));

    awaitFile(dir.resolve("ready"));
    context.testCancellation().cancel("killed by alice");

    assertThat(outcome.get(15, TimeUnit.SECONDS))
        .isEqualTo(TaskOutcome.failure("cancelled: killed by alice"));
    assertTreeGone("root", "child", "subshell", "grandchild");
    assertThat(context.memoryLog().lines())
        .contains("[shell] ended the process tree (0 needed SIGKILL)");
  }

  @Test
  void processesIgnoringSigtermGetSigkillAfterTheGracePeriod() throws Exception {
    TestTaskContext context =
        TestTaskContext.of(
            Map.of(
                "command",
                "trap '' TERM\n" + TREE,
                "workingDirectory",
                dir.toString(),
                "killGracePeriod",
                "500ms"),
            new ShellTaskType().options());
    CompletableFuture<TaskOutcome> outcome = CompletableFuture.supplyAsync(() -> execute(context));

    awaitFile(dir.resolve("ready"));
    long start = System.nanoTime();
    context.testCancellation().cancel("stop");

    assertThat(outcome.get(15, TimeUnit.SECONDS)).isEqualTo(TaskOutcome.failure("cancelled: stop"));
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(500));
    assertTreeGone("root", "child", "subshell", "grandchild");
    assertThat(context.memoryLog().lines())
        .anyMatch(
            line ->
                line.matches("\\[shell\\] ended the process tree \\([1-9]\\d* needed SIGKILL\\)"));
  }

  @Test
  void orphanedProcessesAreFoundThroughTheProcessGroup() throws Exception {
    assumeTrue(SessionLauncher.available(), "needs setsid");
    String script = "(sleep 300 & echo $! > orphan)\n" + TREE;
    TestTaskContext context =
        TestTaskContext.of(
            Map.of("command", script, "workingDirectory", dir.toString()),
            new ShellTaskType().options());
    CompletableFuture<TaskOutcome> outcome = CompletableFuture.supplyAsync(() -> execute(context));

    awaitFile(dir.resolve("ready"));
    long orphan = readPid("orphan");
    assertThat(ProcessHandle.current().descendants().mapToLong(ProcessHandle::pid))
        .doesNotContain(orphan);
    context.testCancellation().cancel("stop");

    assertThat(outcome.get(15, TimeUnit.SECONDS)).isEqualTo(TaskOutcome.failure("cancelled: stop"));
    assertTreeGone("orphan", "root", "child", "subshell", "grandchild");
  }

  @Test
  void interruptEndsTheTreePromptlyAndKeepsTheInterruptStatus() throws Exception {
    TestTaskContext context =
        TestTaskContext.of(
            Map.of("command", TREE, "workingDirectory", dir.toString(), "killGracePeriod", "1m"),
            new ShellTaskType().options());
    CompletableFuture<TaskOutcome> outcome = new CompletableFuture<>();
    AtomicBoolean interruptKept = new AtomicBoolean();
    Thread worker =
        new Thread(
            () -> {
              outcome.complete(execute(context));
              interruptKept.set(Thread.currentThread().isInterrupted());
            });
    worker.start();

    awaitFile(dir.resolve("ready"));
    long start = System.nanoTime();
    worker.interrupt();
    worker.join(10_000);

    assertThat(worker.isAlive()).isFalse();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    assertThat(outcome.get())
        .isEqualTo(TaskOutcome.failure("interrupted; the process tree was ended"));
    assertThat(interruptKept).isTrue();
    assertTreeGone("root", "child", "subshell", "grandchild");
  }

  @Test
  void alreadyCancelledOrTimedOutAttemptsStartNothing() throws Exception {
    Path marker = dir.resolve("ran");
    Map<String, Object> options = Map.of("command", "touch " + marker);
    TestTaskContext cancelled = TestTaskContext.of(options, new ShellTaskType().options());
    cancelled.testCancellation().cancel("shutdown");
    TestTaskContext late =
        TestTaskContext.of(options, new ShellTaskType().options())
            .deadline(Instant.now().minusSeconds(1));

    assertThat(execute(cancelled)).isEqualTo(TaskOutcome.failure("cancelled: shutdown"));
    assertThat(((Failure) execute(late)).message()).startsWith("timed out");
    assertThat(marker).doesNotExist();
  }

  @Test
  void backgroundProcessesLeftBehindNeitherBlockNorLogAfterTheEnd() throws Exception {
    TestTaskContext context =
        TestTaskContext.of(
            Map.of(
                "command",
                "sleep 300 & echo $! > sleeper\n"
                    + "(while true; do echo tick; sleep 0.05; done) & echo $! > ticker\n"
                    + "sleep 0.2; echo done",
                "workingDirectory",
                dir.toString()),
            new ShellTaskType().options());

    long start = System.nanoTime();
    TaskOutcome outcome = execute(context);

    assertThat(outcome).isEqualTo(TaskOutcome.success());
    // the 2 s the output may take to drain, and room: not the background sleep's 300 s
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    readPid("sleeper"); // may be left running by design: ended after the test
    readPid("ticker");
    Thread.sleep(300);
    List<String> lines = context.memoryLog().lines();
    assertThat(lines).contains("tick", "done");
    assertThat(lines.get(lines.size() - 1)).isEqualTo("[shell] exit code 0");
  }

  private static TaskOutcome execute(TestTaskContext context) {
    try {
      return new ShellTaskType().execute(context);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private void assertTreeGone(String... pidFiles) throws Exception {
    List<Long> tree = new ArrayList<>();
    for (String file : pidFiles) {
      tree.add(readPid(file));
    }
    pids.addAll(tree);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (tree.stream().anyMatch(ShellKillTest::alive) && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(tree).noneMatch(ShellKillTest::alive);
  }

  /**
   * Whether the process still runs: {@link ProcessHandle#isAlive()}, where a zombie (ended, not yet
   * reaped by a pid 1 that may never reap) counts as ended.
   */
  private static boolean alive(long pid) {
    Optional<Boolean> alive = ProcessHandle.of(pid).map(ProcessState::running);
    return alive.orElse(false);
  }

  private long readPid(String file) throws IOException {
    long pid = Long.parseLong(Files.readString(dir.resolve(file)).trim());
    pids.add(pid);
    return pid;
  }

  private static void awaitFile(Path file) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!Files.exists(file)) {
      assertThat(System.nanoTime()).as("waiting for %s", file).isLessThan(deadline);
      Thread.sleep(10);
    }
  }
}

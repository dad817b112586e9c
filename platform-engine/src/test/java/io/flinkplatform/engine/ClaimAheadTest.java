package io.flinkplatform.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.run.TaskAttempt;
import io.flinkplatform.engine.run.TaskState;
import io.flinkplatform.engine.run.TriggerRequest;
import io.flinkplatform.engine.testing.Await;
import io.flinkplatform.engine.testing.TestPlatforms;
import io.flinkplatform.engine.testing.TestTasks;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Attempts claimed ahead of free worker threads ({@code claimAhead}) wait on their instance, held
 * under its lease: each starts once, when a thread is free, and only while its claim holds; a kill
 * ends them KILLED, a stop hands them back, a lapsed lease keeps them from starting.
 */
class ClaimAheadTest {

  /**
   * One worker thread, busy with a gate task, and room for four attempts claimed ahead. The queue
   * also holds no more than the attempts that ended here within about a poll interval: a long one
   * (work made ready here wakes the dispatcher at once) keeps the warm-up's ends counted.
   */
  private static Platform.Builder oneThreadFourAhead(Platform.Builder b) {
    return b.workerThreads(1).claimAhead(4).pollInterval(Duration.ofSeconds(30));
  }

  /** Runs eight quick runs to their end on the instance, so that its queue may hold four. */
  private static void warmUp(PlatformClient c) throws InterruptedException {
    c.deploy(Workflow.builder("quick").task("q", "noop").build());
    for (long r : c.triggerAll(Collections.nCopies(8, TriggerRequest.of("quick")))) {
      assertThat(c.awaitRun(r, Duration.ofSeconds(30)).state()).isEqualTo(RunState.SUCCESS);
    }
  }

  /**
   * Deploys "busy" (a task waiting at {@code name}'s gate) and "one" (a task named {@code name}
   * that records its execution and succeeds), names unique per test since executions are recorded
   * across tests.
   */
  private static void deploy(PlatformClient c, String name) {
    c.deploy(Workflow.builder("busy").task("hold", "gate", t -> t.option("gate", name)).build());
    // "fail" with no failures records each execution and succeeds
    c.deploy(Workflow.builder("one").task(name, "fail", t -> t.option("failTimes", 0)).build());
  }

  /**
   * Warms the instance up, triggers the gate run and waits until it holds the only worker thread of
   * {@code owner}.
   */
  private static long occupy(PlatformClient c, String owner) throws InterruptedException {
    warmUp(c);
    long busy = c.trigger("busy");
    Await.until(() -> isRunningOn(c.attempts(busy).get(0), owner));
    return busy;
  }

  private static boolean isRunningOn(TaskAttempt a, String owner) {
    return a.state() == TaskState.RUNNING && a.owner().orElse("").startsWith(owner + "#");
  }

  /**
   * Triggers {@code n} one-task runs at once (so that one claim sees them all) and waits until the
   * instance claimed them all (queued).
   */
  private static List<Long> queue(PlatformClient c, int n, String owner)
      throws InterruptedException {
    List<Long> runs =
        new ArrayList<>(c.triggerAll(Collections.nCopies(n, TriggerRequest.of("one"))));
    Await.until(() -> runs.stream().allMatch(r -> isRunningOn(c.attempts(r).get(0), owner)));
    return runs;
  }

  /** Whether the attempt is still RUNNING under its first claim. */
  private static boolean heldAsClaimed(TaskAttempt a) {
    return a.state() == TaskState.RUNNING && a.epoch() == 1;
  }

  private static List<String> executionsOf(long run, String task) {
    return TestTasks.EXECUTIONS.stream().filter(e -> e.startsWith(run + "/" + task + "/")).toList();
  }

  @Test
  void queuedClaimsStartWhenAThreadIsFreeAndRunOnce() throws Exception {
    try (TestPlatforms platforms = new TestPlatforms()) {
      PlatformClient c = platforms.start("ahead", ClaimAheadTest::oneThreadFourAhead).client();
      String name = "queued_run_once";
      deploy(c, name);
      long busy = occupy(c, "ahead");
      List<Long> runs = queue(c, 4, "ahead");
      assertThat(runs)
          .as("claimed ahead, waiting for the busy thread")
          .allSatisfy(r -> assertThat(executionsOf(r, name)).isEmpty());

      runs.addAll(List.of(c.trigger("one"), c.trigger("one"))); // more than the queue holds
      TestTasks.Gate.open(name);
      assertThat(c.awaitRun(busy, Duration.ofSeconds(30)).state()).isEqualTo(RunState.SUCCESS);
      for (long r : runs) {
        assertThat(c.awaitRun(r, Duration.ofSeconds(30)).state()).isEqualTo(RunState.SUCCESS);
        assertThat(executionsOf(r, name)).containsExactly(r + "/" + name + "/1/1");
        assertThat(c.attempts(r)).singleElement().satisfies(a -> assertThat(a.epoch()).isOne());
      }
    }
  }

  /**
   * Attempts claimed ahead that then wait behind a long task for more than two poll intervals are
   * handed back, and an instance with free threads runs them (each once) while the long task still
   * holds the first instance's only thread. A poll of 10 s keeps the warm-up's ends counted while
   * the test occupies the thread and queues (see {@link #oneThreadFourAhead}); the hand-back then
   * comes at the first poll after two of them, 20 to 30 s after the attempts were queued.
   */
  @Test
  void attemptsQueuedBehindALongTaskAreHandedBackForOtherInstances() throws Exception {
    try (TestPlatforms platforms = new TestPlatforms()) {
      PlatformClient c =
          platforms
              .start(
                  "ahead",
                  b -> b.workerThreads(1).claimAhead(4).pollInterval(Duration.ofSeconds(10)))
              .client();
      String name = "queued_overdue";
      deploy(c, name);
      long busy = occupy(c, "ahead");
      List<Long> runs = queue(c, 3, "ahead");
      platforms.start("other", b -> b.workerThreads(4).pollInterval(Duration.ofMillis(200)));
      for (long r : runs) {
        assertThat(c.awaitRun(r, Duration.ofSeconds(60)).state()).isEqualTo(RunState.SUCCESS);
        assertThat(executionsOf(r, name)).hasSize(1);
        assertThat(c.attempts(r))
            .singleElement()
            .satisfies(
                a -> {
                  assertThat(a.owner()).hasValueSatisfying(o -> assertThat(o).startsWith("other#"));
                  assertThat(a.epoch()).as("claimed again after the hand-back").isEqualTo(2);
                });
      }
      assertThat(c.attempts(busy).get(0).state())
          .as("the long task still holds the thread")
          .isEqualTo(TaskState.RUNNING);
      TestTasks.Gate.open(name);
      assertThat(c.awaitRun(busy, Duration.ofSeconds(30)).state()).isEqualTo(RunState.SUCCESS);
    }
  }

  @Test
  void runKilledWhileItsAttemptsWaitInTheQueueEndsThemKilled() throws Exception {
    try (TestPlatforms platforms = new TestPlatforms()) {
      PlatformClient c = platforms.start("ahead", ClaimAheadTest::oneThreadFourAhead).client();
      deploy(c, "queued_kill");
      c.deploy(
          Workflow.builder("pair")
              .task("queued_kill_x", "fail", t -> t.option("failTimes", 0))
              .task("queued_kill_y", "fail", t -> t.option("failTimes", 0))
              .build());
      long busy = occupy(c, "ahead");
      long pair = c.trigger("pair");
      Await.until(() -> c.attempts(pair).stream().allMatch(a -> isRunningOn(a, "ahead")));

      assertThat(c.kill(pair)).isTrue();
      assertThat(c.awaitRun(pair, Duration.ofSeconds(30)).state()).isEqualTo(RunState.KILLED);
      assertThat(c.attempts(pair))
          .hasSize(2)
          .allSatisfy(
              a -> {
                assertThat(a.state()).isEqualTo(TaskState.KILLED);
                assertThat(a.epoch()).as("ended under the claim it waited with").isOne();
                assertThat(a.message()).contains("killed before it started");
              });
      assertThat(TestTasks.EXECUTIONS).noneMatch(e -> e.startsWith(pair + "/queued_kill_"));

      TestTasks.Gate.open("queued_kill");
      assertThat(c.awaitRun(busy, Duration.ofSeconds(30)).state()).isEqualTo(RunState.SUCCESS);
    }
  }

  @Test
  void stopHandsQueuedClaimsBackAndAnotherInstanceRunsThem() throws Exception {
    try (TestPlatforms platforms = new TestPlatforms()) {
      PlatformClient reader = platforms.start("reader", b -> b.workerThreads(0)).client();
      Platform first =
          platforms.start(
              "first", b -> oneThreadFourAhead(b).shutdownGracePeriod(Duration.ofMillis(200)));
      String name = "queued_stop";
      PlatformClient c = first.client(); // triggers wake its own dispatcher
      deploy(c, name);
      long busy = occupy(c, "first");
      List<Long> runs = queue(c, 4, "first");

      first.stop();
      for (long r : runs) {
        TaskAttempt handedBack = reader.attempts(r).get(0);
        assertThat(handedBack.state()).isEqualTo(TaskState.READY);
        assertThat(handedBack.owner()).isEmpty();
      }

      platforms.start("second");
      TestTasks.Gate.open(name);
      assertThat(reader.awaitRun(busy, Duration.ofSeconds(30)).state()).isEqualTo(RunState.SUCCESS);
      for (long r : runs) {
        assertThat(reader.awaitRun(r, Duration.ofSeconds(30)).state()).isEqualTo(RunState.SUCCESS);
        assertThat(executionsOf(r, name)).containsExactly(r + "/" + name + "/1/2");
        assertThat(reader.attempts(r).get(0).owner().orElseThrow()).startsWith("second#");
      }
    }
  }

  @Test
  void queuedClaimWhoseLeaseLapsedIsNotStarted() throws Exception {
    try (TestPlatforms platforms = new TestPlatforms()) {
      PlatformClient reader = platforms.start("reader", b -> b.workerThreads(0)).client();
      // polls every 10 s: the warm-up's ends stay counted while the test queues, the queued
      // attempts are not overdue (20 s) before their lease lapses, and what it handed back is
      // claimed again soon
      Platform stalled =
          platforms.start(
              "stalled", b -> oneThreadFourAhead(b).pollInterval(Duration.ofSeconds(10)));
      PlatformClient c = stalled.client();
      String name = "queued_lapse";
      deploy(c, name);
      long busy = occupy(c, "stalled");
      List<Long> runs = queue(c, 2, "stalled");
      // a few beats, so that the last renewal before the stall covers every claim held here
      Thread.sleep(3 * stalled.settings().heartbeatInterval().toMillis());

      try (Connection lock = platforms.dataSource().getConnection()) {
        lock.setAutoCommit(false);
        try (Statement s = lock.createStatement()) {
          // from now on the instance cannot renew: its heartbeat waits for its worker row
          s.executeQuery("SELECT * FROM t_worker WHERE name LIKE 'stalled#%' FOR UPDATE").close();
        }
        // self-fencing stops the gate task and hands every claim back, the queued ones unstarted
        List<Long> all = new ArrayList<>(runs);
        all.add(busy);
        Await.until(
            Duration.ofSeconds(30),
            () ->
                all.stream().map(r -> reader.attempts(r).get(0)).noneMatch(a -> heldAsClaimed(a)));
        lock.commit();
      }

      TestTasks.Gate.open(name);
      // claimed again at the latest at the next poll
      assertThat(reader.awaitRun(busy, Duration.ofSeconds(60)).state()).isEqualTo(RunState.SUCCESS);
      for (long r : runs) {
        assertThat(reader.awaitRun(r, Duration.ofSeconds(60)).state()).isEqualTo(RunState.SUCCESS);
        assertThat(executionsOf(r, name))
            .as("never started under the claim whose lease lapsed while it waited")
            .isNotEmpty()
            .noneMatch(e -> e.endsWith("/1/1"));
      }
    }
  }
}

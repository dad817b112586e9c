package io.flinkplatform.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.run.TaskAttempt;
import io.flinkplatform.engine.run.TaskState;
import io.flinkplatform.engine.testing.Await;
import io.flinkplatform.engine.testing.ChildInstance;
import io.flinkplatform.engine.testing.TestPlatforms;
import io.flinkplatform.engine.testing.TestTasks;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** No run lives only in memory: stopped or killed instances leave nothing unfinished. */
class RestartTest {

  private static Map<String, TaskAttempt> byTask(PlatformClient c, long run) {
    return c.attempts(run).stream()
        .collect(Collectors.toMap(TaskAttempt::taskId, Function.identity(), (x, y) -> y));
  }

  @Test
  void gracefulStopHandsBackAndAnotherInstanceFinishesTheRun() throws Exception {
    try (TestPlatforms platforms = new TestPlatforms()) {
      PlatformClient reader = platforms.start("reader", b -> b.workerThreads(0)).client();
      Platform first = platforms.start("first", b -> b.shutdownGracePeriod(Duration.ofMillis(200)));
      // "a" waits at its gate: still running when "first" stops, interrupted and handed back
      reader.deploy(
          Workflow.builder("restart")
              .task("a", "gate", t -> t.option("gate", "restart_a"))
              .task("b", "noop", t -> t.after("a"))
              .build());
      long run = reader.trigger("restart");
      Await.until(() -> byTask(reader, run).get("a").state() == TaskState.RUNNING);
      first.stop();
      TaskAttempt handedBack = byTask(reader, run).get("a");
      assertThat(handedBack.state()).isEqualTo(TaskState.READY);
      assertThat(handedBack.owner()).isEmpty();

      platforms.start("second");
      TestTasks.Gate.open("restart_a");
      assertThat(reader.awaitRun(run, Duration.ofSeconds(30)).state()).isEqualTo(RunState.SUCCESS);
      TaskAttempt a = byTask(reader, run).get("a");
      assertThat(a.attempt()).isEqualTo(1);
      assertThat(a.epoch()).isEqualTo(2);
      assertThat(a.owner().orElseThrow()).startsWith("second#");
    }
  }

  @Test
  void finishedAttemptKeepsItsLeaseWhileItsOutcomeWaitsForCommit() throws Exception {
    try (TestPlatforms platforms = new TestPlatforms()) {
      PlatformClient c = platforms.start("one").client();
      platforms.start("two");
      c.deploy(
          Workflow.builder("slow_commit")
              .task("slow_commit_a", "sleep", t -> t.option("duration", "1s"))
              .build());
      long run = c.trigger("slow_commit");
      Await.until(() -> c.attempts(run).get(0).state() == TaskState.RUNNING);
      // hold the run lock for longer than a lease: the finished attempt's outcome waits for it
      try (Connection lock = platforms.dataSource().getConnection()) {
        lock.setAutoCommit(false);
        try (Statement s = lock.createStatement()) {
          s.executeQuery("SELECT id FROM t_job_flow_run WHERE id = " + run + " FOR UPDATE").close();
        }
        Thread.sleep(3 * platforms.start("three").settings().leaseDuration().toMillis());
        lock.commit();
      }
      assertThat(c.awaitRun(run, Duration.ofSeconds(30)).state()).isEqualTo(RunState.SUCCESS);
      assertThat(TestTasks.EXECUTIONS)
          .as("executed once: not handed to another instance while its outcome waited")
          .filteredOn(e -> e.startsWith(run + "/slow_commit_a/"))
          .containsExactly(run + "/slow_commit_a/1/1");
      assertThat(c.attempts(run)).singleElement().satisfies(a -> assertThat(a.epoch()).isOne());
    }
  }

  @Test
  void killedInstanceIsDetectedByItsLeaseAndItsWorkIsTakenOverOrReattached() throws Exception {
    try (TestPlatforms platforms = new TestPlatforms()) {
      PlatformClient reader = platforms.start("reader", b -> b.workerThreads(0)).client();
      Process child = ChildInstance.launch(platforms.jdbcUrl(), "doomed");
      try {
        reader.deploy(
            Workflow.builder("crash")
                .task("long", "sleep", t -> t.option("duration", "3s"))
                .task("ext", "process", t -> t.option("seconds", 4))
                .task("after", "noop", t -> t.after("long", "ext"))
                .build());
        long run = reader.trigger("crash");
        Await.until(
            () -> {
              Map<String, TaskAttempt> m = byTask(reader, run);
              return m.get("long").state() == TaskState.RUNNING
                  && m.get("ext").externalRef().isPresent();
            });
        assertThat(byTask(reader, run).get("long").owner().orElseThrow()).startsWith("doomed#");
        child.destroyForcibly().waitFor();
        long killedAt = System.nanoTime();
        platforms.start("survivor");
        Await.until(
            () -> byTask(reader, run).get("long").owner().orElse("").startsWith("survivor#"));
        long resumeMillis = (System.nanoTime() - killedAt) / 1_000_000;
        System.out.println("detection-to-resume after kill -9: " + resumeMillis + " ms");
        assertThat(reader.awaitRun(run, Duration.ofSeconds(30)).state())
            .isEqualTo(RunState.SUCCESS);
        Map<String, TaskAttempt> done = byTask(reader, run);
        // one attempt each, claimed again after the owner died (more than twice only if a lease
        // lapsed early on this loaded machine, which fencing makes harmless)
        assertThat(reader.attempts(run)).hasSize(3).allMatch(a -> a.state() == TaskState.SUCCESS);
        assertThat(done.get("long").owner().orElseThrow()).startsWith("survivor#");
        assertThat(done.get("long").epoch()).isGreaterThanOrEqualTo(2);
        TaskAttempt ext = done.get("ext");
        assertThat(ext.epoch()).isGreaterThanOrEqualTo(2);
        assertThat(ext.owner().orElseThrow()).startsWith("survivor#");
        assertThat(TestTasks.Process.SUBMISSIONS)
            .as("re-attached, not submitted again")
            .doesNotContainKey(ext.id());
        assertThat(reader.log(ext)).contains("re-attached to external work");
      } finally {
        child.destroyForcibly().waitFor();
      }
    }
  }

  @Test
  void clockSkewBetweenInstancesNeverLapsesALeaseEarly() throws Exception {
    try (TestPlatforms platforms = new TestPlatforms()) {
      // leases are kept on the database's clock: an instance 3 s ahead (more than the 2 s lease)
      // must not reap the leases of one 3 s behind, which renews them every 250 ms
      PlatformClient reader = platforms.start("reader", b -> b.workerThreads(0)).client();
      platforms.start(
          "behind", b -> b.clock(Clock.offset(Clock.systemUTC(), Duration.ofSeconds(-3))));
      reader.deploy(
          Workflow.builder("skewed")
              .task("a", "sleep", t -> t.option("duration", "3s"))
              .task("b", "sleep", t -> t.option("duration", "3s"))
              .build());
      long run = reader.trigger("skewed");
      Await.until(
          () -> reader.attempts(run).stream().allMatch(a -> a.state() == TaskState.RUNNING));
      platforms.start(
          "ahead",
          b -> b.clock(Clock.offset(Clock.systemUTC(), Duration.ofSeconds(3))).workerThreads(1));
      assertThat(reader.awaitRun(run, Duration.ofSeconds(30)).state()).isEqualTo(RunState.SUCCESS);
      assertThat(reader.attempts(run))
          .hasSize(2)
          .allSatisfy(
              a -> {
                assertThat(a.epoch()).as("claimed once, never re-queued").isEqualTo(1);
                assertThat(a.owner().orElseThrow()).startsWith("behind#");
              });
    }
  }
}

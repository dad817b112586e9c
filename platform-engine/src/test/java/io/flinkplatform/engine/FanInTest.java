package io.flinkplatform.engine;

import static io.flinkplatform.engine.FanInRuns.attempts;
import static io.flinkplatform.engine.FanInRuns.latest;
import static io.flinkplatform.engine.FanInRuns.onManualPlatform;
import static io.flinkplatform.engine.FanInRuns.start;
import static io.flinkplatform.engine.FanInRuns.stop;
import static org.assertj.core.api.Assertions.assertThat;

import io.flinkplatform.engine.dag.EdgeCondition;
import io.flinkplatform.engine.dag.RetryPolicy;
import io.flinkplatform.engine.dag.TriggerRule;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.run.RerunRequest;
import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.run.TaskState;
import io.flinkplatform.engine.testing.ManualPlatform;
import io.flinkplatform.engine.testing.TestPlatforms;
import io.flinkplatform.engine.testing.TestTasks;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Fan-in decisions with the counters of waiting attempts (t_job_run.open_edges): a waiting task
 * keeps how many of its incoming edges have not resolved, an arriving outcome lowers it without
 * reading the other upstream tasks, and the trigger rule is decided in full when the count reaches
 * zero or an arriving edge can decide it alone. Upstream tasks are "stream" tasks that run until
 * the test stops them, so each arrival is one step. A task's latest attempt is shown as its state,
 * or while WAITING as its counter ({@code ?} when unknown).
 */
class FanInTest {

  /**
   * s1..s4 stream into "sink" with {@code rule}; they end in the order given ({@code S} succeeds,
   * {@code F} fails), and after each the sink is as {@code expected} says.
   */
  @ParameterizedTest(name = "{0}: {1} -> {2}")
  @CsvSource({
    "ALL_MATCHED, S S S S, 3 2 1 SUCCESS",
    "ALL_MATCHED, S F, 3 UPSTREAM_FAILED",
    "ANY_MATCHED, F F S, 3 2 SUCCESS",
    "ANY_MATCHED, F F F F, 3 2 1 UPSTREAM_FAILED",
    "ALL_DONE, F S F S, 3 2 1 SUCCESS",
    "ANY_DONE, F, SUCCESS",
  })
  void eachTriggerRuleDecidesAtTheRightArrival(TriggerRule rule, String ends, String expected)
      throws Exception {
    onManualPlatform(
        (p, ds) -> {
          String[] outcomes = ends.split(" ");
          Workflow.Builder w = Workflow.builder("fan_in");
          for (int i = 0; i < 4; i++) {
            boolean fails = i < outcomes.length && outcomes[i].equals("F");
            w.task("s" + (i + 1), "stream", t -> t.option("fail_at_stop", fails));
          }
          w.task("sink", "noop", t -> t.after("s1", "s2", "s3", "s4").triggerRule(rule));
          long run = start(p, w.build());
          assertThat(latest(ds, run, "sink")).isEqualTo("4");
          List<String> seen = new ArrayList<>();
          for (int i = 0; i < outcomes.length; i++) {
            stop(p, run, "s" + (i + 1));
            seen.add(latest(ds, run, "sink"));
          }
          assertThat(String.join(" ", seen)).isEqualTo(expected);
          stopAll(p, run);
          assertThat(p.client().run(run).orElseThrow().state().isFinal()).isTrue();
        });
  }

  /**
   * A decision task waits for every upstream task to end, whatever the outcomes: a release of its
   * RUNNING edge resolves nothing for it, the end of that stream does.
   */
  @Test
  void aDecisionTaskCountsEveryUpstreamTaskUntilItEnds() throws Exception {
    onManualPlatform(
        (p, ds) -> {
          Workflow w =
              Workflow.builder("decide")
                  .task("s1", "stream")
                  .task("s2", "stream", t -> t.option("fail_at_stop", true))
                  .task("s3", "stream")
                  .task(
                      "verdict",
                      "verdict",
                      t ->
                          t.option("holds", true)
                              .after("s1", EdgeCondition.RUNNING)
                              .after("s2", EdgeCondition.SUCCESS)
                              .after("s3", EdgeCondition.SUCCESS))
                  .build();
          long run = start(p, w);
          assertThat(latest(ds, run, "verdict")).as("s1 released, still running").isEqualTo("3");
          stop(p, run, "s2");
          assertThat(latest(ds, run, "verdict")).isEqualTo("2");
          stop(p, run, "s3");
          assertThat(latest(ds, run, "verdict")).isEqualTo("1");
          stop(p, run, "s1");
          assertThat(latest(ds, run, "verdict")).isEqualTo("SUCCESS");
        });
  }

  /**
   * A RUNNING edge resolves when its stream releases it; the stream's end then resolves only its
   * other edges, so the edge is counted once.
   */
  @Test
  void aReleasedRunningEdgeIsCountedOnceAtTheRelease() throws Exception {
    onManualPlatform(
        (p, ds) -> {
          Workflow w =
              Workflow.builder("released")
                  .task("s1", "stream")
                  .task("s2", "stream")
                  .task("s3", "stream")
                  .task(
                      "sink",
                      "noop",
                      t ->
                          t.after("s1", EdgeCondition.RUNNING)
                              .after("s2", EdgeCondition.RUNNING)
                              .after("s3", EdgeCondition.SUCCESS))
                  .build();
          long run = start(p, w);
          assertThat(latest(ds, run, "sink"))
              .as("the releases of s1 and s2 resolved their edges")
              .isEqualTo("1");
          stop(p, run, "s2");
          stop(p, run, "s1");
          assertThat(latest(ds, run, "sink")).as("their ends resolve nothing more").isEqualTo("1");
          stop(p, run, "s3");
          assertThat(latest(ds, run, "sink")).isEqualTo("SUCCESS");
        });
  }

  /** ANY_MATCHED is met by the first release of a RUNNING edge, while its stream still runs. */
  @Test
  void aReleaseAloneDecidesAnyMatched() throws Exception {
    onManualPlatform(
        (p, ds) -> {
          Workflow w =
              Workflow.builder("released_any")
                  .task("s1", "stream")
                  .task("s2", "stream")
                  .task(
                      "sink",
                      "noop",
                      t ->
                          t.after("s1", EdgeCondition.RUNNING)
                              .after("s2", EdgeCondition.SUCCESS)
                              .triggerRule(TriggerRule.ANY_MATCHED))
                  .build();
          long run = start(p, w);
          assertThat(latest(ds, run, "sink")).isEqualTo("SUCCESS");
          stopAll(p, run);
        });
  }

  /** A failure that gets a retry resolves nothing; the retry's outcome does. */
  @Test
  void aRetriedUpstreamResolvesItsEdgeOnlyWhenItEndsForGood() throws Exception {
    onManualPlatform(
        (p, ds) -> {
          Workflow w =
              Workflow.builder("retried")
                  .task("s1", "stream")
                  .task(
                      "f",
                      "fail",
                      t ->
                          t.option("failTimes", 1)
                              .retry(RetryPolicy.fixed(2, Duration.ofMinutes(1))))
                  .task("sink", "noop", t -> t.after("s1", "f"))
                  .build();
          long run = start(p, w);
          assertThat(attempts(p, run, "f")).as("f failed once and waits to retry").hasSize(2);
          assertThat(latest(ds, run, "sink")).isEqualTo("2");
          p.advance(Duration.ofMinutes(2));
          p.runUntilIdle();
          assertThat(attempts(p, run, "f").get(1).state()).isEqualTo(TaskState.SUCCESS);
          assertThat(latest(ds, run, "sink")).isEqualTo("1");
          stop(p, run, "s1");
          assertThat(latest(ds, run, "sink")).isEqualTo("SUCCESS");
        });
  }

  /**
   * Skips spread as arrivals: a branch a switch did not choose is SKIPPED and a task behind a
   * failure UPSTREAM_FAILED, and each counts as one resolved edge of the tasks behind it.
   */
  @Test
  void branchesAndCascadesArriveAsOneEdgeEach() throws Exception {
    onManualPlatform(
        (p, ds) -> {
          Workflow w =
              Workflow.builder("cascade")
                  .task("switch", "choose", t -> t.option("to", List.of("yes")))
                  .task("yes", "noop", t -> t.after("switch"))
                  .task("no", "noop", t -> t.after("switch"))
                  .task("no2", "noop", t -> t.after("no"))
                  .task("bad", "stream", t -> t.option("fail_at_stop", true))
                  .task("behind", "noop", t -> t.after("bad"))
                  .task("s", "stream")
                  .task(
                      "sink",
                      "noop",
                      t -> t.after("yes", "no2", "behind", "s").triggerRule(TriggerRule.ALL_DONE))
                  .build();
          long run = start(p, w);
          assertThat(latest(ds, run, "no2")).isEqualTo("SKIPPED");
          assertThat(latest(ds, run, "sink")).as("yes and no2 ended").isEqualTo("2");
          stop(p, run, "bad");
          assertThat(latest(ds, run, "behind")).isEqualTo("UPSTREAM_FAILED");
          assertThat(latest(ds, run, "sink")).isEqualTo("1");
          stop(p, run, "s");
          assertThat(latest(ds, run, "sink")).isEqualTo("SUCCESS");
          assertThat(p.client().run(run).orElseThrow().state()).isEqualTo(RunState.FAILED);
        });
  }

  /**
   * A mark that ends an unstarted upstream task in place leaves the counters of the run's waiting
   * tasks unknown (they would count that task as open for ever); the next arrival decides in full
   * and stores the exact count.
   */
  @Test
  void aMarkInPlaceForgetsTheCountersAndTheNextArrivalRestoresThem() throws Exception {
    onManualPlatform(
        (p, ds) -> {
          Workflow w =
              Workflow.builder("marked")
                  .task("g", "stream")
                  .task("u", "noop", t -> t.after("g"))
                  .task("s1", "stream")
                  .task("s2", "stream")
                  .task("sink", "noop", t -> t.after("u", "s1", "s2"))
                  .build();
          long run = start(p, w);
          assertThat(latest(ds, run, "sink")).isEqualTo("3");
          p.client().markTask(run, "u", TaskState.SUCCESS);
          assertThat(latest(ds, run, "sink")).isEqualTo("?");
          stop(p, run, "s1");
          assertThat(latest(ds, run, "sink")).isEqualTo("1");
          stop(p, run, "s2");
          assertThat(latest(ds, run, "sink")).isEqualTo("SUCCESS");
          stop(p, run, "g");
          assertThat(p.client().run(run).orElseThrow().state()).isEqualTo(RunState.SUCCESS);
        });
  }

  /** A rerun of a fan-in writes its waiting attempts with unknown counters; the run finishes. */
  @Test
  void aRerunOfAFanInFinishes() throws Exception {
    onManualPlatform(
        (p, ds) -> {
          Workflow w =
              Workflow.builder("rerun_fan_in")
                  .task("a", "noop")
                  .task("f", "fail", t -> t.option("failTimes", 1).option("retryable", false))
                  .task("s", "stream")
                  .task("sink", "noop", t -> t.after("a", "f", "s"))
                  .build();
          long run = start(p, w);
          assertThat(latest(ds, run, "sink")).isEqualTo("UPSTREAM_FAILED");
          stop(p, run, "s");
          assertThat(p.client().run(run).orElseThrow().state()).isEqualTo(RunState.FAILED);

          p.client().rerun(RerunRequest.failedTasks(run));
          assertThat(latest(ds, run, "sink")).isEqualTo("?");
          p.runUntilIdle();
          assertThat(latest(ds, run, "sink")).isEqualTo("SUCCESS");
          assertThat(p.client().run(run).orElseThrow().state()).isEqualTo(RunState.SUCCESS);
        });
  }

  /**
   * Attempts written before the counters existed (open_edges NULL) are decided in full, as before;
   * the first arrival stores the exact count and the run finishes.
   */
  @Test
  void waitingAttemptsWithoutCountersStillFinish() throws Exception {
    onManualPlatform(
        (p, ds) -> {
          Workflow w =
              Workflow.builder("old_rows")
                  .task("s1", "stream")
                  .task("s2", "stream")
                  .task("s3", "stream")
                  .task("sink", "noop", t -> t.after("s1", "s2", "s3"))
                  .build();
          long run = start(p, w);
          update(ds, "UPDATE t_job_run SET open_edges = NULL WHERE flow_run_id = ?", run);
          assertThat(latest(ds, run, "sink")).isEqualTo("?");
          stop(p, run, "s2");
          assertThat(latest(ds, run, "sink")).isEqualTo("2");
          stop(p, run, "s1");
          assertThat(latest(ds, run, "sink")).isEqualTo("1");
          stop(p, run, "s3");
          assertThat(latest(ds, run, "sink")).isEqualTo("SUCCESS");
        });
  }

  /**
   * 1 -> 2,000 -> 1, completed in many batches: the rows read to decide tasks downstream grow with
   * the sink's fan-in once (its upstream are read when the last one arrives), not once per batch as
   * when every batch read all of them again.
   */
  @Test
  void theSinkOfAWideFanOutIsReadInFullOnceNotPerBatch() {
    int width = 2_000;
    AtomicLong rowsRead = new AtomicLong();
    AtomicInteger batches = new AtomicInteger();
    try (TestPlatforms platforms = new TestPlatforms()) {
      runWideFanOut(
          counting(platforms.dataSource(), rowsRead, batches, new AtomicInteger()),
          "fan-in",
          width,
          50);
    }
    assertThat(batches.get()).as("completion batches").isGreaterThanOrEqualTo(width / 50);
    // the middle tasks once when the root ends, the sink once per batch, its upstream once at the
    // end; reading them all per batch would be at least batches x width
    assertThat(rowsRead.get()).isLessThan(3L * width);
  }

  /**
   * 1 -> 600 -> 1, completed in many batches: a batch that readies a task or leaves one waiting
   * shows that the run goes on, so the lookup for runs with nothing left to run (which reads the
   * run's attempts) is made only by the batches that leave nothing behind, here the sink's; the run
   * still closes when its last task ends.
   */
  @Test
  void onlyABatchThatLeavesNothingToRunLooksForTheEndOfTheRun() {
    int width = 600;
    AtomicInteger batches = new AtomicInteger();
    AtomicInteger lookups = new AtomicInteger();
    try (TestPlatforms platforms = new TestPlatforms()) {
      runWideFanOut(
          counting(platforms.dataSource(), new AtomicLong(), batches, lookups),
          "closing",
          width,
          20);
    }
    assertThat(batches.get()).as("completion batches").isGreaterThanOrEqualTo(width / 20);
    assertThat(lookups.get()).as("lookups for the end of the run").isBetween(1, 2);
  }

  /**
   * Runs root -> {@code width} parallel no-op tasks -> sink to SUCCESS on an instance of 8 workers
   * over {@code ds}, committing at most {@code batchSize} outcomes per completion batch.
   */
  private static void runWideFanOut(DataSource ds, String instance, int width, int batchSize) {
    Platform p =
        TestPlatforms.builder(ds, instance)
            .workerThreads(8)
            .completionBatchSize(batchSize)
            .build()
            .start();
    try {
      Workflow.Builder b = Workflow.builder("wide").task("root", "noop");
      String[] middle = new String[width];
      for (int i = 0; i < width; i++) {
        middle[i] = "t" + i;
        b.task(middle[i], "noop", t -> t.after("root"));
      }
      b.task("sink", "noop", t -> t.after(middle));
      PlatformClient c = p.client();
      c.deploy(b.build());
      long run = c.trigger("wide");
      assertThat(c.awaitRun(run, Duration.ofMinutes(5)).state()).isEqualTo(RunState.SUCCESS);
      assertThat(c.attempts(run)).hasSize(width + 2);
    } finally {
      p.stop();
    }
  }

  /**
   * The data source, counting the rows of the statements that read tasks' latest attempts to decide
   * downstream ({@code selectStatesOfRuns} with tasks), the statements that end attempts ({@code
   * finishAttempts} or {@code finishAttemptsAlike}, one per completion batch) and the lookups for
   * runs with nothing left to run ({@code selectUnfinishedRuns}).
   */
  private static DataSource counting(
      DataSource real, AtomicLong rows, AtomicInteger batches, AtomicInteger lookups) {
    return proxy(
        DataSource.class,
        real,
        (method, args, result) ->
            result instanceof Connection c
                ? proxy(
                    Connection.class,
                    c,
                    (m, a, r) -> {
                      if (!(r instanceof PreparedStatement ps) || !(a[0] instanceof String text)) {
                        return r;
                      }
                      String sql = text.replaceAll("\\s+", " ").trim();
                      // finishAttempts (the attempts joined to their values by id and epoch)
                      // or finishAttemptsAlike: these no-op tasks end alike, so a batch
                      // of up to 500 takes one of the two
                      if (sql.contains("t_job_run j ON j.id = v.id AND j.epoch = v.epoch")
                          || sql.startsWith("UPDATE t_job_run FORCE INDEX (PRIMARY) SET state")) {
                        batches.incrementAndGet();
                      }
                      if (sql.startsWith("SELECT DISTINCT flow_run_id FROM t_job_run")) {
                        lookups.incrementAndGet();
                      }
                      if (!sql.startsWith(STATES_OF_TASKS) || !sql.contains("AND task_id IN")) {
                        return r;
                      }
                      return proxy(
                          PreparedStatement.class,
                          ps,
                          (m2, a2, r2) ->
                              r2 instanceof ResultSet rs
                                  ? proxy(
                                      ResultSet.class,
                                      rs,
                                      (m3, a3, r3) -> {
                                        if (m3.getName().equals("next")
                                            && Boolean.TRUE.equals(r3)) {
                                          rows.incrementAndGet();
                                        }
                                        return r3;
                                      })
                                  : r2);
                    })
                : result);
  }

  /** How the statement that reads tasks' attempts to decide downstream begins. */
  private static final String STATES_OF_TASKS =
      "SELECT id, flow_run_id, task_id, attempt, state, branches, released_at";

  private interface After {
    Object apply(Method method, Object[] args, Object result) throws Throwable;
  }

  /** {@code real} as {@code type}, each call's result passed through {@code after}. */
  private static <T> T proxy(Class<T> type, T real, After after) {
    return type.cast(
        Proxy.newProxyInstance(
            FanInTest.class.getClassLoader(),
            new Class<?>[] {type},
            (p, method, args) -> {
              Object result;
              try {
                result = method.invoke(real, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
              return after.apply(method, args, result);
            }));
  }

  // ---- helpers

  private static void stopAll(ManualPlatform p, long run) {
    p.client().attempts(run).stream()
        .filter(a -> a.state() == TaskState.RUNNING)
        .forEach(a -> TestTasks.Stream.STOP.add(a.id()));
    p.runUntilIdle();
  }

  private static void update(DataSource ds, String sql, long run) throws SQLException {
    try (Connection c = ds.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      s.setLong(1, run);
      s.executeUpdate();
    }
  }
}

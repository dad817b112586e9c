package io.flinkplatform.engine;

import static io.flinkplatform.engine.FanInRuns.T0;
import static io.flinkplatform.engine.FanInRuns.attempts;
import static io.flinkplatform.engine.FanInRuns.latest;
import static io.flinkplatform.engine.FanInRuns.onManualPlatform;
import static io.flinkplatform.engine.FanInRuns.start;
import static io.flinkplatform.engine.FanInRuns.stop;
import static org.assertj.core.api.Assertions.assertThat;

import io.flinkplatform.engine.dag.RetryPolicy;
import io.flinkplatform.engine.dag.TriggerRule;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.event.PlatformEvent.TaskStateChanged;
import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.run.TaskState;
import io.flinkplatform.engine.testing.ManualClock;
import io.flinkplatform.engine.testing.ManualPlatform;
import io.flinkplatform.engine.testing.TestPlatforms;
import io.flinkplatform.engine.testing.TestTasks;
import io.flinkplatform.engine.testing.Tick;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Runs stranded by a fan-in counter that is too high (as an instance of a release before the
 * counters leaves them when it ends upstream tasks): the heartbeat loop's sweep ({@code
 * stranded-runs}, every 30 s by the clock) finds a RUNNING run with a counted WAITING attempt and
 * nothing READY or RUNNING, and decides its waiting tasks in full. Here the counter is raised by a
 * direct UPDATE after an upstream task ended, so that the last one's end leaves the sink waiting.
 */
class StrandedRunsTest {

  /** Past the sweep's period (StrandedRuns.PERIOD_MILLIS), so the next tick sweeps. */
  private static final Duration SWEEP = Duration.ofSeconds(31);

  @Test
  void aStrandedSinkIsDecidedAndTheRunSucceeds() throws Exception {
    onManualPlatform(
        (p, ds) -> {
          long run = start(p, fanIn("fan_in", TriggerRule.ALL_MATCHED, false));
          stop(p, run, "s1");
          assertThat(latest(ds, run, "sink")).isEqualTo("1");
          raiseCounter(ds, run, "sink", 2); // s1's end did not lower it
          stop(p, run, "s2");
          assertThat(latest(ds, run, "sink")).as("stranded").isEqualTo("1");
          assertThat(state(p, run)).isEqualTo(RunState.RUNNING);

          p.advance(SWEEP);
          p.runUntilIdle();
          assertThat(latest(ds, run, "sink")).isEqualTo("SUCCESS");
          assertThat(latest(ds, run, "after")).isEqualTo("SUCCESS");
          assertThat(state(p, run)).isEqualTo(RunState.SUCCESS);
          assertThat(p.events(TaskStateChanged.class))
              .anySatisfy(
                  e -> {
                    assertThat(e.runId()).isEqualTo(run);
                    assertThat(e.taskId()).isEqualTo("sink");
                    assertThat(e.state()).isEqualTo(TaskState.READY);
                  });
        });
  }

  /**
   * A stranded sink whose full rule says UPSTREAM_FAILED: the cascade reaches the task behind it,
   * and with nothing left to run the run closes FAILED in the sweep's transaction.
   */
  @Test
  void aStrandedSinkThatCannotRunCascadesAndTheRunCloses() throws Exception {
    onManualPlatform(
        (p, ds) -> {
          long run = start(p, fanIn("any", TriggerRule.ANY_MATCHED, true));
          stop(p, run, "s1");
          raiseCounter(ds, run, "sink", 2);
          stop(p, run, "s2");
          assertThat(latest(ds, run, "sink")).as("stranded").isEqualTo("1");

          p.advance(SWEEP);
          p.runUntilIdle();
          assertThat(latest(ds, run, "sink")).isEqualTo("UPSTREAM_FAILED");
          assertThat(latest(ds, run, "after")).isEqualTo("UPSTREAM_FAILED");
          assertThat(state(p, run)).isEqualTo(RunState.FAILED);
        });
  }

  /**
   * In the same sweep that heals a stranded run, runs that legitimately wait keep their counters:
   * one whose upstream task still runs, one whose upstream task waits for a retry (READY with a
   * ready time in the future); and stranded runs that are not RUNNING (KILLING, or finished) are
   * left alone.
   */
  @Test
  void onlyRunningRunsWithNothingLeftToRunAreTouched() throws Exception {
    onManualPlatform(
        (p, ds) -> {
          long stranded = strand(p, ds, "stranded");
          long killing = strand(p, ds, "killing");
          long finished = strand(p, ds, "finished");
          setRunState(ds, killing, "KILLING");
          setRunState(ds, finished, "FAILED");

          long upstreamRuns = start(p, fanIn("upstream_runs", TriggerRule.ALL_MATCHED, false));
          stop(p, upstreamRuns, "s1");
          assertThat(latest(ds, upstreamRuns, "sink")).isEqualTo("1");

          Workflow retried =
              Workflow.builder("retried")
                  .task("s1", "stream")
                  .task(
                      "f",
                      "fail",
                      t ->
                          t.option("failTimes", 1)
                              .retry(RetryPolicy.fixed(2, Duration.ofMinutes(10))))
                  .task("sink", "noop", t -> t.after("s1", "f"))
                  .build();
          long retry = start(p, retried);
          stop(p, retry, "s1");
          assertThat(attempts(p, retry, "f").get(1).state()).isEqualTo(TaskState.READY);
          assertThat(latest(ds, retry, "sink")).isEqualTo("1");

          p.advance(SWEEP);
          p.runUntilIdle();
          assertThat(state(p, stranded)).as("the sweep ran").isEqualTo(RunState.SUCCESS);
          assertThat(latest(ds, upstreamRuns, "sink")).isEqualTo("1");
          assertThat(latest(ds, retry, "sink")).isEqualTo("1");
          assertThat(latest(ds, killing, "sink")).isEqualTo("1");
          assertThat(latest(ds, finished, "sink")).isEqualTo("1");
          assertThat(state(p, killing)).isEqualTo(RunState.KILLING);
          assertThat(state(p, finished)).isEqualTo(RunState.FAILED);

          // the legitimate waits end as they should, the counters intact
          stop(p, upstreamRuns, "s2");
          assertThat(state(p, upstreamRuns)).isEqualTo(RunState.SUCCESS);
          p.advance(Duration.ofMinutes(10));
          p.runUntilIdle();
          assertThat(state(p, retry)).isEqualTo(RunState.SUCCESS);
        });
  }

  /**
   * Two instances on one database sweep at the same time: each run is locked and checked again
   * before it is decided, so each stranded sink is made READY once (one event in all) and runs
   * once.
   */
  @Test
  void twoInstancesSweepingAtOnceDecideEachRunOnce() throws Exception {
    TestTasks.Stream.reset();
    try (TestPlatforms own = new TestPlatforms()) {
      ManualClock clock = new ManualClock(T0);
      ManualPlatform a = own.manual(clock, b -> {});
      ManualPlatform b = own.manual(clock, x -> {});
      List<Long> runs = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        runs.add(strand(a, own.dataSource(), "w" + i));
      }
      clock.advance(SWEEP);
      CompletableFuture<Tick> first = CompletableFuture.supplyAsync(a::tick);
      CompletableFuture<Tick> second = CompletableFuture.supplyAsync(b::tick);
      first.get(5, TimeUnit.MINUTES);
      second.get(5, TimeUnit.MINUTES);
      a.runUntilIdle();
      b.runUntilIdle();

      List<TaskStateChanged> readied = new ArrayList<>();
      for (ManualPlatform p : List.of(a, b)) {
        p.events(TaskStateChanged.class).stream()
            .filter(e -> e.taskId().equals("sink") && e.state() == TaskState.READY)
            .forEach(readied::add);
      }
      assertThat(readied)
          .extracting(TaskStateChanged::runId)
          .containsExactlyInAnyOrderElementsOf(runs);
      for (long run : runs) {
        assertThat(state(a, run)).isEqualTo(RunState.SUCCESS);
        assertThat(attempts(a, run, "sink")).hasSize(1);
      }
    } finally {
      TestTasks.Stream.reset();
    }
  }

  // ---- helpers

  /** s1 and s2 stream into "sink" with {@code rule}, and "after" follows the sink. */
  private static Workflow fanIn(String name, TriggerRule rule, boolean fail) {
    return Workflow.builder(name)
        .task("s1", "stream", t -> t.option("fail_at_stop", fail))
        .task("s2", "stream", t -> t.option("fail_at_stop", fail))
        .task("sink", "noop", t -> t.after("s1", "s2").triggerRule(rule))
        .task("after", "noop", t -> t.after("sink"))
        .build();
  }

  /** A run of {@link #fanIn} whose sink waits with a counter of 1 and nothing left to run. */
  private static long strand(ManualPlatform p, DataSource ds, String name) throws SQLException {
    long run = start(p, fanIn(name, TriggerRule.ALL_MATCHED, false));
    stop(p, run, "s1");
    raiseCounter(ds, run, "sink", 2);
    stop(p, run, "s2");
    assertThat(latest(ds, run, "sink")).as("stranded").isEqualTo("1");
    return run;
  }

  private static RunState state(ManualPlatform p, long run) {
    return p.client().run(run).orElseThrow().state();
  }

  private static void raiseCounter(DataSource ds, long run, String task, int to)
      throws SQLException {
    update(
        ds,
        "UPDATE t_job_run SET open_edges = ? WHERE flow_run_id = ? AND task_id = ?"
            + " AND state = 'WAITING'",
        to,
        run,
        task);
  }

  private static void setRunState(DataSource ds, long run, String state) throws SQLException {
    update(ds, "UPDATE t_job_flow_run SET state = ? WHERE id = ?", state, run);
  }

  private static void update(DataSource ds, String sql, Object... args) throws SQLException {
    try (Connection c = ds.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        s.setObject(i + 1, args[i]);
      }
      assertThat(s.executeUpdate()).as(sql).isEqualTo(1);
    }
  }
}

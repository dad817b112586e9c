package io.flinkplatform.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.run.TaskAttempt;
import io.flinkplatform.engine.run.TaskState;
import io.flinkplatform.engine.testing.ManualClock;
import io.flinkplatform.engine.testing.ManualPlatform;
import io.flinkplatform.engine.testing.TestPlatforms;
import io.flinkplatform.engine.testing.TestTasks;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import javax.sql.DataSource;

/**
 * Runs of fan-in tests on a manual platform of their own, whose "stream" tasks the test ends one by
 * one, and what the fan-in counter of a waiting task says (FanInTest, StrandedRunsTest).
 */
final class FanInRuns {
  static final Instant T0 = Instant.parse("2026-06-01T00:00:00Z");

  private FanInRuns() {}

  interface ManualTest {
    void run(ManualPlatform platform, DataSource ds) throws Exception;
  }

  /** A platform and database of the test's own, its "stream" tasks stopped by the test. */
  static void onManualPlatform(ManualTest test) throws Exception {
    TestTasks.Stream.reset(); // attempt ids start at 1 in the new database
    try (TestPlatforms own = new TestPlatforms()) {
      test.run(own.manual(new ManualClock(T0), b -> {}), own.dataSource());
    } finally {
      TestTasks.Stream.reset();
    }
  }

  static long start(ManualPlatform p, Workflow w) {
    p.client().deploy(w);
    long run = p.client().trigger(w.name());
    p.runUntilIdle();
    return run;
  }

  /**
   * Ends the running stream {@code task} (it fails if its option {@code fail_at_stop} says so) and
   * lets the run go on.
   */
  static void stop(ManualPlatform p, long run, String task) {
    List<TaskAttempt> a = attempts(p, run, task);
    TaskAttempt last = a.get(a.size() - 1);
    assertThat(last.state()).as(task).isEqualTo(TaskState.RUNNING);
    TestTasks.Stream.STOP.add(last.id());
    p.runUntilIdle();
  }

  static List<TaskAttempt> attempts(ManualPlatform p, long run, String task) {
    return p.client().attempts(run).stream()
        .filter(a -> a.taskId().equals(task))
        .sorted(Comparator.comparingInt(TaskAttempt::attempt))
        .toList();
  }

  /** The task's latest attempt: its state, or while WAITING its counter ("?" when unknown). */
  static String latest(DataSource ds, long run, String task) throws SQLException {
    try (Connection c = ds.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT state, open_edges FROM t_job_run WHERE flow_run_id = ? AND task_id = ?"
                    + " ORDER BY attempt DESC LIMIT 1")) {
      s.setLong(1, run);
      s.setString(2, task);
      try (ResultSet r = s.executeQuery()) {
        assertThat(r.next()).as("an attempt of %s", task).isTrue();
        String state = r.getString(1);
        if (!state.equals("WAITING")) {
          return state;
        }
        int open = r.getInt(2);
        return r.wasNull() ? "?" : Integer.toString(open);
      }
    }
  }
}

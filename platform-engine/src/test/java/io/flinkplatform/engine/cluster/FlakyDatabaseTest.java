package io.flinkplatform.engine.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.flinkplatform.engine.Platform;
import io.flinkplatform.engine.PlatformClient;
import io.flinkplatform.engine.cluster.FlakyDataSource.Kind;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.event.PlatformEvent;
import io.flinkplatform.engine.schedule.ScheduleSpec;
import io.flinkplatform.engine.testing.Await;
import io.flinkplatform.engine.testing.Sql;
import io.flinkplatform.engine.testing.TestDatabase;
import io.flinkplatform.engine.testing.TestPlatforms;
import io.flinkplatform.engine.testing.TestTasks;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Two instances in this JVM share one database through a pool that fails 20% of getConnection()
 * calls and 20% of commits, a share of the commits after they went through. 100 schedules fire
 * every second, five times each; every run is a small DAG. Whatever failed, each fire time runs
 * once, each task succeeds exactly once, and nothing is left behind. The outcome is read through a
 * clean pool. Set {@code -Dflaky.seed=N} to replay a seed.
 */
@Tag("chaos")
class FlakyDatabaseTest {
  private static final int WORKFLOWS = 100;
  private static final int FIRES = 5;
  private static final List<String> TASKS = List.of("a", "b", "c");

  private final List<Platform> platforms = new ArrayList<>();
  private final List<PlatformEvent> events = new CopyOnWriteArrayList<>();
  private HikariDataSource pool;
  private HikariDataSource clean;

  @AfterEach
  void stop() {
    platforms.forEach(Platform::stop);
    if (pool != null) {
      pool.close();
    }
    if (clean != null) {
      clean.close();
    }
  }

  @Test
  void schedulesRunExactlyOnceThroughAFlakyPool() throws Exception {
    long seed = Long.getLong("flaky.seed", System.nanoTime());
    System.out.println(
        "FlakyDatabaseTest seed " + seed + " (replay with -Dflaky.seed=" + seed + ")");
    String url = TestDatabase.get().newDatabaseUrl();
    pool = TestDatabase.pool(url, c -> c.setMaximumPoolSize(16));
    clean = TestDatabase.pool(url, c -> c.setMaximumPoolSize(2));
    FlakyDataSource flaky = new FlakyDataSource(pool, seed, 0.2, 0.2, 0.5);
    for (String name : List.of("flaky-1", "flaky-2")) {
      platforms.add(TestPlatforms.builder(flaky, name).listener(events::add).build().start());
    }
    PlatformClient client = platforms.get(0).client();
    // the first fire time far enough ahead for the setup to finish before it
    Instant first = Instant.now().plusSeconds(8).truncatedTo(ChronoUnit.SECONDS);
    Instant last = first.plusSeconds(FIRES - 1);
    for (int i = 0; i < WORKFLOWS; i++) {
      client.deploy(
          Workflow.builder("flaky-" + i)
              .task("a", "noop")
              .task("b", "sleep", t -> t.option("duration", "50ms"))
              .task("c", "noop")
              .edge("a", "b")
              .edge("b", "c")
              .build());
      client.saveSchedule(
          ScheduleSpec.builder("every-second-" + i, "flaky-" + i, "* * * * * ?")
              .startAt(first)
              .endAt(last)
              .build());
    }
    flaky.arm(true);
    assertThat(Instant.now()).isBefore(first);

    try {
      Await.until(Duration.ofMinutes(3), () -> count(FINISHED) >= WORKFLOWS * FIRES);
      Await.until(Duration.ofSeconds(30), () -> count(unfinishedWork()) == 0);
    } catch (AssertionError e) {
      query(
          "SELECT 'run', state, COUNT(*) FROM t_job_flow_run GROUP BY state UNION ALL"
              + " SELECT 'attempt', CONCAT(state, ' ', COALESCE(owner, '-')), COUNT(*)"
              + " FROM t_job_run GROUP BY state, owner",
          rs ->
              System.out.println(
                  "STUCK " + rs.getString(1) + " " + rs.getString(2) + ": " + rs.getLong(3)));
      throw e;
    }
    flaky.arm(false);
    System.out.printf(
        "FlakyDatabaseTest: %d getConnection() calls, %d commits while armed; injected %d"
            + " connection failures, %d commit failures before the commit, %d after it%n",
        flaky.connections(),
        flaky.commits(),
        flaky.injected(Kind.CONNECTION),
        flaky.injected(Kind.COMMIT_BEFORE),
        flaky.injected(Kind.COMMIT_AFTER));
    assertThat(flaky.injected(Kind.COMMIT_AFTER)).isPositive();
    assertThat(flaky.injected(Kind.COMMIT_BEFORE)).isPositive();
    assertThat(flaky.injected(Kind.CONNECTION)).isPositive();

    // exactly one run per (schedule, fire time), each fire time of the bounds, all successful
    Map<String, List<Long>> fires = new HashMap<>();
    Map<String, Integer> states = new HashMap<>();
    query(
        "SELECT s.name, r.fire_time, r.state FROM t_job_flow_run r"
            + " JOIN t_schedule s ON s.id = r.schedule_id",
        rs -> {
          fires.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getLong(2));
          states.merge(rs.getString(3), 1, Integer::sum);
        });
    System.out.println("FlakyDatabaseTest: runs by state " + states);
    query(
        "SELECT a.flow_run_id, r.state, a.task_id, a.attempt, a.state, a.epoch, a.owner, a.message"
            + " FROM t_job_run a JOIN t_job_flow_run r ON r.id = a.flow_run_id"
            + " WHERE r.state <> 'SUCCESS' OR a.state <> 'SUCCESS' ORDER BY a.id LIMIT 50",
        rs -> {
          StringBuilder sb = new StringBuilder("NOT SUCCESS:");
          for (int i = 1; i <= 8; i++) {
            sb.append(' ').append(rs.getString(i));
          }
          System.out.println(sb);
        });
    assertThat(count("SELECT COUNT(*) FROM t_job_flow_run")).isEqualTo(WORKFLOWS * FIRES);
    assertThat(states).containsOnlyKeys("SUCCESS");
    List<Long> expected =
        LongStream.range(0, FIRES).map(i -> first.toEpochMilli() + i * 1000).boxed().toList();
    assertThat(fires).hasSize(WORKFLOWS);
    fires.forEach(
        (schedule, times) ->
            assertThat(times).as(schedule).containsExactlyInAnyOrderElementsOf(expected));

    // every task of every run ended SUCCESS exactly once, in its first attempt: no attempt row
    // was committed twice, retried for a failure that never happened or left behind
    assertThat(count("SELECT COUNT(*) FROM t_job_run")).isEqualTo(WORKFLOWS * FIRES * TASKS.size());
    assertThat(
            count(
                "SELECT COUNT(*) FROM t_job_run WHERE state <> 'SUCCESS' OR attempt <> 1"
                    + " OR ended_at IS NULL OR started_at IS NULL"))
        .isZero();
    assertThat(
            count(
                "SELECT COUNT(*) FROM (SELECT flow_run_id, task_id FROM t_job_run"
                    + " WHERE state = 'SUCCESS' GROUP BY flow_run_id, task_id"
                    + " HAVING COUNT(*) <> 1) d"))
        .isZero();
    // a task ran on its own epoch: each execution's (attempt, epoch) is one the database holds
    // or an earlier one that was fenced off, never a later one
    Map<String, Long> finalEpochs = new HashMap<>();
    query(
        "SELECT flow_run_id, task_id, epoch FROM t_job_run",
        rs -> finalEpochs.put(rs.getLong(1) + "/" + rs.getString(2), rs.getLong(3)));
    long executions = 0;
    for (String e : TestTasks.EXECUTIONS) {
      String[] p = e.split("/");
      Long epoch = finalEpochs.get(p[0] + "/" + p[1]);
      if (epoch != null) {
        executions++;
        assertThat(Long.parseLong(p[3])).as(e).isBetween(1L, epoch);
      }
    }
    assertThat(finalEpochs.values()).allMatch(e -> e >= 1);

    // a stale write is one of a fenced-off claim: the attempt was claimed again later. The write
    // of the claim that holds the attempt's final epoch, whose commit went through, is never
    // reported stale (as it would be if a commit that looked failed were applied again)
    Map<Long, Long> epochById = new HashMap<>();
    query("SELECT id, epoch FROM t_job_run", rs -> epochById.put(rs.getLong(1), rs.getLong(2)));
    List<PlatformEvent.StaleWriteRejected> stale =
        events.stream()
            .filter(e -> e instanceof PlatformEvent.StaleWriteRejected)
            .map(e -> (PlatformEvent.StaleWriteRejected) e)
            .toList();
    long reclaimed = count("SELECT COUNT(*) FROM t_job_run WHERE epoch > 1");
    System.out.printf(
        "FlakyDatabaseTest: %d runs, %d task attempts, %d sleep executions, %d attempts claimed"
            + " more than once, %d stale writes rejected%n",
        WORKFLOWS * FIRES, finalEpochs.size(), executions, reclaimed, stale.size());
    for (PlatformEvent.StaleWriteRejected s : stale) {
      assertThat(s.epoch())
          .as("epoch of stale write " + s)
          .isLessThan(epochById.get(s.attemptId()));
    }
    assertThat(count("SELECT COUNT(*) FROM t_schedule WHERE next_fire_at IS NOT NULL")).isZero();
  }

  private static final String FINISHED =
      "SELECT COUNT(*) FROM t_job_flow_run WHERE state IN ('SUCCESS', 'FAILED', 'KILLED')";

  private String unfinishedWork() {
    return "SELECT (SELECT COUNT(*) FROM t_job_run WHERE state IN ('WAITING','READY','RUNNING'))"
        + " + (SELECT COUNT(*) FROM t_job_flow_run WHERE state NOT IN ('SUCCESS','FAILED',"
        + "'KILLED'))";
  }

  private long count(String sql) {
    return Sql.single(clean, sql);
  }

  private void query(String sql, Sql.RowReader reader) throws SQLException {
    Sql.query(clean, sql, reader);
  }
}

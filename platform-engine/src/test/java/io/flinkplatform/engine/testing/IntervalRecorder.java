package io.flinkplatform.engine.testing;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.flinkplatform.spi.TaskContext;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * The side table in which {@link TestTasks.Interval} records when each execution of a task ran, on
 * which instance and under which fencing epoch, written outside the platform (a pool of its own per
 * JVM) and committed before the task sleeps and before it returns.
 */
public final class IntervalRecorder {
  public static final String TABLE = "t_chaos_interval";
  private static final Map<String, HikariDataSource> POOLS = new ConcurrentHashMap<>();

  private IntervalRecorder() {}

  /** One execution: {@code endedMs} and {@code outcome} are empty when it never ended. */
  public record Execution(
      long id,
      long attemptId,
      long runId,
      String taskId,
      int attempt,
      long epoch,
      String instance,
      long pid,
      long startedMs,
      Optional<Long> endedMs,
      Optional<String> outcome) {}

  /** Creates the table in the test's schema. */
  public static void createTable(DataSource ds) throws SQLException {
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE "
              + TABLE
              + " (id BIGINT AUTO_INCREMENT PRIMARY KEY, attempt_id BIGINT NOT NULL,"
              + " run_id BIGINT NOT NULL, task_id VARCHAR(128) NOT NULL, attempt INT NOT NULL,"
              + " epoch BIGINT NOT NULL, instance VARCHAR(128) NOT NULL, pid BIGINT NOT NULL,"
              + " started_ms BIGINT NOT NULL, ended_ms BIGINT NULL, outcome VARCHAR(32) NULL,"
              + " KEY idx_chaos_attempt (attempt_id))");
    }
  }

  /** Every recorded execution, in the order they started. */
  public static List<Execution> all(DataSource ds) throws SQLException {
    List<Execution> out = new ArrayList<>();
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT id, attempt_id, run_id, task_id, attempt, epoch, instance, pid,"
                    + " started_ms, ended_ms, outcome FROM "
                    + TABLE
                    + " ORDER BY started_ms, id")) {
      while (r.next()) {
        long ended = r.getLong("ended_ms");
        Optional<Long> end = r.wasNull() ? Optional.empty() : Optional.of(ended);
        out.add(
            new Execution(
                r.getLong("id"),
                r.getLong("attempt_id"),
                r.getLong("run_id"),
                r.getString("task_id"),
                r.getInt("attempt"),
                r.getLong("epoch"),
                r.getString("instance"),
                r.getLong("pid"),
                r.getLong("started_ms"),
                end,
                Optional.ofNullable(r.getString("outcome"))));
      }
    }
    return out;
  }

  /**
   * Records the start of an execution and returns its row. The time is taken before the write. A
   * write refused because the database is away (stopped, restarting) is tried again every 200 ms
   * until it goes through, or until the attempt is cancelled (its instance fenced it meanwhile:
   * then nothing was recorded and the work never begins), for up to two minutes: a failing write of
   * this bookkeeping must not fail the task under test.
   */
  static long start(String url, TaskContext c, String instance) throws SQLException {
    long startedMs = System.currentTimeMillis(); // before waiting for a connection
    long giveUp = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (true) {
      try {
        return insertStart(url, c, instance, startedMs);
      } catch (SQLException e) {
        if (c.cancellation().isCancelled() || System.nanoTime() > giveUp) {
          throw e;
        }
        try {
          Thread.sleep(200);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  private static long insertStart(String url, TaskContext c, String instance, long startedMs)
      throws SQLException {
    try (Connection con = pool(url).getConnection();
        PreparedStatement s =
            con.prepareStatement(
                "INSERT INTO "
                    + TABLE
                    + " (attempt_id, run_id, task_id, attempt, epoch, instance, pid, started_ms)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                Statement.RETURN_GENERATED_KEYS)) {
      s.setLong(1, c.attemptId());
      s.setLong(2, c.runId());
      s.setString(3, c.taskId());
      s.setInt(4, c.attemptNumber());
      s.setLong(5, c.fencingEpoch());
      s.setString(6, instance);
      s.setLong(7, ProcessHandle.current().pid());
      s.setLong(8, startedMs);
      s.executeUpdate();
      try (ResultSet keys = s.getGeneratedKeys()) {
        keys.next();
        return keys.getLong(1);
      }
    }
  }

  /**
   * Records the end, as of now: the time is taken before the write, which is tried again for up to
   * two minutes, so an end during a database outage is recorded when it returns, with its time.
   */
  static void end(String url, long row, String outcome) throws SQLException {
    long endedMs = System.currentTimeMillis();
    long giveUp = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    boolean interrupted = Thread.interrupted(); // a cancellation must not keep the end unwritten
    try {
      while (true) {
        try (Connection con = pool(url).getConnection();
            PreparedStatement s =
                con.prepareStatement(
                    "UPDATE " + TABLE + " SET ended_ms = ?, outcome = ? WHERE id = ?")) {
          s.setLong(1, endedMs);
          s.setString(2, outcome);
          s.setLong(3, row);
          s.executeUpdate();
          return;
        } catch (SQLException e) {
          interrupted |= Thread.interrupted();
          if (System.nanoTime() > giveUp) {
            throw e;
          }
          try {
            Thread.sleep(200);
          } catch (InterruptedException ie) {
            interrupted = true;
          }
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static HikariDataSource pool(String url) {
    return POOLS.computeIfAbsent(
        url,
        u -> {
          HikariConfig c = new HikariConfig();
          c.setJdbcUrl(u);
          c.setMaximumPoolSize(8);
          c.setMinimumIdle(1);
          c.setPoolName("chaos-intervals");
          return new HikariDataSource(c);
        });
  }
}

package io.flinkplatform.tasks.sql;

import static java.util.Objects.requireNonNull;

import io.flinkplatform.spi.TaskContext;
import io.flinkplatform.spi.TaskLog;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs the statements of one attempt on one connection: binds parameters, sets the query timeout
 * and row limit, reads every result, logs it, and exposes the running JDBC statement so that a
 * cancellation can call {@link Statement#cancel()} on it.
 */
final class StatementRunner {
  private static final int LOGGED_VALUE_CHARS = 200;

  private final TaskContext context;
  private final SqlOptions options;
  private final TaskLog log;
  private final AtomicReference<Statement> running = new AtomicReference<>();
  private boolean warnedNoTimeout;
  private long updateCount;
  private ResultTable lastResult;
  private Boolean multipleResults; // asked of the connection's metadata once

  StatementRunner(TaskContext context, SqlOptions options) {
    this.context = requireNonNull(context, "context is null");
    this.options = requireNonNull(options, "options is null");
    this.log = context.log();
  }

  /** Cancels the statement running now, if any, from another thread. Never blocks the caller. */
  void cancelRunning() {
    Statement statement = running.get();
    if (statement == null) {
      return;
    }
    Thread canceller =
        new Thread(
            () -> {
              try {
                statement.cancel();
              } catch (SQLException | RuntimeException e) {
                // the statement ended meanwhile, or the driver cannot cancel: the timeout remains
              }
            },
            "sql-cancel-" + context.taskId());
    canceller.setDaemon(true);
    canceller.start();
  }

  /** Runs one statement and reads all its results. */
  void run(Connection connection, SqlStatement statement, Map<String, String> values)
      throws SQLException {
    boolean prepared = !statement.parameters().isEmpty();
    long start = System.nanoTime();
    try (Statement jdbc =
        prepared ? connection.prepareStatement(statement.sql()) : connection.createStatement()) {
      running.set(jdbc);
      if (prepared) {
        List<String> names = statement.parameters();
        for (int i = 0; i < names.size(); i++) {
          ((PreparedStatement) jdbc).setString(i + 1, values.get(names.get(i)));
        }
      }
      limit(jdbc);
      if (context.cancellation().isCancelled()) {
        throw new SQLException("cancelled before the statement started");
      }
      boolean isResult =
          prepared ? ((PreparedStatement) jdbc).execute() : jdbc.execute(statement.sql());
      readResults(jdbc, isResult, start, multipleResults(connection));
    } finally {
      running.set(null);
    }
  }

  long updateCount() {
    return updateCount;
  }

  /** The last result that had rows (columns, at least), or {@code null}. */
  ResultTable lastResult() {
    return lastResult;
  }

  private void limit(Statement jdbc) throws SQLException {
    timeoutSeconds()
        .ifPresent(
            seconds -> {
              try {
                jdbc.setQueryTimeout(seconds);
              } catch (SQLException e) {
                if (!warnedNoTimeout) {
                  warnedNoTimeout = true;
                  log.line(
                      "[sql] the driver has no query timeout; cancellation still ends a statement");
                }
              }
            });
    try {
      jdbc.setMaxRows(options.rowLimit() + 1);
    } catch (SQLFeatureNotSupportedException e) {
      // reading stops at the limit all the same
    }
  }

  /** Seconds until the sooner of the query timeout and the task's deadline, at least 1. */
  private Optional<Integer> timeoutSeconds() {
    Optional<Duration> untilDeadline =
        context.deadline().map(d -> Duration.between(context.clock().instant(), d));
    Optional<Duration> limit =
        options
            .queryTimeout()
            .map(q -> untilDeadline.filter(d -> d.compareTo(q) < 0).orElse(q))
            .or(() -> untilDeadline);
    return limit.map(d -> (int) Math.max(1, Math.min(Integer.MAX_VALUE, ceilSeconds(d))));
  }

  private static long ceilSeconds(Duration d) {
    return d.isNegative() ? 1 : (d.toMillis() + 999) / 1000;
  }

  /**
   * Whether the driver can return more than one result from a statement. Drivers that cannot may
   * not end the results as JDBC says (Hive's {@code getUpdateCount} never turns -1), so only the
   * first result is read from them.
   */
  private boolean multipleResults(Connection connection) throws SQLException {
    if (multipleResults == null) {
      multipleResults = connection.getMetaData().supportsMultipleResultSets();
    }
    return multipleResults;
  }

  private void readResults(Statement jdbc, boolean isResult, long start, boolean multiple)
      throws SQLException {
    boolean result = isResult;
    while (true) {
      if (result) {
        try (ResultSet rs = jdbc.getResultSet()) {
          ResultTable table = ResultTable.read(rs, options.rowLimit());
          logTable(table, start);
          lastResult = table;
        }
      } else {
        int count = jdbc.getUpdateCount();
        if (count == -1) {
          return;
        }
        updateCount += count;
        log.line("[sql] " + count + " row(s) affected in " + millis(start) + " ms");
      }
      if (!multiple) {
        return;
      }
      try {
        result = jdbc.getMoreResults();
      } catch (SQLFeatureNotSupportedException e) {
        return;
      }
    }
  }

  private void logTable(ResultTable table, long start) {
    log.line("[sql] columns: " + String.join(" | ", table.columns()));
    for (List<String> row : table.rows()) {
      StringBuilder line = new StringBuilder();
      for (String value : row) {
        if (line.length() > 0) {
          line.append(" | ");
        }
        line.append(
            value == null
                ? "NULL"
                : value.length() <= LOGGED_VALUE_CHARS
                    ? value
                    : SqlStatement.prefix(value, LOGGED_VALUE_CHARS) + "…");
      }
      log.line(line.toString());
    }
    log.line(
        "[sql] "
            + table.rows().size()
            + " row(s) in "
            + millis(start)
            + " ms"
            + (table.truncated()
                ? "; rowLimit " + options.rowLimit() + " reached, the rest was not read"
                : ""));
  }

  private static long millis(long start) {
    return Duration.ofNanos(System.nanoTime() - start).toMillis();
  }
}

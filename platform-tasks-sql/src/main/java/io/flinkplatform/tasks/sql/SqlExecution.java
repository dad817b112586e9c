package io.flinkplatform.tasks.sql;

import static java.util.Objects.requireNonNull;

import io.flinkplatform.spi.RawParameters;
import io.flinkplatform.spi.TaskContext;
import io.flinkplatform.spi.TaskLog;
import io.flinkplatform.spi.TaskOutcome;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLSyntaxErrorException;
import java.sql.SQLTimeoutException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * One attempt of a {@code sql} task: resolve the datasource, prepare the script (splice raw
 * parameters, split, check every bound name), then run it on a pooled connection and judge it.
 * Nothing runs unless the whole script is ready.
 */
final class SqlExecution {
  private static final int EXCERPT_CHARS = 120;

  private final TaskContext context;
  private final SqlOptions options;
  private final DatasourceRegistry registry;
  private final TaskLog log;

  SqlExecution(TaskContext context, SqlOptions options, DatasourceRegistry registry) {
    this.context = requireNonNull(context, "context is null");
    this.options = requireNonNull(options, "options is null");
    this.registry = requireNonNull(registry, "registry is null");
    this.log = context.log();
  }

  TaskOutcome run() {
    if (context.cancellation().isCancelled()) {
      return cancelled("");
    }
    if (deadlinePassed()) {
      return timedOut("");
    }
    DatasourceRow row;
    try {
      // resolved again in the run's workspace: a grant revoked since the deploy stops it here,
      // before any connection is opened
      row = registry.resolve(registry.check(context.workspace(), options.datasource()));
    } catch (DatasourceNotGrantedException | DatasourceNotFoundException e) {
      log.line("[sql] " + e.getMessage());
      return TaskOutcome.fatal(e.getMessage());
    } catch (IllegalArgumentException e) {
      return TaskOutcome.fatal("'" + SqlOptions.DATASOURCE + "': " + e.getMessage());
    } catch (DatasourceException e) {
      return TaskOutcome.failure(e.getMessage());
    }
    if (options.transaction() && !row.type().supportsTransactions()) {
      return TaskOutcome.fatal(
          "'transaction' cannot be used with datasource '"
              + row.name()
              + "': "
              + row.type()
              + " has no transactions");
    }
    Dialect dialect = options.dialect().orElse(row.type().dialect());
    Map<String, String> values = SqlParameters.of(context);
    List<SqlStatement> statements;
    try {
      statements = prepare(dialect, values);
    } catch (IllegalArgumentException e) {
      return TaskOutcome.fatal(e.getMessage());
    }
    log.line(
        "[sql] "
            + statements.size()
            + " statement(s) on datasource '"
            + row.qualified()
            + "' ("
            + row.type()
            + ", dialect "
            + dialect
            + (options.transaction() ? ", in one transaction)" : ")"));
    try (ConnectionPools.Lease lease = open(row, statements)) {
      return runAll(row, lease, statements, values);
    } catch (MissingDriverException e) {
      return TaskOutcome.fatal(e.getMessage());
    } catch (DatasourceException e) {
      return TaskOutcome.failure(e.getMessage());
    } catch (SQLException e) {
      if (context.cancellation().isCancelled()) {
        return deadlinePassed() ? timedOut("") : cancelled("");
      }
      return TaskOutcome.failure(
          "could not connect to datasource '" + row.name() + "': " + describe(e));
    }
  }

  /**
   * A pooled connection; on ClickHouse, for a script that changes session state, a connection of
   * its own in a new server session (see {@link ClickHouseSessions}).
   */
  private ConnectionPools.Lease open(DatasourceRow row, List<SqlStatement> statements)
      throws SQLException {
    if (!ClickHouseSessions.needed(row, statements)) {
      return registry.pools().open(row);
    }
    String id = ClickHouseSessions.newId(context.taskId());
    Map<String, String> session = ClickHouseSessions.properties(Drivers.driver(row), row.url(), id);
    log.line(
        "[sql] the script changes session state: it runs on a connection of its own in the"
            + " ClickHouse session "
            + id);
    return registry.pools().openUnpooled(row, session);
  }

  /** The statements to run, with every bound name checked. */
  private List<SqlStatement> prepare(Dialect dialect, Map<String, String> values) {
    Set<String> spliced = RawParameters.names(options.script());
    String script = RawParameters.splice(options.script(), context.config(), values, "parameters");
    List<String> problems = SqlValidator.checkScript(script, dialect);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
    List<SqlStatement> statements = ScriptParser.parse(script, dialect);
    for (SqlStatement statement : statements) {
      for (String name : statement.parameters()) {
        if (!values.containsKey(name)) {
          throw new IllegalArgumentException(
              describe(statement, statements.size())
                  + " binds ${"
                  + name
                  + "}, which is not defined; defined parameters: "
                  + new TreeSet<>(values.keySet()));
        }
      }
    }
    if (!spliced.isEmpty()) {
      log.line("[sql] spliced raw parameters into the script: " + spliced);
    }
    return statements;
  }

  private TaskOutcome runAll(
      DatasourceRow row,
      ConnectionPools.Lease lease,
      List<SqlStatement> statements,
      Map<String, String> values) {
    Connection connection = lease.connection();
    StatementRunner runner = new StatementRunner(context, options);
    context.cancellation().onCancel(runner::cancelRunning);
    SqlStatement current = null;
    boolean changedSession = false;
    try {
      if (options.transaction()) {
        connection.setAutoCommit(false);
      }
      for (SqlStatement statement : statements) {
        current = statement;
        if (context.cancellation().isCancelled()) {
          lease.evict();
          String note = rollback(connection);
          return deadlinePassed() ? timedOut(note) : cancelled(note);
        }
        changedSession |= statement.changesSession();
        log.line(
            "[sql] "
                + describe(statement, statements.size())
                + ": "
                + statement.excerpt(EXCERPT_CHARS));
        runner.run(connection, statement, values);
      }
      if (options.transaction()) {
        connection.commit();
        log.line("[sql] committed");
      }
      return TaskOutcome.success(
          Outputs.of(runner.updateCount(), runner.lastResult(), options.outputRows()));
    } catch (SQLException e) {
      lease.evict(); // its state is unknown now
      String where = current == null ? "" : " during " + describe(current, statements.size());
      String note = rollback(connection);
      if (context.cancellation().isCancelled()) {
        return deadlinePassed() ? timedOut(where + note) : cancelled(where + note);
      }
      if (e instanceof SQLTimeoutException || ClickHouseSessions.timedOut(row, e)) {
        return TaskOutcome.failure(
            "timed out: "
                + describe(current, statements.size())
                + " ran longer than its query timeout"
                + note);
      }
      String message =
          (current == null ? "preparing the connection" : describe(current, statements.size()))
              + " failed: "
              + describe(e)
              + note;
      return syntaxError(e) || ClickHouseSessions.notRetryable(row, e)
          ? TaskOutcome.fatal(message)
          : TaskOutcome.failure(message);
    } finally {
      if (changedSession) {
        lease.evict(); // session settings must not reach the next attempt using this connection
      }
    }
  }

  /** Rolls back an open transaction; returns a note for the message. */
  private String rollback(Connection connection) {
    if (!options.transaction()) {
      return "";
    }
    try {
      connection.rollback();
      log.line("[sql] rolled back");
      return "; the transaction was rolled back";
    } catch (SQLException | RuntimeException e) {
      return "; the rollback failed too (" + e.getMessage() + "); the connection is discarded";
    }
  }

  private static boolean syntaxError(SQLException e) {
    return e instanceof SQLSyntaxErrorException
        || (e.getSQLState() != null && e.getSQLState().startsWith("42"));
  }

  private static String describe(SqlStatement statement, int total) {
    return "statement " + statement.number() + " of " + total + " (line " + statement.line() + ")";
  }

  private static String describe(SQLException e) {
    return "[SQLState "
        + e.getSQLState()
        + (e.getErrorCode() != 0 ? ", error " + e.getErrorCode() : "")
        + "] "
        + ConnectionPools.rootMessage(e);
  }

  private boolean deadlinePassed() {
    return context.deadline().map(d -> !context.clock().instant().isBefore(d)).orElse(false);
  }

  private TaskOutcome cancelled(String note) {
    return TaskOutcome.failure(
        "cancelled: "
            + Objects.toString(context.cancellation().reason(), "no reason given")
            + note);
  }

  private TaskOutcome timedOut(String note) {
    return TaskOutcome.failure(
        "timed out: the deadline " + context.deadline().orElseThrow() + " passed" + note);
  }
}

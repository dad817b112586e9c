package io.flinkplatform.spi;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import javax.sql.DataSource;

/**
 * Plain JDBC for a plugin's tables in the platform database ({@link PluginContext#database()}):
 * each call borrows one connection in auto-commit mode, runs one statement with the parameters a
 * {@link Binder} sets, maps rows with a {@link RowMapper} lambda, and closes everything. An {@link
 * SQLException} is wrapped once, here, into the exception of the store's choice, made from what was
 * being done (a phrase such as {@code "read the jobs of w.t"}) and the driver's message; by default
 * a {@link Failure}. Nothing else reaches the message: the SQL text and bound values do not (a
 * driver may quote the value a unique key refused, so keep secrets out of keys), and secrets must
 * stay out of {@code what}.
 */
public final class Jdbc {
  private final DataSource database;
  private final BiFunction<String, SQLException, RuntimeException> failure;

  /** Sets the parameters of a prepared statement. */
  @FunctionalInterface
  public interface Binder {
    void bind(PreparedStatement statement) throws SQLException;
  }

  /** Maps the current row of a result set to a value. */
  @FunctionalInterface
  public interface RowMapper<T> {
    T map(ResultSet row) throws SQLException;
  }

  /** Work on a borrowed connection. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  @FunctionalInterface
  private interface OnStatement<T> {
    T run(PreparedStatement statement) throws SQLException;
  }

  /** A failed call: its message is {@code "cannot <what>: <driver message>"}. */
  public static final class Failure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public Failure(String what, SQLException cause) {
      super("cannot " + what + ": " + cause.getMessage(), cause);
    }
  }

  /** Failures become {@link Failure}s. */
  public Jdbc(DataSource database) {
    this(database, Failure::new);
  }

  /** Failures become what {@code failure} makes of what was being done and the cause. */
  public Jdbc(DataSource database, BiFunction<String, SQLException, RuntimeException> failure) {
    this.database = requireNonNull(database, "database is null");
    this.failure = requireNonNull(failure, "failure is null");
  }

  /** Runs {@code work} on one auto-commit connection. */
  public <T> T call(String what, Work<T> work) {
    try (Connection c = database.getConnection()) {
      c.setAutoCommit(true);
      return work.run(c);
    } catch (SQLException e) {
      throw failure.apply(what, e);
    }
  }

  /** Runs an INSERT, UPDATE or DELETE; returns the number of rows it changed. */
  public int update(String what, String sql, Binder binder) {
    return call(what, c -> prepared(c, sql, binder, PreparedStatement::executeUpdate));
  }

  /** Runs an INSERT that adds one row; returns its generated key. */
  public long insert(String what, String sql, Binder binder) {
    return call(
        what,
        c -> {
          try (PreparedStatement s = c.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)) {
            binder.bind(s);
            s.executeUpdate();
            try (ResultSet keys = s.getGeneratedKeys()) {
              keys.next();
              return keys.getLong(1);
            }
          }
        });
  }

  /** Runs an INSERT; false if a unique key refused it ({@link #isConstraintViolation}). */
  public boolean insertNew(String what, String sql, Binder binder) {
    return call(
        what,
        c -> {
          try {
            prepared(c, sql, binder, PreparedStatement::executeUpdate);
            return true;
          } catch (SQLException e) {
            if (isConstraintViolation(e)) {
              return false;
            }
            throw e;
          }
        });
  }

  /** Runs a query; returns every row, mapped. */
  public <T> List<T> query(String what, String sql, Binder binder, RowMapper<T> mapper) {
    return call(what, c -> prepared(c, sql, binder, s -> rows(s, mapper)));
  }

  /** Runs a query; returns its first row, mapped. */
  public <T> Optional<T> queryFirst(String what, String sql, Binder binder, RowMapper<T> mapper) {
    return query(what, sql, binder, mapper).stream().findFirst();
  }

  /** A binder that sets nothing, for statements without parameters. */
  public static Binder none() {
    return s -> {};
  }

  /** Whether {@code e} says a constraint refused the statement (SQL state 23000). */
  public static boolean isConstraintViolation(SQLException e) {
    return e instanceof SQLIntegrityConstraintViolationException || "23000".equals(e.getSQLState());
  }

  /** A nullable integer column: empty for SQL NULL. */
  public static Optional<Long> optionalLong(ResultSet row, String column) throws SQLException {
    long value = row.getLong(column);
    return row.wasNull() ? Optional.empty() : Optional.of(value);
  }

  private static <T> T prepared(Connection c, String sql, Binder binder, OnStatement<T> then)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      binder.bind(s);
      return then.run(s);
    }
  }

  private static <T> List<T> rows(PreparedStatement s, RowMapper<T> mapper) throws SQLException {
    List<T> out = new ArrayList<>();
    try (ResultSet r = s.executeQuery()) {
      while (r.next()) {
        out.add(mapper.map(r));
      }
    }
    return out;
  }
}

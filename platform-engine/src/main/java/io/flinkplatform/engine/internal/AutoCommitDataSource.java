package io.flinkplatform.engine.internal;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The owned pool as everything but the engine's store sees it: each connection in auto-commit mode,
 * JDBC's default, which plugins, migrations and checks may rely on. The pool itself hands out
 * connections with auto-commit off, the mode the store's transactions work in, so that a
 * transaction of the store costs no {@code SET autocommit} statement on the way in or out (two per
 * transaction before: half the statements of a drain by count); a connection taken here costs one,
 * and the pool one more when it takes the connection back.
 */
final class AutoCommitDataSource implements DataSource {
  private final DataSource pool;

  AutoCommitDataSource(DataSource pool) {
    this.pool = pool;
  }

  @Override
  public Connection getConnection() throws SQLException {
    return autoCommit(pool.getConnection());
  }

  @Override
  public Connection getConnection(String user, String password) throws SQLException {
    return autoCommit(pool.getConnection(user, password));
  }

  private static Connection autoCommit(Connection c) throws SQLException {
    try {
      c.setAutoCommit(true);
      return c;
    } catch (SQLException | RuntimeException e) {
      try {
        c.close();
      } catch (SQLException closing) {
        e.addSuppressed(closing);
      }
      throw e;
    }
  }

  @Override
  public PrintWriter getLogWriter() throws SQLException {
    return pool.getLogWriter();
  }

  @Override
  public void setLogWriter(PrintWriter out) throws SQLException {
    pool.setLogWriter(out);
  }

  @Override
  public void setLoginTimeout(int seconds) throws SQLException {
    pool.setLoginTimeout(seconds);
  }

  @Override
  public int getLoginTimeout() throws SQLException {
    return pool.getLoginTimeout();
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    return pool.getParentLogger();
  }

  @Override
  public <T> T unwrap(Class<T> type) throws SQLException {
    return type.isInstance(this) ? type.cast(this) : pool.unwrap(type);
  }

  @Override
  public boolean isWrapperFor(Class<?> type) throws SQLException {
    return type.isInstance(this) || pool.isWrapperFor(type);
  }

  @Override
  public String toString() {
    return pool.toString();
  }
}

package io.flinkplatform.engine.cluster;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransactionRollbackException;
import java.sql.SQLTransientConnectionException;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A {@link DataSource} around a real pool that fails a share of {@code getConnection()} calls and
 * of commits, with the exceptions a MySQL driver and HikariCP throw for these cases. A failed
 * commit either never happened (the transaction is rolled back, then a deadlock is reported) or
 * happened and its acknowledgement was lost (the real commit succeeds, then the connection is
 * reported broken): the caller cannot tell which. Decisions come from one seeded {@link Random}.
 * Nothing fails until {@link #arm(boolean)}.
 */
final class FlakyDataSource implements DataSource {
  enum Kind {
    /** getConnection() failed: nothing ran. */
    CONNECTION,
    /** commit() failed and the transaction was rolled back. */
    COMMIT_BEFORE,
    /** commit() failed after the real commit succeeded. */
    COMMIT_AFTER
  }

  private final DataSource real;
  private final Random random;
  private final double connectionRate;
  private final double commitRate;
  private final double afterShare;
  private final Map<Kind, AtomicLong> injected = new EnumMap<>(Kind.class);
  private final AtomicLong connections = new AtomicLong();
  private final AtomicLong commits = new AtomicLong();
  private volatile boolean armed;

  /**
   * @param connectionRate share of getConnection() calls that fail
   * @param commitRate share of commits that fail
   * @param afterShare share of the failed commits that fail after the real commit
   */
  FlakyDataSource(
      DataSource real, long seed, double connectionRate, double commitRate, double afterShare) {
    this.real = real;
    this.random = new Random(seed);
    this.connectionRate = connectionRate;
    this.commitRate = commitRate;
    this.afterShare = afterShare;
    for (Kind k : Kind.values()) {
      injected.put(k, new AtomicLong());
    }
  }

  void arm(boolean on) {
    armed = on;
  }

  long injected(Kind kind) {
    return injected.get(kind).get();
  }

  /** getConnection() calls and commits seen while armed. */
  long connections() {
    return connections.get();
  }

  long commits() {
    return commits.get();
  }

  private boolean roll(double rate) {
    synchronized (random) {
      return random.nextDouble() < rate;
    }
  }

  @Override
  public Connection getConnection() throws SQLException {
    if (armed) {
      connections.incrementAndGet();
      if (roll(connectionRate)) {
        injected.get(Kind.CONNECTION).incrementAndGet();
        throw new SQLTransientConnectionException(
            "injected: connection is not available, request timed out", "08001");
      }
    }
    return wrap(real.getConnection());
  }

  @Override
  public Connection getConnection(String user, String password) throws SQLException {
    throw new SQLFeatureNotSupportedException("the platform uses getConnection()");
  }

  private Connection wrap(Connection c) {
    InvocationHandler h =
        (proxy, method, args) -> {
          if (method.getName().equals("commit") && method.getParameterCount() == 0) {
            commit(c);
            return null;
          }
          return invoke(c, method, args);
        };
    return (Connection)
        Proxy.newProxyInstance(
            FlakyDataSource.class.getClassLoader(), new Class<?>[] {Connection.class}, h);
  }

  private void commit(Connection c) throws SQLException {
    if (!armed) {
      c.commit();
      return;
    }
    commits.incrementAndGet();
    if (!roll(commitRate)) {
      c.commit();
      return;
    }
    if (roll(afterShare)) {
      c.commit();
      injected.get(Kind.COMMIT_AFTER).incrementAndGet();
      throw new SQLNonTransientConnectionException(
          "injected: communications link failure after COMMIT was sent", "08S01");
    }
    c.rollback();
    injected.get(Kind.COMMIT_BEFORE).incrementAndGet();
    throw new SQLTransactionRollbackException(
        "injected: Deadlock found when trying to get lock; try restarting transaction",
        "40001",
        1213);
  }

  private static Object invoke(Connection c, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(c, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  @Override
  public PrintWriter getLogWriter() throws SQLException {
    return real.getLogWriter();
  }

  @Override
  public void setLogWriter(PrintWriter out) throws SQLException {
    real.setLogWriter(out);
  }

  @Override
  public void setLoginTimeout(int seconds) throws SQLException {
    real.setLoginTimeout(seconds);
  }

  @Override
  public int getLoginTimeout() throws SQLException {
    return real.getLoginTimeout();
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    return real.getParentLogger();
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    if (iface.isInstance(this)) {
      return iface.cast(this);
    }
    throw new SQLException("not a wrapper for " + iface);
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) {
    return iface.isInstance(this);
  }
}

package io.flinkplatform.spi;

import static java.util.Objects.requireNonNull;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Connections to one JDBC URL with one set of driver properties (user and password included), for a
 * connection pool. Handing a pool this instead of the URL and password keeps them out of the pool's
 * configuration, whose debug log (HikariCP's) masks only a property or parameter called {@code
 * password}. {@link #toString()} shows the URL masked ({@link Redaction#url}). The engine uses it
 * for its own pool, the sql plugin for each datasource.
 */
public final class UrlDataSource implements DataSource {
  private final Driver driver; // null: whichever registered driver accepts the URL
  private final String url;
  private final Properties properties;
  private volatile int loginTimeout;

  /**
   * Connections from whichever driver registered with {@link DriverManager} accepts {@code url}.
   */
  public UrlDataSource(String url, Properties properties) {
    this.driver = null;
    this.url = requireNonNull(url, "url is null");
    this.properties = (Properties) requireNonNull(properties, "properties is null").clone();
  }

  /** Connections from {@code driver}. */
  public UrlDataSource(Driver driver, String url, Properties properties) {
    this.driver = requireNonNull(driver, "driver is null");
    this.url = requireNonNull(url, "url is null");
    this.properties = (Properties) requireNonNull(properties, "properties is null").clone();
  }

  @Override
  public Connection getConnection() throws SQLException {
    Driver d = driver != null ? driver : DriverManager.getDriver(url);
    Connection c = d.connect(url, (Properties) properties.clone());
    if (c == null) {
      throw new SQLException(
          "the driver " + d.getClass().getName() + " does not accept the URL " + Redaction.url(url),
          "08001");
    }
    return c;
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    throw new SQLFeatureNotSupportedException("the user and password are given with the URL");
  }

  @Override
  public PrintWriter getLogWriter() {
    return null;
  }

  @Override
  public void setLogWriter(PrintWriter out) {
    // drivers log through their own logging
  }

  @Override
  public void setLoginTimeout(int seconds) {
    loginTimeout = seconds; // the connect timeout travels in the driver properties
  }

  @Override
  public int getLoginTimeout() {
    return loginTimeout;
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException("no java.util.logging");
  }

  @Override
  public <T> T unwrap(Class<T> type) throws SQLException {
    if (type.isInstance(this)) {
      return type.cast(this);
    }
    throw new SQLException("not a wrapper of " + type.getName());
  }

  @Override
  public boolean isWrapperFor(Class<?> type) {
    return type.isInstance(this);
  }

  @Override
  public String toString() {
    return "UrlDataSource{" + Redaction.url(url) + "}";
  }
}

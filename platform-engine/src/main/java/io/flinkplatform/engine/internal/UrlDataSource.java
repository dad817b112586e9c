package io.flinkplatform.engine.internal;

import static java.util.Objects.requireNonNull;

import io.flinkplatform.spi.Redaction;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Connections to the platform's own JDBC URL with its properties (user and password included), for
 * the owned HikariCP pool. Handing the pool this instead of the URL and password keeps them out of
 * its configuration, whose debug log masks only a {@code password=} parameter. {@link #toString()}
 * shows the masked URL.
 */
final class UrlDataSource implements DataSource {
  private final String url;
  private final Properties properties;
  private volatile int loginTimeout;

  UrlDataSource(String url, Properties properties) {
    this.url = requireNonNull(url, "url is null");
    this.properties = (Properties) requireNonNull(properties, "properties is null").clone();
  }

  @Override
  public Connection getConnection() throws SQLException {
    Connection c = DriverManager.getDriver(url).connect(url, (Properties) properties.clone());
    if (c == null) {
      throw new SQLException("no JDBC driver accepts the URL " + Redaction.url(url), "08001");
    }
    return c;
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    throw new SQLFeatureNotSupportedException("the user and password are the platform's");
  }

  @Override
  public PrintWriter getLogWriter() {
    return null;
  }

  @Override
  public void setLogWriter(PrintWriter out) {
    // the driver logs through its own logging
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

package io.flinkplatform.tasks.sql;

import static java.util.Objects.requireNonNull;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Connections from one driver, URL and set of properties (user and password included), for a
 * HikariCP pool. Handing the pool this instead of the URL and properties keeps them out of its
 * configuration, whose debug log masks only a property called {@code password}. {@link #toString()}
 * shows the masked URL.
 */
final class DriverSource implements DataSource {
  private final Driver driver;
  private final String url;
  private final Properties properties;
  private volatile int loginTimeout;

  DriverSource(Driver driver, String url, Properties properties) {
    this.driver = requireNonNull(driver, "driver is null");
    this.url = requireNonNull(url, "url is null");
    this.properties = (Properties) requireNonNull(properties, "properties is null").clone();
  }

  @Override
  public Connection getConnection() throws SQLException {
    Connection connection = driver.connect(url, (Properties) properties.clone());
    if (connection == null) {
      throw new SQLException(
          "the driver " + driver.getClass().getName() + " does not accept the URL", "08001");
    }
    return connection;
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    throw new SQLFeatureNotSupportedException("the user and password are the datasource's");
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
    return "DriverSource{" + Redaction.url(url) + "}";
  }
}

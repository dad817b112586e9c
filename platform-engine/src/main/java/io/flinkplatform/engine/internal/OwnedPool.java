package io.flinkplatform.engine.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.flinkplatform.engine.PlatformException;
import io.flinkplatform.engine.PlatformSettings;
import io.flinkplatform.engine.internal.common.RedactedException;
import io.flinkplatform.spi.Redaction;
import io.flinkplatform.spi.UrlDataSource;
import java.time.Duration;
import java.util.Properties;
import java.util.function.UnaryOperator;

/**
 * The connection pool an instance opens itself when the host gave a JDBC URL instead of a data
 * source: HikariCP with read-committed isolation, the driver settings the engine's statements rely
 * on, and MariaDB's idle-transaction timeout bounded to a lease. Its failures never show the
 * password (the driver's messages are masked).
 */
final class OwnedPool {
  private OwnedPool() {}

  /** Opens the pool, or fails with a message naming the (redacted) URL and the user. */
  static HikariDataSource open(PlatformSettings settings) {
    try {
      return new HikariDataSource(config(settings));
    } catch (RuntimeException e) {
      Throwable root = e;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      // the driver's exceptions may quote the URL, password included: chain a redacted copy
      UnaryOperator<String> redact = RedactedException.masking(settings.jdbcPassword());
      throw new PlatformException(
          "cannot connect to "
              + Redaction.url(settings.jdbcUrl())
              + " as user '"
              + settings.jdbcUser()
              + "': "
              + (root.getMessage() == null
                  ? root.getClass().getName()
                  : redact.apply(root.getMessage())),
          RedactedException.of(e, redact));
    }
  }

  /**
   * The owned pool's configuration: the URL, user and password reach the driver through {@link
   * UrlDataSource} only, so the pool's own configuration log never shows them.
   */
  static HikariConfig config(PlatformSettings settings) {
    HikariConfig c = new HikariConfig();
    c.setPoolName("flink-platform-" + settings.instanceName());
    Properties driver = new Properties();
    driver.setProperty("user", settings.jdbcUser());
    if (!settings.jdbcPassword().isEmpty()) {
      driver.setProperty("password", settings.jdbcPassword());
    }
    driver.setProperty("connectTimeout", "10000");
    c.setMaximumPoolSize(settings.poolSize());
    c.setMinimumIdle(Math.min(2, settings.poolSize()));
    c.setConnectionTimeout(10_000);
    c.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
    driver.setProperty("useLocalSessionState", "true");
    driver.setProperty("useLocalTransactionState", "true");
    driver.setProperty("rewriteBatchedStatements", "true");
    driver.setProperty("cachePrepStmts", "true");
    driver.setProperty("prepStmtCacheSize", "256");
    driver.setProperty("prepStmtCacheSqlLimit", "65536"); // multi-row statements are long
    driver.setProperty("useServerPrepStmts", "false");
    // A transaction left open by an instance that froze (or lost its network) mid-transaction
    // keeps its rows locked, and claims and the reaper skip locked rows: its attempts could not be
    // taken over while its connection lives. MariaDB ends a transaction idle for a lease (the
    // versioned comment is MariaDB's; MySQL skips it and has no such setting).
    c.setConnectionInitSql(idleTransactionTimeoutSql(settings.leaseDuration()));
    c.setDataSource(new UrlDataSource(settings.jdbcUrl(), driver));
    return c;
  }

  /** The connection set-up that bounds idle transactions to a lease (in whole seconds). */
  static String idleTransactionTimeoutSql(Duration lease) {
    long seconds = Math.max(1, (lease.toMillis() + 999) / 1000);
    return "SET @flink_platform = 1 /*M!100300 , SESSION idle_transaction_timeout = "
        + seconds
        + " */";
  }
}

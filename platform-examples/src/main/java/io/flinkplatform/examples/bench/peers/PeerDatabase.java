package io.flinkplatform.examples.bench.peers;

import io.flinkplatform.examples.EmbeddedDatabase;
import io.flinkplatform.examples.bench.DbCounters;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one embedded MariaDB every scheduler of the comparison runs on, each measurement in a fresh
 * database (schema) of its own, all reached through {@link #jdbcUrl(String)} with the same driver
 * options. The counters ({@link DbCounters}) are server-wide.
 */
public final class PeerDatabase implements AutoCloseable {

  /**
   * The driver options of every pool in the comparison: those flink-platform's own pool sets
   * (batched statements rewritten to multi-row ones, client-side statement cache, local session
   * state), spelled out so that the peers get them too.
   */
  public static final String URL_OPTIONS =
      "user=root&sslMode=DISABLED&rewriteBatchedStatements=true&cachePrepStmts=true"
          + "&prepStmtCacheSize=256&prepStmtCacheSqlLimit=65536&useServerPrepStmts=false"
          + "&useLocalSessionState=true&useLocalTransactionState=true";

  private final EmbeddedDatabase server;
  private final String urlOptions;

  private PeerDatabase(EmbeddedDatabase server, String urlOptions) {
    this.server = server;
    this.urlOptions = urlOptions;
  }

  /**
   * Starts the server (MariaDB's defaults plus {@code serverArgs}) and enables the counters. The
   * system property {@code peers.urlOptions} replaces {@link #URL_OPTIONS}, e.g. to see what the
   * driver settings are worth to the peers (flink-platform's own pool sets its settings anyway).
   */
  public static PeerDatabase start(String... serverArgs) {
    EmbeddedDatabase server = EmbeddedDatabase.start("peers", serverArgs);
    try {
      DbCounters.enable(server);
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
    return new PeerDatabase(server, System.getProperty("peers.urlOptions", URL_OPTIONS));
  }

  /** Drops and creates {@code schema}; returns its URL. */
  public String freshSchema(String schema) {
    server.execute("DROP DATABASE IF EXISTS " + schema);
    server.execute("CREATE DATABASE " + schema + " CHARACTER SET utf8mb4");
    return jdbcUrl(schema);
  }

  public void dropSchema(String schema) {
    server.execute("DROP DATABASE IF EXISTS " + schema);
  }

  public String jdbcUrl(String schema) {
    return "jdbc:mysql://127.0.0.1:" + server.port() + "/" + schema + "?" + urlOptions;
  }

  /** The driver options of every pool in this run. */
  public String urlOptions() {
    return urlOptions;
  }

  public Connection connect(String schema) throws SQLException {
    return DriverManager.getConnection(jdbcUrl(schema));
  }

  public DbCounters counters() {
    return DbCounters.read(server);
  }

  /** The server's version and the settings that matter for commit-bound work. */
  public Map<String, String> settings() {
    Map<String, String> m = new LinkedHashMap<>();
    try (Connection c = connect(server.database());
        Statement s = c.createStatement()) {
      try (ResultSet r = s.executeQuery("SELECT VERSION()")) {
        r.next();
        m.put("version", r.getString(1));
      }
      for (String name :
          new String[] {
            "innodb_flush_log_at_trx_commit",
            "innodb_buffer_pool_size",
            "innodb_log_file_size",
            "innodb_flush_method",
            "transaction_isolation",
            "log_bin",
            "max_connections"
          }) {
        try (ResultSet r = s.executeQuery("SHOW GLOBAL VARIABLES LIKE '" + name + "'")) {
          m.put(name, r.next() ? r.getString(2) : "n/a");
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the server settings", e);
    }
    return m;
  }

  @Override
  public void close() {
    server.close();
  }
}

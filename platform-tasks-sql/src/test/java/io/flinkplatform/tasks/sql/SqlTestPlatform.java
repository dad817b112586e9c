package io.flinkplatform.tasks.sql;

import io.flinkplatform.engine.Platform;
import io.flinkplatform.engine.testing.TestDatabase;
import io.flinkplatform.engine.testing.TestPlatforms;
import io.flinkplatform.engine.testing.TestTaskContext;
import io.flinkplatform.spi.TaskOutcome;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A platform on a fresh schema of the embedded MariaDB with the sql plugin started (and its
 * migrations applied by the platform, as in production), plus helpers to make target databases.
 */
final class SqlTestPlatform implements AutoCloseable {
  static final String KEY = PasswordCipherTest.KEY;

  /** The platform key ring of the tests. */
  static final io.flinkplatform.engine.KeyRing RING =
      io.flinkplatform.engine.KeyRing.of("test1", KEY);

  private static final AtomicInteger H2_COUNTER = new AtomicInteger();

  /** The host's secrets in the tests: the platform's secret source reads this map only. */
  static final Map<String, String> SECRETS = new java.util.concurrent.ConcurrentHashMap<>();

  final TestPlatforms platforms = new TestPlatforms();
  final SqlTaskPlugin plugin = new SqlTaskPlugin();
  final Platform platform;

  static {
    // Have DriverManager load the drivers on the class path before the embedded MariaDB starts:
    // when this test class ran first and alone, the MySQL driver was sometimes missing from it.
    DriverManager.drivers().count();
  }

  SqlTestPlatform() {
    this(b -> {});
  }

  /** With further settings made by {@code more}. */
  SqlTestPlatform(java.util.function.Consumer<io.flinkplatform.engine.Platform.Builder> more) {
    platform =
        platforms.start(
            "sql",
            b -> {
              b.plugin(plugin)
                  .keyRing(() -> RING)
                  .pluginSetting("sql.encryptionKey", KEY)
                  .secretNames("FP_SQL_TEST_*")
                  .secretSource(name -> java.util.Optional.ofNullable(SECRETS.get(name)))
                  .pluginSetting("sql.connectionTimeout", "5s");
              more.accept(b);
            });
  }

  DatasourceRegistry registry() {
    return plugin.datasources();
  }

  TaskOutcome run(TestTaskContext context) throws Exception {
    return plugin.taskTypes().get(0).execute(context);
  }

  /**
   * A fresh MariaDB schema. The embedded server runs without grant tables, so it accepts any
   * password: tests of passwords that must match use H2.
   */
  /** A sql task on a registered datasource: its script and further options. */
  static TestTaskContext task(String datasource, String script, Map<String, ?> more) {
    Map<String, Object> options = new HashMap<>(more);
    options.put("datasource", datasource);
    options.put("script", script);
    return TestTaskContext.of(options, SqlOptions.DECLARED);
  }

  static MariaDbTarget mariaDb() {
    String url = TestDatabase.get().newDatabaseUrl();
    String base = url.substring(0, url.indexOf('?'));
    return new MariaDbTarget(base + "?sslMode=DISABLED", url);
  }

  /**
   * A MariaDB schema: {@code url} without credentials (for a datasource), {@code rootUrl} with the
   * root user (for checks made by the test itself).
   */
  record MariaDbTarget(String url, String rootUrl) {
    Connection root() throws SQLException {
      return DriverManager.getConnection(rootUrl);
    }
  }

  /** A fresh in-memory H2 database in PostgreSQL mode; it lives while the JVM runs. */
  static String h2Url() {
    return "jdbc:h2:mem:sqltest"
        + H2_COUNTER.incrementAndGet()
        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1";
  }

  @Override
  public void close() {
    platforms.close();
  }
}

package io.flinkplatform.tasks.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinkplatform.engine.testing.TestTaskContext;
import io.flinkplatform.spi.TaskOutcome;
import io.flinkplatform.spi.TaskOutcome.Success;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The sql task on a real HiveServer2 (Hive 4.0.1 in a process of its own, see {@link HiveServer}),
 * as a HIVE datasource through Hive's JDBC driver, which only the task's thread sees (through its
 * context class loader), as in a host that loads drivers apart. Runs with {@code -Phive}.
 */
@EnabledIfSystemProperty(named = "hive.server.classpath", matches = ".+")
@Timeout(300)
class SqlTaskHiveTest {
  private static HiveServer hive;
  private static SqlTestPlatform sql;

  @BeforeAll
  static void start() throws Exception {
    hive = HiveServer.start(Path.of(System.getProperty("hive.server.classpath")));
    try {
      sql = new SqlTestPlatform();
      sql.registry()
          .create(
              DatasourceSpec.builder("lake", DatasourceType.HIVE, hive.jdbcUrl())
                  .user("etl")
                  .password(Password.of("Hive-pw-unused")) // the server takes anyone
                  .build());
    } catch (Exception | Error e) {
      stop();
      throw e;
    }
  }

  @AfterAll
  static void stop() {
    try {
      if (sql != null) {
        sql.close();
      }
    } finally {
      if (hive != null) {
        hive.close();
      }
    }
  }

  private static TestTaskContext task(String script, Map<String, ?> more) {
    return SqlTestPlatform.task("lake", script, more);
  }

  /** Runs {@code action} with Hive's driver visible through the context class loader. */
  private static <T> T withDriver(Callable<T> action) throws Exception {
    Thread thread = Thread.currentThread();
    ClassLoader own = thread.getContextClassLoader();
    thread.setContextClassLoader(hive.driverLoader());
    try {
      return action.call();
    } finally {
      thread.setContextClassLoader(own);
    }
  }

  @Test
  void theConnectionTestReachesHiveServer2() throws Exception {
    ConnectionCheck check = withDriver(() -> sql.registry().test("lake"));

    assertThat(check.ok()).as(check.message()).isTrue();
    assertThat(check.database()).isEqualTo("Apache Hive 4.0.1");
  }

  @Test
  void setConfiguresTheSessionForTheRestOfTheScriptAndGoesNoFurther() throws Exception {
    TestTaskContext context =
        task(
            String.join(
                "\n",
                "-- settings; for this script's session only",
                "SET fp.test.marker=from-the-script;",
                "SET hivevar:greeting=hello;",
                "SET fp.test.marker"),
            Map.of());

    TaskOutcome outcome = withDriver(() -> sql.run(context));

    assertThat(outcome).isInstanceOf(Success.class);
    assertThat(((Success) outcome).outputs())
        .containsEntry("set", "fp.test.marker=from-the-script");

    TaskOutcome next = withDriver(() -> sql.run(task("SET fp.test.marker", Map.of())));
    assertThat(((Success) next).outputs()).containsEntry("set", "fp.test.marker is undefined");
  }

  @Test
  void runsAScriptWithHiveQuotingVariablesAndBoundParameters() throws Exception {
    String hostile = "'); DROP TABLE t; --";
    String script =
        String.join(
            "\n",
            "-- a comment; with a quote '",
            "SET hivevar:greeting=hello;",
            "CREATE TABLE `odd;t` (id INT, s STRING);",
            "/* a block; comment */ INSERT INTO `odd;t` VALUES",
            "  (1, 'it\\'s; fine'), (2, \"double; \\\"quoted\\\"\"), (CAST(${id} AS INT), ${v});",
            "SELECT id, s, '${hivevar:greeting}' AS greeting FROM `odd;t` ORDER BY id");
    TestTaskContext context =
        task(script, Map.of("outputRows", 3)).parameters(Map.of("id", "3", "v", hostile));

    TaskOutcome outcome = withDriver(() -> sql.run(context));

    assertThat(outcome).isInstanceOf(Success.class);
    assertThat(((Success) outcome).outputs())
        .containsEntry("rowCount", "3")
        .containsEntry("greeting", "hello")
        .containsEntry(
            "rows",
            "[{\"id\":\"1\",\"s\":\"it's; fine\",\"greeting\":\"hello\"},"
                + "{\"id\":\"2\",\"s\":\"double; \\\"quoted\\\"\",\"greeting\":\"hello\"},"
                + "{\"id\":\"3\",\"s\":\"'); DROP TABLE t; --\",\"greeting\":\"hello\"}]");
    assertThat(context.memoryLog().lines())
        .contains("[sql] 4 statement(s) on datasource 'lake' (HIVE, dialect HIVE)");
  }

  @Test
  void aTransactionIsRefused() throws Exception {
    TaskOutcome outcome = withDriver(() -> sql.run(task("SELECT 1", Map.of("transaction", true))));

    assertThat(outcome)
        .isEqualTo(
            TaskOutcome.fatal(
                "'transaction' cannot be used with datasource 'lake': HIVE has no transactions"));
  }
}

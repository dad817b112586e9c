package io.flinkplatform.tasks.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinkplatform.engine.testing.Await;
import io.flinkplatform.engine.testing.TestTaskContext;
import io.flinkplatform.spi.TaskOutcome;
import io.flinkplatform.spi.TaskOutcome.Failure;
import io.flinkplatform.spi.TaskOutcome.Success;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The sql task on a real ClickHouse server: a private server process (Debian's clickhouse-server,
 * the 18.16 line) started here, reached over HTTP through the ClickHouse JDBC driver for servers of
 * that age, as a CLICKHOUSE datasource with a stored password. Runs with {@code -Pclickhouse},
 * which names the server binary in the system property {@code clickhouse.server}.
 */
@EnabledIfSystemProperty(named = "clickhouse.server", matches = ".+")
@Timeout(120)
class SqlTaskClickHouseTest {
  private static final String DATABASE = "fp";

  /** Runs until cancelled or stopped by max_execution_time: the numbers never end. */
  private static final String ENDLESS =
      "SELECT count() FROM system.numbers WHERE sipHash64(number) = 1";

  private static ClickHouseServer server;
  private static SqlTestPlatform sql;

  @BeforeAll
  static void start() throws Exception {
    Path binary = Path.of(System.getProperty("clickhouse.server"));
    server = ClickHouseServer.start(binary);
    try {
      server.query("CREATE DATABASE " + DATABASE);
      sql = new SqlTestPlatform();
      sql.registry()
          .create(
              DatasourceSpec.builder("ch", DatasourceType.CLICKHOUSE, server.jdbcUrl(DATABASE))
                  .user(ClickHouseServer.USER)
                  .password(Password.of(ClickHouseServer.PASSWORD))
                  // Debian's build answers compressed HTTP responses with an empty body
                  .property("compress", "false")
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
      if (server != null) {
        server.close();
      }
    }
  }

  @BeforeEach
  void resetTables() throws Exception {
    server.query("DROP TABLE IF EXISTS " + DATABASE + ".t");
    server.query("CREATE TABLE " + DATABASE + ".t (id UInt32, s String) ENGINE = Memory");
  }

  private static TestTaskContext task(String script, Map<String, ?> more) {
    return SqlTestPlatform.task("ch", script, more);
  }

  @Test
  void theConnectionTestReachesTheServerAndReportsItsVersion() throws Exception {
    String version = server.query("SELECT version()").strip();

    ConnectionCheck check = sql.registry().test("ch");

    assertThat(check.ok()).as(check.message()).isTrue();
    assertThat(check.database()).isEqualTo("ClickHouse " + version);
  }

  @Test
  void aWrongPasswordFailsTheConnectionTestWithoutShowingIt() {
    sql.registry()
        .create(
            DatasourceSpec.builder("ch-wrong", DatasourceType.CLICKHOUSE, server.jdbcUrl(DATABASE))
                .user(ClickHouseServer.USER)
                .password(Password.of("not-the-Ch-pw"))
                .property("compress", "false")
                .build());

    ConnectionCheck check = sql.registry().test("ch-wrong");

    assertThat(check.ok()).isFalse();
    assertThat(check.message()).contains("Wrong password").doesNotContain("not-the-Ch-pw");
  }

  @Test
  void runsAScriptWithClickHouseQuotingAndComments() throws Exception {
    String script =
        String.join(
            "\n",
            "-- a comment; with a quote '",
            "# a hash comment; \"too\"",
            "CREATE TABLE `odd;table` (\"id;x\" UInt32, `s;y` String) ENGINE = Memory;",
            "/* a block; comment */ INSERT INTO `odd;table` VALUES",
            "  (1, 'it\\'s; fine'), (2, 'back\\\\slash; \"dq\" # not a comment');",
            "SELECT \"id;x\" AS id, `s;y` AS s FROM `odd;table` ORDER BY id");
    TestTaskContext context = task(script, Map.of("outputRows", 2));

    TaskOutcome outcome = sql.run(context);

    assertThat(outcome).isInstanceOf(Success.class);
    Map<String, String> outputs = ((Success) outcome).outputs();
    assertThat(outputs)
        .containsEntry("rowCount", "2")
        .containsEntry("id", "1")
        .containsEntry("s", "it's; fine")
        .containsEntry(
            "rows",
            "[{\"id\":\"1\",\"s\":\"it's; fine\"},"
                + "{\"id\":\"2\",\"s\":\"back\\\\slash; \\\"dq\\\" # not a comment\"}]");
    assertThat(server.query("SELECT `s;y` FROM " + DATABASE + ".`odd;table` ORDER BY \"id;x\""))
        .isEqualTo("it\\'s; fine\nback\\\\slash; \"dq\" # not a comment\n");
    assertThat(context.memoryLog().lines())
        .contains("[sql] 3 statement(s) on datasource 'ch' (CLICKHOUSE, dialect CLICKHOUSE)");
    server.query("DROP TABLE " + DATABASE + ".`odd;table`");
  }

  @Test
  void setHoldsForTheRestOfTheScriptInItsOwnSessionAndGoesNoFurther() throws Exception {
    String script =
        String.join(
            "\n",
            "SET max_block_size = 12345;",
            "CREATE TEMPORARY TABLE scratch (x UInt8);",
            "INSERT INTO scratch VALUES (1), (2);",
            "SELECT (SELECT value FROM system.settings WHERE name = 'max_block_size') AS block,",
            "       (SELECT count() FROM scratch) AS scratched");
    TestTaskContext context = task(script, Map.of());

    TaskOutcome outcome = sql.run(context);

    assertThat(outcome).isInstanceOf(Success.class);
    assertThat(((Success) outcome).outputs())
        .containsEntry("block", "12345")
        .containsEntry("scratched", "2");
    assertThat(context.memoryLog().lines())
        .anyMatch(
            l ->
                l.startsWith(
                    "[sql] the script changes session state: it runs on a connection of its own"
                        + " in the ClickHouse session flink-platform-"));

    // the next task, on a pooled connection, sees neither the setting nor the temporary table
    TaskOutcome next =
        sql.run(
            task(
                "SELECT value AS block FROM system.settings WHERE name = 'max_block_size'",
                Map.of()));
    assertThat(((Success) next).outputs()).containsEntry("block", "65536");
    assertThat(sql.run(task("SELECT count() FROM scratch", Map.of()))).isInstanceOf(Failure.class);
  }

  @Test
  void bindParametersDefeatInjection() throws Exception {
    String hostile = "'); DROP TABLE t; --";
    String hostileBackslash = "\\'); DROP TABLE t; --";
    TestTaskContext context =
        task(
                "INSERT INTO t VALUES (toUInt32(${id}), ${v}), (toUInt32(${id2}), ${w});\n"
                    + "SELECT s FROM t WHERE id = toUInt32(${id})",
                Map.of())
            .parameters(Map.of("id", "7", "v", hostile, "id2", "8", "w", hostileBackslash));

    TaskOutcome outcome = sql.run(context);

    assertThat(outcome).isInstanceOf(Success.class);
    assertThat(((Success) outcome).outputs()).containsEntry("s", hostile);
    assertThat(server.query("SELECT id, s FROM " + DATABASE + ".t ORDER BY id FORMAT JSONEachRow"))
        .isEqualTo(
            "{\"id\":7,\"s\":\"'); DROP TABLE t; --\"}\n"
                + "{\"id\":8,\"s\":\"\\\\'); DROP TABLE t; --\"}\n");
  }

  @Test
  void theRowLimitStopsReadingAndTheFirstRowsOfTheLastQueryBecomeOutputs() throws Exception {
    TestTaskContext context =
        task(
            "INSERT INTO t VALUES (1, 'one');\n"
                + "SELECT number AS n, toString(number * 2) AS doubled FROM system.numbers"
                + " LIMIT 50",
            Map.of("rowLimit", 10, "outputRows", 2));

    TaskOutcome outcome = sql.run(context);

    assertThat(outcome).isInstanceOf(Success.class);
    assertThat(((Success) outcome).outputs())
        .containsEntry("rowCount", "10")
        .containsEntry("truncated", "true")
        .containsEntry("n", "0")
        .containsEntry("doubled", "0")
        .containsEntry("rows", "[{\"n\":\"0\",\"doubled\":\"0\"},{\"n\":\"1\",\"doubled\":\"2\"}]");
    assertThat(context.memoryLog().lines())
        .anyMatch(l -> l.endsWith("; rowLimit 10 reached, the rest was not read"));
  }

  @Test
  void aTransactionIsRefusedBeforeAnythingRuns() throws Exception {
    TaskOutcome outcome =
        sql.run(task("INSERT INTO t VALUES (1, 'a')", Map.of("transaction", true)));

    assertThat(outcome)
        .isEqualTo(
            TaskOutcome.fatal(
                "'transaction' cannot be used with datasource 'ch': CLICKHOUSE has no"
                    + " transactions"));
    assertThat(server.query("SELECT count() FROM " + DATABASE + ".t").strip()).isEqualTo("0");
  }

  @Test
  void aSyntaxErrorFailsWithoutRetry() throws Exception {
    TaskOutcome outcome = sql.run(task("SELECT 1;\nSELEC 2", Map.of()));

    Failure failure = (Failure) outcome;
    assertThat(failure.message())
        .startsWith("statement 2 of 2 (line 2) failed: [SQLState ")
        .contains("error 62]")
        .contains("Syntax error");
    assertThat(failure.retryable()).isFalse();
  }

  @Test
  void aQueryTimeoutEndsALongQueryOnTheServer() throws Exception {
    TaskOutcome outcome = sql.run(task(ENDLESS, Map.of("queryTimeout", "1s")));

    assertThat(outcome)
        .isEqualTo(
            TaskOutcome.failure(
                "timed out: statement 1 of 1 (line 1) ran longer than its query timeout"));
    Await.until(() -> noQueryRunning());
  }

  @Test
  void cancellationKillsTheRunningQueryOnTheServer() throws Exception {
    TestTaskContext context = task(ENDLESS, Map.of());
    CompletableFuture<TaskOutcome> outcome = runAsync(context);
    Await.until(() -> !noQueryRunning());

    context.testCancellation().cancel("stop it");

    assertThat(outcome.get(60, TimeUnit.SECONDS))
        .isEqualTo(TaskOutcome.failure("cancelled: stop it during statement 1 of 1 (line 1)"));
    Await.until(() -> noQueryRunning());
  }

  @Test
  void inASessionTheQueryTimeoutStillEndsAQueryThatACancelCannotReach() throws Exception {
    TestTaskContext context =
        task("SET max_block_size = 4096;\n" + ENDLESS, Map.of("queryTimeout", "3s"));
    CompletableFuture<TaskOutcome> outcome = runAsync(context);
    Await.until(() -> !noQueryRunning());

    // the legacy driver sends its KILL QUERY in the same, busy session, which refuses it
    context.testCancellation().cancel("stop it");

    assertThat(outcome.get(60, TimeUnit.SECONDS))
        .isEqualTo(TaskOutcome.failure("cancelled: stop it during statement 2 of 2 (line 2)"));
    Await.until(() -> noQueryRunning());
  }

  private static CompletableFuture<TaskOutcome> runAsync(TestTaskContext context) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return sql.run(context);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
  }

  private static boolean noQueryRunning() {
    try {
      return server.runningQueries().stream().noneMatch(q -> q.contains("sipHash64"));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}

package io.flinkplatform.tasks.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinkplatform.engine.testing.Await;
import io.flinkplatform.engine.testing.TestTaskContext;
import io.flinkplatform.spi.TaskOutcome;
import io.flinkplatform.spi.TaskOutcome.Failure;
import io.flinkplatform.spi.TaskOutcome.Success;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The sql task on the real embedded MariaDB (the MySQL and TiDB dialect). */
@Timeout(60)
class SqlTaskMariaDbTest {
  private static final String PASSWORD = "Mar1a-S3cret-pw";
  private static SqlTestPlatform sql;
  private static SqlTestPlatform.MariaDbTarget target;

  @BeforeAll
  static void start() {
    sql = new SqlTestPlatform();
    target = SqlTestPlatform.mariaDb();
    sql.registry()
        .create(
            DatasourceSpec.builder("maria", DatasourceType.MARIADB, target.url())
                .user("root")
                .password(Password.of(PASSWORD))
                .build());
  }

  @AfterAll
  static void stop() {
    sql.close();
  }

  @BeforeEach
  void resetTables() throws SQLException {
    update("DROP TABLE IF EXISTS t");
    update("CREATE TABLE t (id INT PRIMARY KEY, s VARCHAR(200))");
  }

  private static TestTaskContext task(String script, Map<String, ?> more) {
    return SqlTestPlatform.task("maria", script, more);
  }

  @Test
  void runsAMultiStatementScriptWithTrickyQuotingAndADelimiter() throws Exception {
    String script =
        String.join(
            "\n",
            "# a comment; with a quote ' in it",
            "INSERT INTO t VALUES (1, 'semi;colon'), (2, 'it''s'), (3, 'back\\\\slash \\' q');",
            "INSERT INTO t VALUES (4, \"double \"\"quoted\"\"; \\\"x\\\"\"); -- trailing; comment",
            "/* block; comment */ INSERT INTO t VALUES (5, '-- not a comment # nor this');",
            "DROP PROCEDURE IF EXISTS add_row;",
            "DELIMITER //",
            "CREATE PROCEDURE add_row(n INT) BEGIN",
            "  INSERT INTO t VALUES (n, 'from; procedure');",
            "  SELECT COUNT(*) INTO @c FROM t;",
            "END //",
            "DELIMITER ;",
            "CALL add_row(6);",
            "SELECT `id`, s AS `the;text` FROM t ORDER BY id");
    TestTaskContext context = task(script, Map.of("outputRows", 3));

    TaskOutcome outcome = sql.run(context);

    assertThat(outcome).isInstanceOf(Success.class);
    assertThat(rows("SELECT s FROM t ORDER BY id"))
        .containsExactly(
            "semi;colon",
            "it's",
            "back\\slash ' q",
            "double \"quoted\"; \"x\"",
            "-- not a comment # nor this",
            "from; procedure");
    Map<String, String> outputs = ((Success) outcome).outputs();
    assertThat(outputs)
        .containsEntry("id", "1")
        .containsEntry("the;text", "semi;colon")
        .containsEntry("rowCount", "6")
        .containsEntry("truncated", "false")
        .containsEntry(
            "rows",
            "[{\"id\":\"1\",\"the;text\":\"semi;colon\"},{\"id\":\"2\",\"the;text\":\"it's\"},"
                + "{\"id\":\"3\",\"the;text\":\"back\\\\slash ' q\"}]");
    assertThat(context.memoryLog().lines())
        .contains(
            "[sql] 7 statement(s) on datasource 'maria' (MARIADB, dialect MYSQL)",
            "[sql] statement 5 of 7 (line 7): CREATE PROCEDURE add_row(n INT) BEGIN …",
            "[sql] columns: id | the;text",
            "6 | from; procedure")
        .anyMatch(line -> line.matches("\\[sql\\] 6 row\\(s\\) in \\d+ ms"));
  }

  @Test
  void bindParametersDefeatInjection() throws Exception {
    String hostile = "x'); DROP TABLE t; -- \\' \" ${raw:v}";
    TestTaskContext context =
        task(
                "INSERT INTO t VALUES (${id}, ${v});\n"
                    + "SELECT s AS echoed, ${platform.runId} AS run FROM t WHERE s = ${v}",
                Map.of())
            .parameters(Map.of("id", "1", "v", hostile));

    TaskOutcome outcome = sql.run(context);

    assertThat(outcome).isInstanceOf(Success.class);
    assertThat(((Success) outcome).outputs())
        .containsEntry("echoed", hostile)
        .containsEntry("run", "42")
        .containsEntry("updateCount", "1");
    assertThat(rows("SELECT s FROM t")).containsExactly(hostile);
  }

  @Test
  void rawSplicingIsNamedAndAMissingParameterStopsEverythingBeforeItRuns() throws Exception {
    TestTaskContext spliced =
        task("INSERT INTO ${raw:table} VALUES (1, 'a')", Map.of("rawParameters", List.of("table")))
            .parameters(Map.of("table", "t"));
    assertThat(sql.run(spliced)).isInstanceOf(Success.class);
    assertThat(spliced.memoryLog().lines())
        .contains("[sql] spliced raw parameters into the script: [table]");

    TaskOutcome missing = sql.run(task("INSERT INTO t VALUES (2, 'b');\nSELECT ${nope}", Map.of()));

    assertThat(missing).isInstanceOf(Failure.class);
    assertThat(((Failure) missing).retryable()).isFalse();
    assertThat(((Failure) missing).message())
        .startsWith(
            "statement 2 of 2 (line 2) binds ${nope}, which is not defined; defined parameters:"
                + " [platform.attempt, ");
    assertThat(rows("SELECT s FROM t")).containsExactly("a");
  }

  @Test
  void aTransactionRollsBackEverythingWhenAStatementFails() throws Exception {
    String script =
        "INSERT INTO t VALUES (1, 'a');\nINSERT INTO t VALUES (2, 'b');\n"
            + "INSERT INTO t VALUES (1, 'duplicate');\nINSERT INTO t VALUES (3, 'c')";

    TaskOutcome inTransaction = sql.run(task(script, Map.of("transaction", true)));

    assertThat(((Failure) inTransaction).message())
        .startsWith(
            "statement 3 of 4 (line 3) failed: [SQLState 23000, error 1062] Duplicate entry")
        .endsWith("; the transaction was rolled back");
    assertThat(((Failure) inTransaction).retryable()).isTrue();
    assertThat(rows("SELECT s FROM t")).isEmpty();

    TaskOutcome autoCommit = sql.run(task(script, Map.of()));

    assertThat(((Failure) autoCommit).message()).startsWith("statement 3 of 4 (line 3) failed");
    assertThat(rows("SELECT s FROM t ORDER BY id")).containsExactly("a", "b");
  }

  @Test
  void syntaxErrorsAreNotRetried() throws Exception {
    TaskOutcome outcome = sql.run(task("SELEC 1", Map.of()));

    assertThat(((Failure) outcome).retryable()).isFalse();
    assertThat(((Failure) outcome).message())
        .startsWith("statement 1 of 1 (line 1) failed: [SQLState 42000, error 1064]");
  }

  @Test
  void theRowLimitBoundsWhatIsReadAndLogged() throws Exception {
    StringBuilder insert = new StringBuilder("INSERT INTO t VALUES ");
    for (int i = 1; i <= 50; i++) {
      insert.append(i > 1 ? "," : "").append("(").append(i).append(", 'r").append(i).append("')");
    }
    update(insert.toString());
    TestTaskContext context =
        task("SELECT id FROM t ORDER BY id", Map.of("rowLimit", 10, "outputRows", 2));

    TaskOutcome outcome = sql.run(context);

    assertThat(((Success) outcome).outputs())
        .containsEntry("rowCount", "10")
        .containsEntry("truncated", "true")
        .containsEntry("rows", "[{\"id\":\"1\"},{\"id\":\"2\"}]");
    assertThat(context.memoryLog().lines())
        .contains("10")
        .doesNotContain("11")
        .anyMatch(l -> l.endsWith("; rowLimit 10 reached, the rest was not read"));
  }

  @Test
  void aQueryTimeoutEndsALongQuery() throws Exception {
    long start = System.nanoTime();
    TaskOutcome outcome = sql.run(task("SELECT SLEEP(30)", Map.of("queryTimeout", "1s")));

    assertThat(((Failure) outcome).message())
        .isEqualTo("timed out: statement 1 of 1 (line 1) ran longer than its query timeout");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    Await.until(() -> !sleeping());
  }

  @Test
  void cancellationEndsTheRunningQueryThroughStatementCancel() throws Exception {
    TestTaskContext context = task("SELECT 1;\nSELECT SLEEP(30);\nSELECT 2", Map.of());
    CompletableFuture<TaskOutcome> outcome =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return sql.run(context);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    Await.until(SqlTaskMariaDbTest::sleeping);
    long start = System.nanoTime();

    context.testCancellation().cancel("killed by alice");

    assertThat(outcome.get(10, TimeUnit.SECONDS))
        .isEqualTo(
            TaskOutcome.failure("cancelled: killed by alice during statement 2 of 3 (line 2)"));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    Await.until(() -> !sleeping());
  }

  @Test
  void sessionSettingsDoNotLeakIntoTheNextAttempt() throws Exception {
    TaskOutcome first = sql.run(task("SET @leak = 'yes';\nSELECT @leak AS v", Map.of()));
    TaskOutcome second = sql.run(task("SELECT @leak AS v", Map.of()));

    assertThat(((Success) first).outputs()).containsEntry("v", "yes");
    assertThat(((Success) second).outputs())
        .containsEntry("v", "")
        .containsEntry("rows", "[{\"v\":null}]");
  }

  @Test
  void theStoredPasswordNeverReachesLogsOrMessages() throws Exception {
    TestTaskContext ok = task("SELECT 1 AS one", Map.of());
    TestTaskContext failing = task("SELECT * FROM no_such_table", Map.of());
    sql.run(ok);
    TaskOutcome failed = sql.run(failing);

    List<String> everything = new ArrayList<>(ok.memoryLog().lines());
    everything.addAll(failing.memoryLog().lines());
    everything.add(((Failure) failed).message());
    everything.add(sql.registry().list().toString());
    Path logFile = Path.of("target", "sql-tests.log");
    if (Files.exists(logFile)) {
      everything.add(Files.readString(logFile));
    }
    assertThat(everything).noneMatch(text -> text.contains(PASSWORD));
  }

  // ---- helpers

  private static boolean sleeping() {
    try {
      return !rows("SELECT info FROM information_schema.processlist"
              + " WHERE info LIKE 'SELECT SLEEP(30)%'")
          .isEmpty();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<String> rows(String query) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = target.root();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(query)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  private static void update(String sqlText) throws SQLException {
    try (Connection c = target.root();
        Statement s = c.createStatement()) {
      s.execute(sqlText);
    }
  }
}

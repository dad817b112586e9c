package io.flinkplatform.tasks.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinkplatform.engine.testing.Await;
import io.flinkplatform.engine.testing.TestTaskContext;
import io.flinkplatform.spi.TaskOutcome;
import io.flinkplatform.spi.TaskOutcome.Failure;
import io.flinkplatform.spi.TaskOutcome.Success;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The sql task on a second real engine: H2 in PostgreSQL mode, through its own JDBC driver, as a
 * GENERIC datasource split with the PostgreSQL dialect (dollar quotes, nested comments).
 */
@Timeout(60)
class SqlTaskH2Test {
  private static final String PASSWORD = "H2-S3cret-pw";
  private static final String HEAVY =
      "SELECT COUNT(*) FROM SYSTEM_RANGE(1, 2000000000) a, SYSTEM_RANGE(1, 1000) b"
          + " WHERE MOD(a.\"X\" + b.\"X\", 7) = 3";
  private static SqlTestPlatform sql;
  private static String url;

  @BeforeAll
  static void start() throws SQLException {
    sql = new SqlTestPlatform();
    url = SqlTestPlatform.h2Url();
    DriverManager.getConnection(url, "sa", PASSWORD).close(); // creates it with this password
    sql.registry()
        .create(
            DatasourceSpec.builder("h2", DatasourceType.GENERIC, url)
                .user("sa")
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
    Map<String, Object> options = new HashMap<>(more);
    options.putIfAbsent("dialect", "POSTGRESQL");
    return SqlTestPlatform.task("h2", script, options);
  }

  @Test
  void runsAScriptWithDollarQuotesNestedCommentsAndQuotedIdentifiers() throws Exception {
    String script =
        String.join(
            "\n",
            "/* outer /* inner; */ still a comment; */",
            "INSERT INTO t VALUES (1, $$dollar; 'quoted' \"text\"$$);",
            "INSERT INTO t VALUES (2, 'it''s; fine'); -- a comment; with a quote '",
            "ALTER TABLE t ADD COLUMN \"odd;name\" VARCHAR(10) DEFAULT 'x;y';",
            "SELECT id, s, \"odd;name\" FROM t ORDER BY id");
    TestTaskContext context = task(script, Map.of("outputRows", 2));

    TaskOutcome outcome = sql.run(context);

    assertThat(outcome).isInstanceOf(Success.class);
    assertThat(rows("SELECT s FROM t ORDER BY id"))
        .containsExactly("dollar; 'quoted' \"text\"", "it's; fine");
    assertThat(((Success) outcome).outputs())
        .containsEntry("id", "1")
        .containsEntry("odd;name", "x;y")
        .containsEntry("updateCount", "2")
        .containsEntry("rowCount", "2");
    assertThat(context.memoryLog().lines())
        .contains("[sql] 4 statement(s) on datasource 'h2' (GENERIC, dialect POSTGRESQL)");
  }

  @Test
  void cutsInTheLogNeverSplitACharacter() throws Exception {
    String emoji = "\uD83D\uDE00"; // one character, two chars
    // the statement excerpt is cut at 120 chars: the emoji takes chars 119 and 120 of the line
    String first = "SELECT '" + "a".repeat(111) + emoji + "' AS v";
    // a logged value is cut at 200 chars: the emoji takes chars 200 and 201 of the value
    String second = "SELECT '" + "b".repeat(199) + emoji + "' AS w";
    TestTaskContext context = task(first + ";\n" + second, Map.of());

    assertThat(sql.run(context)).isInstanceOf(Success.class);

    List<String> lines = context.memoryLog().lines();
    assertThat(lines).anyMatch(l -> l.contains("a".repeat(111) + " …"));
    assertThat(lines).anyMatch(l -> l.contains("b".repeat(199) + "…"));
    assertThat(lines)
        .as("no line holds half a surrogate pair")
        .allMatch(l -> l.codePoints().noneMatch(c -> c >= 0xD800 && c <= 0xDFFF));
  }

  @Test
  void bindParametersDefeatInjection() throws Exception {
    String hostile = "'); DROP TABLE t; --";
    TestTaskContext context =
        task("INSERT INTO t VALUES (CAST(${id} AS INT), ${v});\nSELECT s FROM t", Map.of())
            .parameters(Map.of("id", "7", "v", hostile));

    assertThat(sql.run(context)).isInstanceOf(Success.class);
    assertThat(rows("SELECT s FROM t")).containsExactly(hostile);
  }

  @Test
  void aTransactionRollsBack() throws Exception {
    TaskOutcome outcome =
        sql.run(
            task(
                "INSERT INTO t VALUES (1, 'a');\nINSERT INTO nowhere VALUES (1)",
                Map.of("transaction", true)));

    assertThat(((Failure) outcome).message())
        .startsWith("statement 2 of 2 (line 2) failed: [SQLState 42S02")
        .endsWith("; the transaction was rolled back");
    assertThat(((Failure) outcome).retryable()).isFalse();
    assertThat(rows("SELECT s FROM t")).isEmpty();
  }

  @Test
  void aQueryTimeoutEndsALongQuery() throws Exception {
    long start = System.nanoTime();

    TaskOutcome outcome = sql.run(task(HEAVY, Map.of("queryTimeout", "1s")));

    assertThat(((Failure) outcome).message())
        .isEqualTo("timed out: statement 1 of 1 (line 1) ran longer than its query timeout");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void cancellationEndsALongQueryThroughStatementCancel() throws Exception {
    TestTaskContext context = task(HEAVY, Map.of());
    CompletableFuture<TaskOutcome> outcome =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return sql.run(context);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    Await.until(
        () ->
            context.memoryLog().lines().stream().anyMatch(l -> l.startsWith("[sql] statement 1")));
    Thread.sleep(300);
    long start = System.nanoTime();

    context.testCancellation().cancel("stop it");

    assertThat(outcome.get(10, TimeUnit.SECONDS))
        .isEqualTo(TaskOutcome.failure("cancelled: stop it during statement 1 of 1 (line 1)"));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void aChangedDatasourceGetsANewPool() throws Exception {
    String other = SqlTestPlatform.h2Url();
    try (Connection c = DriverManager.getConnection(other, "sa", "other-pw");
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE marker (v VARCHAR(10))");
      s.execute("INSERT INTO marker VALUES ('other')");
    }
    sql.registry()
        .create(
            DatasourceSpec.builder("moving", DatasourceType.GENERIC, url)
                .user("sa")
                .password(Password.of(PASSWORD))
                .build());
    TestTaskContext before =
        TestTaskContext.of(
            Map.of("datasource", "moving", "script", "SELECT 1 AS n"), SqlOptions.DECLARED);
    assertThat(sql.run(before)).isInstanceOf(Success.class);

    sql.registry()
        .update(
            DatasourceSpec.builder("moving", DatasourceType.GENERIC, other)
                .user("sa")
                .password(Password.of("other-pw"))
                .build());
    TestTaskContext after =
        TestTaskContext.of(
            Map.of("datasource", "moving", "script", "SELECT v FROM marker"), SqlOptions.DECLARED);

    assertThat(((Success) sql.run(after)).outputs()).containsEntry("v", "other");
  }

  private static List<String> rows(String query) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(url, "sa", PASSWORD);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(query)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  private static void update(String sqlText) throws SQLException {
    try (Connection c = DriverManager.getConnection(url, "sa", PASSWORD);
        Statement s = c.createStatement()) {
      s.execute(sqlText);
    }
  }
}

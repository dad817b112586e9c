package io.flinkplatform.tasks.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinkplatform.tasks.flink.SqlSyntax.Kind;
import io.flinkplatform.tasks.flink.SqlSyntax.Parsed;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Splitting and typing with Flink's own tokenizer and parser, and positions of problems. */
class SqlSyntaxTest {

  private static List<Kind> kinds(SqlSyntax.Result r) {
    return r.statements().stream().map(Parsed::kind).toList();
  }

  @Test
  void splitsOnlyAtSemicolonsThatEndStatements() throws Exception {
    String script =
        "SET 'pipeline.name' = 'a;b';\n"
            + "-- a comment; with a semicolon\n"
            + "CREATE TABLE `we;ird` (s STRING) WITH ('connector' = 'datagen');\n"
            + "/* block; comment */ ADD JAR '/tmp/x;y.jar';\n"
            + "EXECUTE STATEMENT SET BEGIN\n"
            + "  INSERT INTO t1 SELECT ';' FROM `we;ird`;\n"
            + "  INSERT INTO t2 SELECT s FROM `we;ird`;\n"
            + "END;\n"
            + "RESET 'pipeline.name'";
    List<SqlScript.Statement> statements = SqlScript.split(script);
    assertThat(statements).hasSize(5);
    assertThat(statements.get(0).text()).isEqualTo("SET 'pipeline.name' = 'a;b'");
    assertThat(statements.get(2).text()).isEqualTo("ADD JAR '/tmp/x;y.jar'");
    assertThat(statements.get(2).line()).isEqualTo(4);
    assertThat(statements.get(2).column()).isEqualTo(22);
    assertThat(statements.get(3).text()).startsWith("EXECUTE STATEMENT SET BEGIN").endsWith("END");
    assertThat(statements.get(4).line()).isEqualTo(9);

    SqlSyntax.Result r = SqlSyntax.check(script);
    assertThat(r.problems()).isEmpty();
    assertThat(kinds(r)).containsExactly(Kind.SET, Kind.OTHER, Kind.ADD_JAR, Kind.JOB, Kind.RESET);
  }

  @Test
  void typesInsertsStatementSetsAndQueries() {
    SqlSyntax.Result r =
        SqlSyntax.check(
            "BEGIN STATEMENT SET;\nINSERT INTO a SELECT 1;\nINSERT INTO b SELECT 2;\nEND;");
    assertThat(r.problems()).isEmpty();
    assertThat(kinds(r)).containsExactly(Kind.BEGIN_SET, Kind.INSERT, Kind.INSERT, Kind.END_SET);

    SqlSyntax.Result query = SqlSyntax.check("CREATE VIEW v AS SELECT 1;\nSELECT * FROM v");
    assertThat(query.problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.position()).isEqualTo(new SqlScript.Position(2, 1));
              assertThat(p.message()).contains("INSERT INTO");
            });
  }

  @Test
  void syntaxErrorsNameTheScriptsLineAndColumn() {
    SqlSyntax.Result r =
        SqlSyntax.check(
            "CREATE TABLE s (x INT) WITH ('connector' = 'datagen');\n"
                + "INSERT INTO t\n  SELEC x FROM s;\n"
                + "SET 'a' = 'b'");
    assertThat(r.problems()).hasSize(1);
    SqlSyntax.Problem p = r.problems().get(0);
    assertThat(p.position()).isEqualTo(new SqlScript.Position(3, 3));
    assertThat(p.toString()).startsWith("line 3, column 3: syntax error: ");
    assertThat(p.message()).doesNotContain("line 2");
  }

  @Test
  void everyBrokenStatementIsReportedAtOnce() {
    SqlSyntax.Result r = SqlSyntax.check("SELEC 1;\nINSERT INTO t VALUES (1;\nSET 'a' = 'b'");
    assertThat(r.problems()).extracting(p -> p.position().line()).containsExactly(1, 2);
  }

  @Test
  void oneJobPerTask() {
    SqlSyntax.Result r = SqlSyntax.check("INSERT INTO a SELECT 1;\nINSERT INTO b SELECT 2;\nEND");
    assertThat(r.problems())
        .extracting(SqlSyntax.Problem::message)
        .anyMatch(m -> m.contains("would start 2 Flink jobs") && m.contains("STATEMENT SET"))
        .anyMatch(m -> m.contains("END without BEGIN STATEMENT SET"));
  }

  @Test
  void unterminatedStringsAndEmptyScriptsAreProblems() {
    assertThat(SqlSyntax.check("SET 'a' = 'b';\nSET 'c = 'd").problems())
        .singleElement()
        .satisfies(p -> assertThat(p.position().line()).isEqualTo(2));
    assertThat(SqlSyntax.check("  -- nothing\n").problems())
        .singleElement()
        .satisfies(p -> assertThat(p.message()).contains("no statement"));
  }
}

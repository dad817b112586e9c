package io.flinkplatform.tasks.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The script splitter, dialect by dialect. */
class ScriptParserTest {

  private static List<String> split(String script, Dialect dialect) {
    return ScriptParser.parse(script, dialect).stream().map(SqlStatement::sql).toList();
  }

  @Test
  void splitsOnTheDelimiterAndDropsEmptyStatements() {
    assertThat(split("select 1; ;\n\nselect 2;;select 3", Dialect.ANSI))
        .containsExactly("select 1", "select 2", "select 3");
    assertThat(split("  -- only a comment\n/* and another */ ;", Dialect.ANSI)).isEmpty();
  }

  @Test
  void delimitersInsideQuotesAndCommentsDoNotSplit() {
    String script =
        "insert into t values ('a;b', 'it''s; fine'); -- comment; here\n"
            + "select \"col;umn\" /* block; comment */ from t;\n";

    assertThat(split(script, Dialect.ANSI))
        .containsExactly(
            "insert into t values ('a;b', 'it''s; fine')", "select \"col;umn\"   from t");
  }

  @Test
  void mysqlKnowsHashCommentsBackslashesBackticksAndTheSpaceAfterDashes() {
    String script =
        "# a comment; with a quote '\n"
            + "insert into `we;ird` values ('it\\'s; \\\\', \"dq;\\\"x\"); \n"
            + "select 1--1;\n"
            + "select 2 -- trailing; comment\n;";

    assertThat(split(script, Dialect.MYSQL))
        .containsExactly(
            "insert into `we;ird` values ('it\\'s; \\\\', \"dq;\\\"x\")",
            "select 1--1",
            "select 2");
  }

  @Test
  void ansiHasNoBackslashEscapes() {
    assertThat(split("select 'C:\\'; select 2", Dialect.ANSI))
        .containsExactly("select 'C:\\'", "select 2");
    assertThat(split("select 'C:\\'; select 2'", Dialect.MYSQL))
        .containsExactly("select 'C:\\'; select 2'");
  }

  @Test
  void postgresqlDollarQuotesEscapeStringsAndNestedComments() {
    String script =
        "create function f() returns int as $$ begin return 1; end; $$ language plpgsql;\n"
            + "create function g() returns text as $body$ select 'x;$$;'; $body$ language sql;\n"
            + "select E'it\\'s;', 'a\\'; /* outer /* inner; */ still; */ select a$b$c from t;";

    assertThat(split(script, Dialect.POSTGRESQL))
        .containsExactly(
            "create function f() returns int as $$ begin return 1; end; $$ language plpgsql",
            "create function g() returns text as $body$ select 'x;$$;'; $body$ language sql",
            "select E'it\\'s;', 'a\\'",
            "select a$b$c from t");
  }

  @Test
  void delimiterLinesChangeTheDelimiterAndAreNotSent() {
    String script =
        "DELIMITER //\n"
            + "create procedure p() begin\n  insert into t values (1);\n  select 2;\nend //\n"
            + "delimiter ;\n"
            + "call p();";

    List<SqlStatement> statements = ScriptParser.parse(script, Dialect.MYSQL);

    assertThat(statements)
        .extracting(SqlStatement::sql)
        .containsExactly(
            "create procedure p() begin\n  insert into t values (1);\n  select 2;\nend",
            "call p()");
    assertThat(statements).extracting(SqlStatement::line).containsExactly(2, 7);
    assertThatThrownBy(() -> ScriptParser.parse("DELIMITER\nselect 1", Dialect.MYSQL))
        .isInstanceOf(ScriptException.class)
        .hasMessage(
            "line 1: DELIMITER takes exactly one delimiter, e.g. 'DELIMITER //' or 'DELIMITER ;'");
  }

  @Test
  void placeholdersBecomeBindMarkersOutsideQuotesOnly() {
    List<SqlStatement> statements =
        ScriptParser.parse(
            "select * from t where a = ${day} and b = ${upstream.load.rows}"
                + " and c = '$${day}' and d = '${hiveconf:x}';\n"
                + "select ${hivevar:y}, `${day}` -- ${day}\n",
            Dialect.HIVE);

    assertThat(statements.get(0).sql())
        .isEqualTo(
            "select * from t where a = ? and b = ? and c = '${day}' and d = '${hiveconf:x}'");
    assertThat(statements.get(0).parameters()).containsExactly("day", "upstream.load.rows");
    assertThat(statements.get(1).sql()).isEqualTo("select ${hivevar:y}, `${day}`");
    assertThat(statements.get(1).parameters()).isEmpty();
  }

  @Test
  void aBindPlaceholderInsideAStringIsAnError() {
    assertThatThrownBy(() -> ScriptParser.parse("select 1;\nselect '${day}'", Dialect.ANSI))
        .isInstanceOf(ScriptException.class)
        .hasMessage(
            "line 2: ${day} inside a quoted string is not bound; write it outside the quotes (it"
                + " is bound as a value), or $${day} for the text itself");
    assertThatThrownBy(() -> ScriptParser.parse("select ${a b}", Dialect.ANSI))
        .hasMessageStartingWith("line 1: malformed placeholder '${a b}'");
  }

  @Test
  void hintsAndExecutableCommentsAreKept() {
    assertThat(
            split(
                "/*!40101 SET NAMES utf8 */; select /*+ MAX_EXECUTION_TIME(1) */ 1", Dialect.MYSQL))
        .containsExactly("/*!40101 SET NAMES utf8 */", "select /*+ MAX_EXECUTION_TIME(1) */ 1");
  }

  @Test
  void unterminatedQuotesAndCommentsNameTheirLine() {
    assertThatThrownBy(() -> ScriptParser.parse("select 1;\n\nselect 'oops;", Dialect.ANSI))
        .hasMessage("line 3: unterminated string literal '...");
    assertThatThrownBy(() -> ScriptParser.parse("select 1 /* never closed", Dialect.ANSI))
        .hasMessage("line 1: unterminated comment /* ... */");
    assertThatThrownBy(() -> ScriptParser.parse("select $x$ body", Dialect.POSTGRESQL))
        .hasMessage("line 1: unterminated dollar-quoted string $x$...");
    assertThatThrownBy(() -> ScriptParser.parse("select `a", Dialect.MYSQL))
        .hasMessage("line 1: unterminated quoted identifier `...");
  }

  @Test
  void statementsKnowTheirLineAndWhetherTheyChangeTheSession() {
    List<SqlStatement> statements =
        ScriptParser.parse(
            "\n\n  set hive.exec.parallel=true;\nuse db;\ncreate temporary table x (a int);\n"
                + "select 1;",
            Dialect.HIVE);

    assertThat(statements).extracting(SqlStatement::line).containsExactly(3, 4, 5, 6);
    assertThat(statements)
        .extracting(SqlStatement::changesSession)
        .containsExactly(true, true, true, false);
    assertThat(statements.get(0).isSet()).isTrue();
    assertThat(statements.get(0).excerpt(8)).isEqualTo("set hive …");
  }
}

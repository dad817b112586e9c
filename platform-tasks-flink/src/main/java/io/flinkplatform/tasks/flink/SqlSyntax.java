package io.flinkplatform.tasks.flink;

import io.flinkplatform.tasks.flink.SqlScript.Position;
import io.flinkplatform.tasks.flink.SqlScript.Statement;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.config.Lex;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.flink.sql.parser.ddl.SqlAddJar;
import org.apache.flink.sql.parser.ddl.SqlCompilePlan;
import org.apache.flink.sql.parser.ddl.SqlCreateTableAs;
import org.apache.flink.sql.parser.ddl.SqlReplaceTableAs;
import org.apache.flink.sql.parser.ddl.SqlReset;
import org.apache.flink.sql.parser.ddl.SqlSet;
import org.apache.flink.sql.parser.dml.RichSqlInsert;
import org.apache.flink.sql.parser.dml.SqlBeginStatementSet;
import org.apache.flink.sql.parser.dml.SqlCompileAndExecutePlan;
import org.apache.flink.sql.parser.dml.SqlEndStatementSet;
import org.apache.flink.sql.parser.dml.SqlExecute;
import org.apache.flink.sql.parser.dml.SqlExecutePlan;
import org.apache.flink.sql.parser.dml.SqlStatementSet;
import org.apache.flink.sql.parser.impl.FlinkSqlParserImpl;
import org.apache.flink.sql.parser.validate.FlinkSqlConformance;

/**
 * The syntax phase of validation: every statement parsed by Flink's SQL parser and typed by what it
 * is. Needs no catalog and no cluster, so it runs when a workflow is deployed.
 */
final class SqlSyntax {

  /** What a statement does, as far as running the script is concerned. */
  enum Kind {
    /** {@code SET 'key' = 'value'}: changes the job's configuration. */
    SET,
    /** {@code RESET}. */
    RESET,
    /** {@code ADD JAR '...'}: adds a jar to the job's class path. */
    ADD_JAR,
    /** {@code BEGIN STATEMENT SET}: the following inserts form one job until {@code END}. */
    BEGIN_SET,
    /** {@code END} of a statement set. */
    END_SET,
    /** An insert into a table (becomes part of a job). */
    INSERT,
    /** Produces one job by itself: {@code EXECUTE STATEMENT SET}, {@code CREATE TABLE AS}, ... */
    JOB,
    /** A query whose rows would go back to the client; a scheduled task has nowhere to put them. */
    QUERY,
    /** Everything else (DDL, USE, SHOW, ...): runs at once while the script is prepared. */
    OTHER
  }

  /** A parsed statement. */
  record Parsed(Statement statement, Kind kind, SqlNode node) {}

  /** One problem of a script, at a line and column of the script. */
  record Problem(Position position, String message) {
    @Override
    public String toString() {
      return position + ": " + message;
    }
  }

  /** A script's statements, or its problems. */
  record Result(List<Parsed> statements, List<Problem> problems) {
    boolean ok() {
      return problems.isEmpty();
    }
  }

  private SqlSyntax() {}

  static SqlParser.Config parserConfig() {
    return SqlParser.config()
        .withParserFactory(FlinkSqlParserImpl.FACTORY)
        .withConformance(FlinkSqlConformance.DEFAULT)
        .withLex(Lex.JAVA)
        .withIdentifierMaxLength(256);
  }

  static Result check(String script) {
    List<Statement> statements;
    try {
      statements = SqlScript.split(script);
    } catch (SqlScript.SplitException e) {
      return new Result(List.of(), List.of(new Problem(e.position(), firstLine(e.getMessage()))));
    }
    List<Parsed> parsed = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    for (Statement s : statements) {
      try {
        SqlNode node = SqlParser.create(s.text(), parserConfig()).parseStmt();
        parsed.add(new Parsed(s, kindOf(node), node));
      } catch (SqlParseException e) {
        Position at =
            e.getPos() == null
                ? s.toScript(1, 1)
                : s.toScript(e.getPos().getLineNum(), e.getPos().getColumnNum());
        problems.add(new Problem(at, "syntax error: " + withoutPosition(e.getMessage())));
      }
    }
    if (problems.isEmpty()) {
      problems.addAll(structure(parsed));
    }
    if (statements.isEmpty()) {
      problems.add(new Problem(new Position(1, 1), "the script has no statement"));
    }
    return new Result(List.copyOf(parsed), List.copyOf(problems));
  }

  /** Rules of a scheduled script: one job at most, no client-side queries, sets closed. */
  private static List<Problem> structure(List<Parsed> parsed) {
    List<Problem> problems = new ArrayList<>();
    int jobs = 0;
    Parsed openSet = null;
    Parsed firstJob = null;
    for (Parsed p : parsed) {
      Position at = p.statement().toScript(1, 1);
      switch (p.kind()) {
        case QUERY ->
            problems.add(
                new Problem(
                    at,
                    "a query's rows would have nowhere to go; write them to a table with INSERT INTO"));
        case BEGIN_SET -> {
          if (openSet != null) {
            problems.add(new Problem(at, "BEGIN STATEMENT SET inside an open statement set"));
          }
          openSet = p;
        }
        case END_SET -> {
          if (openSet == null) {
            problems.add(new Problem(at, "END without BEGIN STATEMENT SET"));
          } else {
            jobs++;
            firstJob = firstJob == null ? openSet : firstJob;
          }
          openSet = null;
        }
        case INSERT, JOB -> {
          if (openSet == null) {
            jobs++;
            firstJob = firstJob == null ? p : firstJob;
          } else if (p.kind() == Kind.JOB) {
            problems.add(new Problem(at, "only INSERT statements belong in a statement set"));
          }
        }
        default -> {
          if (openSet != null) {
            problems.add(new Problem(at, "only INSERT statements belong in a statement set"));
          }
        }
      }
    }
    if (openSet != null) {
      problems.add(
          new Problem(openSet.statement().toScript(1, 1), "BEGIN STATEMENT SET has no END"));
    }
    if (jobs > 1) {
      problems.add(
          new Problem(
              firstJob.statement().toScript(1, 1),
              "the script would start "
                  + jobs
                  + " Flink jobs; a task runs one job: put the inserts in one"
                  + " EXECUTE STATEMENT SET BEGIN ... END"));
    }
    return problems;
  }

  private static Kind kindOf(SqlNode node) {
    if (node instanceof SqlSet) {
      return Kind.SET;
    }
    if (node instanceof SqlReset) {
      return Kind.RESET;
    }
    if (node instanceof SqlAddJar) {
      return Kind.ADD_JAR;
    }
    if (node instanceof SqlBeginStatementSet) {
      return Kind.BEGIN_SET;
    }
    if (node instanceof SqlEndStatementSet) {
      return Kind.END_SET;
    }
    if (node instanceof RichSqlInsert) {
      return Kind.INSERT;
    }
    if (node instanceof SqlStatementSet
        || node instanceof SqlExecute
        || node instanceof SqlCreateTableAs
        || node instanceof SqlReplaceTableAs
        || node instanceof SqlExecutePlan
        || node instanceof SqlCompileAndExecutePlan) {
      return node instanceof SqlExecute e && isQuery(e.getStatement()) ? Kind.QUERY : Kind.JOB;
    }
    if (node instanceof SqlCompilePlan) {
      return Kind.OTHER;
    }
    return isQuery(node) ? Kind.QUERY : Kind.OTHER;
  }

  private static boolean isQuery(SqlNode node) {
    return node.getKind().belongsTo(SqlKind.QUERY);
  }

  static String firstLine(String message) {
    if (message == null) {
      return "unknown error";
    }
    int nl = message.indexOf('\n');
    return (nl < 0 ? message : message.substring(0, nl)).trim();
  }

  /** Calcite's message names the position inside the statement; the caller names the script's. */
  static String withoutPosition(String message) {
    return firstLine(message)
        .replaceAll("\\s*at line \\d+, column \\d+\\.?", "")
        .replaceAll("^From line \\d+, column \\d+ to line \\d+, column \\d+:\\s*", "")
        .trim();
  }
}

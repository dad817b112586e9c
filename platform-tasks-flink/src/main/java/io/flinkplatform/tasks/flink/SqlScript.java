package io.flinkplatform.tasks.flink;

import static java.util.Objects.requireNonNull;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.sql.parser.impl.FlinkSqlParserImplConstants;
import org.apache.flink.sql.parser.impl.FlinkSqlParserImplTokenManager;
import org.apache.flink.sql.parser.impl.SimpleCharStream;
import org.apache.flink.sql.parser.impl.Token;
import org.apache.flink.sql.parser.impl.TokenMgrError;

/**
 * A Flink SQL script split into statements with Flink's own SQL tokenizer, so semicolons inside
 * strings, quoted identifiers and comments never split a statement, and {@code EXECUTE STATEMENT
 * SET BEGIN ... END} stays one statement. Each statement keeps where it starts in the script, so
 * errors can name the script's line and column.
 */
final class SqlScript {

  /** One statement of the script, without its trailing semicolon. */
  record Statement(String text, int line, int column) {

    /** Maps a (line, column) inside this statement to the script's line and column. */
    Position toScript(int innerLine, int innerColumn) {
      return innerLine <= 1
          ? new Position(line, column + Math.max(innerColumn, 1) - 1)
          : new Position(line + innerLine - 1, innerColumn);
    }
  }

  /** A line and column (both from 1) in the script. */
  record Position(int line, int column) {
    @Override
    public String toString() {
      return "line " + line + ", column " + column;
    }
  }

  /** A script that cannot even be tokenized (an unterminated string or comment). */
  static final class SplitException extends Exception {
    private final Position position;

    SplitException(String message, Position position) {
      super(message);
      this.position = position;
    }

    Position position() {
      return position;
    }
  }

  private SqlScript() {}

  static List<Statement> split(String script) throws SplitException {
    requireNonNull(script, "script is null");
    int[] lineStarts = lineStarts(script);
    FlinkSqlParserImplTokenManager tokens =
        new FlinkSqlParserImplTokenManager(new ExactColumns(script));
    // Flink's dialect quotes identifiers with back-ticks, as the Flink parser does
    tokens.SwitchTo(FlinkSqlParserImplConstants.BTID);
    List<Statement> out = new ArrayList<>();
    List<Token> current = new ArrayList<>();
    try {
      for (Token t = tokens.getNextToken();
          t.kind != FlinkSqlParserImplConstants.EOF;
          t = tokens.getNextToken()) {
        if (t.kind == FlinkSqlParserImplConstants.SEMICOLON && !insideStatementSet(current)) {
          add(script, lineStarts, current, out);
          current = new ArrayList<>();
        } else {
          current.add(t);
        }
      }
    } catch (TokenMgrError e) {
      throw new SplitException(e.getMessage(), errorPosition(e.getMessage()));
    }
    add(script, lineStarts, current, out);
    return List.copyOf(out);
  }

  /** Inside {@code EXECUTE STATEMENT SET BEGIN ...} until its {@code END}. */
  private static boolean insideStatementSet(List<Token> tokens) {
    boolean opens =
        tokens.size() >= 4
            && tokens.get(0).kind == FlinkSqlParserImplConstants.EXECUTE
            && tokens.get(1).kind == FlinkSqlParserImplConstants.STATEMENT
            && tokens.get(2).kind == FlinkSqlParserImplConstants.SET
            && tokens.get(3).kind == FlinkSqlParserImplConstants.BEGIN;
    return opens && tokens.get(tokens.size() - 1).kind != FlinkSqlParserImplConstants.END;
  }

  private static void add(
      String script, int[] lineStarts, List<Token> tokens, List<Statement> out) {
    if (tokens.isEmpty()) {
      return;
    }
    Token first = tokens.get(0);
    Token last = tokens.get(tokens.size() - 1);
    int from = offset(lineStarts, first.beginLine, first.beginColumn);
    int to = offset(lineStarts, last.endLine, last.endColumn) + 1;
    out.add(
        new Statement(
            script.substring(from, Math.min(to, script.length())),
            first.beginLine,
            first.beginColumn));
  }

  private static int offset(int[] lineStarts, int line, int column) {
    return lineStarts[line - 1] + column - 1;
  }

  private static int[] lineStarts(String script) {
    List<Integer> starts = new ArrayList<>();
    starts.add(0);
    for (int i = 0; i < script.length(); i++) {
      if (script.charAt(i) == '\n') {
        starts.add(i + 1);
      }
    }
    return starts.stream().mapToInt(Integer::intValue).toArray();
  }

  private static Position errorPosition(String message) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("line (\\d+), column (\\d+)").matcher(message);
    return m.find()
        ? new Position(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)))
        : new Position(1, 1);
  }

  /** Counts a tab as one column, so token columns are character offsets within their line. */
  private static final class ExactColumns extends SimpleCharStream {
    ExactColumns(String script) {
      super(new StringReader(script));
      setTabSize(1);
    }
  }
}

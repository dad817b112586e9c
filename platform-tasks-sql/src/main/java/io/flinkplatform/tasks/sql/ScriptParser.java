package io.flinkplatform.tasks.sql;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Splits a SQL script into statements with a small lexer, never a regular expression on {@code ;}.
 *
 * <p>It knows, by {@link Dialect}: line comments ({@code --}, and {@code #} where the dialect has
 * them), block comments (nested in PostgreSQL), string literals in single or double quotes with
 * doubled quotes and, where the dialect has them, backslash escapes, quoted identifiers in double
 * quotes or backticks, and PostgreSQL dollar quotes ({@code $$...$$}, {@code $tag$...$tag$}). A
 * delimiter inside any of these does not end a statement. A line {@code DELIMITER xx} at the start
 * of a statement sets the delimiter to {@code xx} for the rest of the script, as the MySQL client
 * does; the line itself is not sent.
 *
 * <p>Comments are removed from the statements, except optimizer hints ({@code /*+ ...}) and MySQL
 * executable comments ({@code /*! ...}). Outside quotes and comments, {@code ${name}} becomes a
 * {@code ?} bind marker for the parameter {@code name}; names with a colon ({@code ${hiveconf:x}})
 * are left for the database. Inside a quoted string, {@code ${name}} is an error (it would silently
 * stay text); {@code $${name}} there stands for the text {@code ${name}}.
 */
final class ScriptParser {
  /** What {@code ${name}} may hold. */
  static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");

  private static final Pattern DELIMITER_COMMAND =
      Pattern.compile("(?i)DELIMITER(?=[ \\t\\r\\n]|$)");

  private final String s;
  private final Dialect dialect;
  private final List<SqlStatement> statements = new ArrayList<>();
  private String delimiter = ";";
  private int i;
  private int line = 1;
  private StringBuilder sql = new StringBuilder();
  private List<String> parameters = new ArrayList<>();
  private int statementLine;
  private boolean content;

  private ScriptParser(String script, Dialect dialect) {
    this.s = script;
    this.dialect = dialect;
  }

  /**
   * Splits {@code script}; statements holding only comments or blanks are left out.
   *
   * @throws ScriptException naming the line of an unterminated quote or comment, a bad placeholder
   *     or a bad {@code DELIMITER} line
   */
  static List<SqlStatement> parse(String script, Dialect dialect) {
    ScriptParser parser =
        new ScriptParser(
            requireNonNull(script, "script is null"), requireNonNull(dialect, "dialect is null"));
    parser.run();
    return List.copyOf(parser.statements);
  }

  private void run() {
    while (i < s.length()) {
      if (!content && delimiterCommand()) {
        continue;
      }
      if (s.startsWith(delimiter, i)) {
        i += delimiter.length();
        finish();
        continue;
      }
      char c = s.charAt(i);
      char next = i + 1 < s.length() ? s.charAt(i + 1) : '\0';
      if (c == '-' && next == '-' && dashComment()) {
        skipToEndOfLine();
      } else if (c == '#' && dialect.hashComments) {
        skipToEndOfLine();
      } else if (c == '/' && next == '*') {
        blockComment();
      } else if (c == '\'') {
        string('\'', dialect.backslashEscapes || escapeStringPrefix());
      } else if (c == '"') {
        if (dialect.doubleQuotedStrings) {
          string('"', dialect.backslashEscapes);
        } else {
          identifier('"');
        }
      } else if (c == '`' && dialect.backtickIdentifiers) {
        identifier('`');
      } else if (c == '$') {
        dollar();
      } else {
        take(c);
        i++;
      }
    }
    finish();
  }

  // ---- statements

  private void take(char c) {
    if (!Character.isWhitespace(c) && !content) {
      content = true;
      statementLine = line;
    }
    if (c == '\n') {
      line++;
    }
    if (content) {
      sql.append(c);
    }
  }

  private void takeAll(int end) {
    while (i < end) {
      take(s.charAt(i++));
    }
  }

  private void finish() {
    String text = sql.toString().strip();
    if (content && !text.isEmpty()) {
      statements.add(new SqlStatement(statements.size() + 1, statementLine, text, parameters));
    }
    sql = new StringBuilder();
    parameters = new ArrayList<>();
    content = false;
  }

  /** {@code DELIMITER xx} alone on its line, at the start of a statement. */
  private boolean delimiterCommand() {
    if (!DELIMITER_COMMAND.matcher(s).region(i, s.length()).lookingAt()) {
      return false;
    }
    int end = s.indexOf('\n', i);
    end = end < 0 ? s.length() : end;
    String[] words = s.substring(i + "DELIMITER".length(), end).trim().split("[ \\t]+");
    if (words.length != 1 || words[0].isEmpty() || words[0].contains("\\")) {
      throw new ScriptException(
          line, "DELIMITER takes exactly one delimiter, e.g. 'DELIMITER //' or 'DELIMITER ;'");
    }
    delimiter = words[0];
    i = end;
    return true;
  }

  // ---- comments

  private boolean dashComment() {
    if (!dialect.dashCommentNeedsSpace()) {
      return true;
    }
    return i + 2 >= s.length() || s.charAt(i + 2) <= ' ';
  }

  private void skipToEndOfLine() {
    int end = s.indexOf('\n', i);
    i = end < 0 ? s.length() : end; // the newline itself is kept
  }

  private void blockComment() {
    int start = line;
    boolean hint =
        i + 2 < s.length()
            && (s.charAt(i + 2) == '+' || (dialect == Dialect.MYSQL && s.charAt(i + 2) == '!'));
    int depth = 0;
    int j = i;
    while (j < s.length()) {
      if (s.startsWith("/*", j) && (depth == 0 || dialect.nestedComments)) {
        depth++;
        j += 2;
      } else if (s.startsWith("*/", j)) {
        depth--;
        j += 2;
        if (depth == 0) {
          break;
        }
      } else {
        j++;
      }
    }
    if (depth != 0) {
      throw new ScriptException(start, "unterminated comment /* ... */");
    }
    if (hint) {
      takeAll(j);
      return;
    }
    for (int k = i; k < j; k++) {
      if (s.charAt(k) == '\n') {
        line++;
      }
    }
    i = j;
    if (content) {
      sql.append(' '); // keep the words on either side apart
    }
  }

  // ---- quotes

  /** PostgreSQL's {@code E'...'}: the quote follows an E that is not the end of a longer word. */
  private boolean escapeStringPrefix() {
    return dialect.dollarQuotes
        && i > 0
        && (s.charAt(i - 1) == 'E' || s.charAt(i - 1) == 'e')
        && (i < 2 || !identifierChar(s.charAt(i - 2)));
  }

  private void string(char quote, boolean escapes) {
    int start = line;
    take(s.charAt(i++));
    while (true) {
      if (i >= s.length()) {
        throw new ScriptException(start, "unterminated string literal " + quote + "...");
      }
      char c = s.charAt(i);
      if (escapes && c == '\\' && i + 1 < s.length()) {
        take(c);
        take(s.charAt(i + 1));
        i += 2;
      } else if (c == quote) {
        take(c);
        i++;
        if (i < s.length() && s.charAt(i) == quote) {
          take(quote);
          i++;
        } else {
          return;
        }
      } else if (s.startsWith("$${", i)) {
        i++; // "$${" stands for the text "${"
        takeAll(i + 2);
      } else if (s.startsWith("${", i) && boundName(i) != null) {
        String name = boundName(i);
        throw new ScriptException(
            line,
            "${"
                + name
                + "} inside a quoted string is not bound; write it outside the quotes (it is bound"
                + " as a value), or $${"
                + name
                + "} for the text itself");
      } else {
        take(c);
        i++;
      }
    }
  }

  private void identifier(char quote) {
    int start = line;
    boolean escapes = dialect == Dialect.CLICKHOUSE;
    take(s.charAt(i++));
    while (true) {
      if (i >= s.length()) {
        throw new ScriptException(start, "unterminated quoted identifier " + quote + "...");
      }
      char c = s.charAt(i);
      if (escapes && c == '\\' && i + 1 < s.length()) {
        takeAll(i + 2);
      } else if (c == quote) {
        take(c);
        i++;
        if (i < s.length() && s.charAt(i) == quote) {
          take(quote);
          i++;
        } else {
          return;
        }
      } else {
        take(c);
        i++;
      }
    }
  }

  // ---- '$': placeholders and dollar quotes

  private void dollar() {
    if (s.startsWith("${", i)) {
      placeholder();
      return;
    }
    if (dialect.dollarQuotes && (i == 0 || !identifierChar(s.charAt(i - 1)))) {
      int close = s.indexOf('$', i + 1);
      String tag = close < 0 ? null : s.substring(i, close + 1);
      if (tag != null
          && (tag.length() == 2
              || tag.substring(1, tag.length() - 1)
                  .matches("[A-Za-z_\\u0080-\\uffff][A-Za-z0-9_\\u0080-\\uffff]*"))) {
        int end = s.indexOf(tag, close + 1);
        if (end < 0) {
          throw new ScriptException(line, "unterminated dollar-quoted string " + tag + "...");
        }
        takeAll(end + tag.length());
        return;
      }
    }
    if (s.startsWith("$${", i)) {
      i++; // "$${" stands for the text "${"
      takeAll(i + 2);
      return;
    }
    take('$');
    i++;
  }

  private void placeholder() {
    int close = s.indexOf('}', i + 2);
    String name = close < 0 ? "" : s.substring(i + 2, close);
    if (close >= 0 && NAME.matcher(name).matches()) {
      take('?');
      parameters.add(name);
      i = close + 1;
    } else if (close >= 0 && name.indexOf(':') > 0 && name.indexOf('\n') < 0) {
      takeAll(close + 1); // ${hiveconf:x} and the like belong to the database
    } else {
      throw new ScriptException(
          line,
          "malformed placeholder '"
              + (close < 0 ? s.substring(i, Math.min(s.length(), i + 20)) : "${" + name + "}")
              + "'; write ${name}, the name made of letters, digits, '_', '.' and '-'");
    }
  }

  /** The name of a bind placeholder {@code ${name}} at {@code at}, or {@code null}. */
  private String boundName(int at) {
    int close = s.indexOf('}', at + 2);
    if (close < 0) {
      return null;
    }
    String name = s.substring(at + 2, close);
    return NAME.matcher(name).matches() ? name : null;
  }

  private static boolean identifierChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '$';
  }
}

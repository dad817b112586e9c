package io.flinkplatform.tasks.sql;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * One statement of a script, ready to run.
 *
 * @param number 1 for the first statement of the script
 * @param line the line of the script it starts on, from 1
 * @param sql the text sent to the database: comments removed (optimizer hints kept), bind
 *     parameters replaced by {@code ?}, no delimiter
 * @param parameters the names bound to the {@code ?} markers, in order
 */
record SqlStatement(int number, int line, String sql, List<String> parameters) {
  SqlStatement {
    requireNonNull(sql, "sql is null");
    parameters = List.copyOf(requireNonNull(parameters, "parameters is null"));
  }

  /** The first line of the statement, cut at {@code max} characters, for logs and messages. */
  String excerpt(int max) {
    String first = sql.strip().lines().findFirst().orElse("");
    boolean cut = first.length() > max || sql.strip().lines().count() > 1;
    return prefix(first, max) + (cut ? " …" : "");
  }

  /**
   * The first {@code max} characters of {@code s}, or one fewer where the cut would split a
   * surrogate pair (a lone half cannot be encoded: it would break the log line and the task).
   */
  static String prefix(String s, int max) {
    if (s.length() <= max) {
      return s;
    }
    int end = max > 0 && Character.isHighSurrogate(s.charAt(max - 1)) ? max - 1 : max;
    return s.substring(0, end);
  }

  /** Whether the statement changes session state ({@code SET}, {@code USE}, temporary tables). */
  boolean changesSession() {
    String head = sql.stripLeading().toUpperCase(java.util.Locale.ROOT);
    return head.startsWith("SET ")
        || head.startsWith("SET\n")
        || head.startsWith("SET\t")
        || head.startsWith("RESET")
        || head.startsWith("USE ")
        || head.matches("(?s)CREATE\\s+(GLOBAL\\s+|LOCAL\\s+)?(TEMPORARY|TEMP)\\b.*");
  }

  /** Whether the statement is a {@code SET}. */
  boolean isSet() {
    return sql.stripLeading().regionMatches(true, 0, "SET", 0, 3)
        && (sql.stripLeading().length() == 3
            || Character.isWhitespace(sql.stripLeading().charAt(3)));
  }
}

package io.flinkplatform.tasks.sql;

/**
 * The lexical rules a script is split by: which comments, quotes and identifiers a database knows.
 * Named in the {@code dialect} option of the {@code sql} task.
 */
enum Dialect {
  /** MySQL, MariaDB, TiDB: {@code #} and {@code -- } comments, backslash escapes, backticks. */
  MYSQL(true, true, true, true, false, false),
  /** PostgreSQL: nested block comments, {@code E'...'} escapes, {@code $tag$...$tag$} quotes. */
  POSTGRESQL(false, false, false, false, true, true),
  /** Hive and Kyuubi: backslash escapes, both quotes as strings, backticks. */
  HIVE(false, true, true, true, false, false),
  /** ClickHouse: {@code #} comments, backslash escapes, backticks and double-quoted identifiers. */
  CLICKHOUSE(true, true, false, true, false, false),
  /** Standard SQL: {@code ''} and {@code ""} doubling only. */
  ANSI(false, false, false, false, false, false);

  /** {@code #} starts a comment to the end of the line. */
  final boolean hashComments;

  /** A backslash escapes the next character inside quotes. */
  final boolean backslashEscapes;

  /** {@code "..."} is a string literal rather than an identifier. */
  final boolean doubleQuotedStrings;

  /** {@code `...`} quotes an identifier. */
  final boolean backtickIdentifiers;

  /** {@code $tag$...$tag$} quotes a string, and {@code E'...'} has backslash escapes. */
  final boolean dollarQuotes;

  /** Block comments nest. */
  final boolean nestedComments;

  Dialect(
      boolean hashComments,
      boolean backslashEscapes,
      boolean doubleQuotedStrings,
      boolean backtickIdentifiers,
      boolean dollarQuotes,
      boolean nestedComments) {
    this.hashComments = hashComments;
    this.backslashEscapes = backslashEscapes;
    this.doubleQuotedStrings = doubleQuotedStrings;
    this.backtickIdentifiers = backtickIdentifiers;
    this.dollarQuotes = dollarQuotes;
    this.nestedComments = nestedComments;
  }

  /** In MySQL {@code --} starts a comment only when followed by a space or a control character. */
  boolean dashCommentNeedsSpace() {
    return this == MYSQL;
  }
}

package io.flinkplatform.tasks.sql;

/** A script that cannot be split into statements: an unterminated quote, a bad placeholder. */
final class ScriptException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  ScriptException(int line, String problem) {
    super("line " + line + ": " + problem);
  }
}

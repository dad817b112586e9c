package io.flinkplatform.spi;

/**
 * The attempt's log in the platform's log store. Lines are written as they come; the store keeps
 * them outside the database and the database keeps a pointer. Thread-safe.
 */
public interface TaskLog {

  /** Appends one line (a trailing newline is added). */
  void line(String line);

  /** Appends a formatted line, {@link String#format} style. */
  default void printf(String format, Object... args) {
    line(String.format(format, args));
  }
}

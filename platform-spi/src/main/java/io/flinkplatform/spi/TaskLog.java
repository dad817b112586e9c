package io.flinkplatform.spi;

/**
 * The attempt's log in the platform's log store. Lines are written as they come; the store keeps
 * them outside the database and the database keeps a pointer. Thread-safe.
 */
public interface TaskLog {

  /**
   * Appends one line (a trailing newline is added). Any text is accepted: what UTF-8 cannot encode
   * (half of a surrogate pair) is written as {@code ?}. Throws {@link java.io.UncheckedIOException}
   * when the log store cannot write (a full disk); the engine then hands a failed attempt back
   * instead of spending a retry.
   */
  void line(String line);

  /** Appends a formatted line, {@link String#format} style. */
  default void printf(String format, Object... args) {
    line(String.format(format, args));
  }
}

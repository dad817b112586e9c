package io.flinkplatform.tasks.shell;

import static java.util.Objects.requireNonNull;

import io.flinkplatform.spi.TaskLog;

/**
 * The part of an attempt's log that holds the process's output, with a size cap: once the lines
 * written reach {@code maxBytes} (UTF-8, counting a newline per line), further lines are counted
 * but not written, and one line says so. Thread-safe.
 */
final class CappedLog {
  private final TaskLog log;
  private final long maxBytes;
  private long written;
  private long droppedLines;
  private long droppedBytes;

  CappedLog(TaskLog log, long maxBytes) {
    this.log = requireNonNull(log, "log is null");
    if (maxBytes < 0) {
      throw new IllegalArgumentException("maxBytes must not be negative but was " + maxBytes);
    }
    this.maxBytes = maxBytes;
  }

  void line(String line) {
    long size = utf8Length(line) + 1;
    synchronized (this) {
      if (droppedLines == 0 && written + size <= maxBytes) {
        written += size;
        log.line(line);
        return;
      }
      if (droppedLines == 0) {
        log.line(
            "[shell] the output reached maxLogSize ("
                + ByteSize.format(maxBytes)
                + "); further output is not logged");
      }
      droppedLines++;
      droppedBytes += size;
    }
  }

  /** A line for the end of the log if output was left out, else {@code null}. */
  synchronized String summary() {
    return droppedLines == 0
        ? null
        : "[shell] "
            + droppedLines
            + " line(s), "
            + ByteSize.format(droppedBytes)
            + ", of output were not logged (maxLogSize "
            + ByteSize.format(maxBytes)
            + ")";
  }

  private static long utf8Length(String s) {
    long n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n += 1;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return n;
  }
}

package io.flinkplatform.engine.run;

import io.flinkplatform.engine.InvalidRequestException;

/**
 * Which bytes of a task log to read: the last {@code maxBytes} ({@link #tail}) or up to {@code
 * maxBytes} from a byte offset ({@link #from}). A read never returns more than {@code maxBytes} nor
 * a part of a UTF-8 sequence, so the text may be a few bytes shorter than the range.
 *
 * @param offset the first byte to read (ignored for a tail)
 * @param maxBytes at most this many bytes, {@link #MIN_BYTES} to {@link #MAX_BYTES}
 * @param fromEnd whether this is a tail
 */
public record LogRange(long offset, int maxBytes, boolean fromEnd) {
  /** The smallest range: one character of any size, so that polling always moves on. */
  public static final int MIN_BYTES = 4;

  /** The largest range one read returns: 16 MiB. */
  public static final int MAX_BYTES = 16 << 20;

  /** What {@code PlatformClient.log(TaskAttempt)} returns: the last 1 MiB. */
  public static final int DEFAULT_TAIL_BYTES = 1 << 20;

  public LogRange {
    if (offset < 0) {
      throw new InvalidRequestException("offset", "must be >= 0 but was " + offset);
    }
    if (maxBytes < MIN_BYTES || maxBytes > MAX_BYTES) {
      throw new InvalidRequestException(
          "maxBytes",
          "must be between " + MIN_BYTES + " and " + MAX_BYTES + " but was " + maxBytes);
    }
  }

  /** The last {@code maxBytes} of the log. */
  public static LogRange tail(int maxBytes) {
    return new LogRange(0, maxBytes, true);
  }

  /** Up to {@code maxBytes} from byte {@code offset}; poll with the previous chunk's end. */
  public static LogRange from(long offset, int maxBytes) {
    return new LogRange(offset, maxBytes, false);
  }
}

package io.flinkplatform.engine.run;

/**
 * A range of a task log as read.
 *
 * @param text the complete UTF-8 characters in the range
 * @param start the byte offset of the text's first byte in the file
 * @param end the byte offset just after the text: read on from here ({@code LogRange.from(end,
 *     ...)}) to get what was written since
 * @param size the file's size when it was read; {@code end < size} means there is more
 */
public record LogChunk(String text, long start, long end, long size) {
  public LogChunk {
    java.util.Objects.requireNonNull(text, "text is null");
  }

  /** Whether the log holds bytes beyond this chunk. */
  public boolean hasMore() {
    return end < size;
  }
}

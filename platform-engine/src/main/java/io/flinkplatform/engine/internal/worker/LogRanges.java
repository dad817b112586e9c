package io.flinkplatform.engine.internal.worker;

import io.flinkplatform.engine.PlatformException;
import io.flinkplatform.engine.run.LogChunk;
import io.flinkplatform.engine.run.LogRange;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads a bounded range ({@link LogRange}) of a task log by the pointer stored with its attempt,
 * never cutting a UTF-8 sequence, and refuses a pointer outside the log store's root.
 */
final class LogRanges {
  private LogRanges() {}

  /** Reads one range of a log by the pointer stored with its attempt. */
  static LogChunk read(Path root, String pointer, LogRange range) {
    Path p = resolve(root, pointer);
    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
      long size = ch.size();
      long start = range.fromEnd() ? Math.max(0, size - range.maxBytes()) : range.offset();
      start = Math.min(start, size);
      long end = Math.min(size, start + range.maxBytes());
      ByteBuffer buf = ByteBuffer.allocate((int) (end - start));
      while (buf.hasRemaining() && ch.read(buf, start + buf.position()) >= 0) {
        // positional reads until the range is in
      }
      return chunk(buf.array(), buf.position(), start, size);
    } catch (NoSuchFileException e) {
      return new LogChunk("", 0, 0, 0);
    } catch (IOException e) {
      throw new PlatformException("cannot read log " + pointer + ": " + e.getMessage(), e);
    }
  }

  /**
   * The chunk of {@code b[0, len)}, read from offset {@code start} of a log of {@code size} bytes,
   * without the cut UTF-8 sequences at either end.
   */
  static LogChunk chunk(byte[] b, int len, long start, long size) {
    int s = 0;
    // continuation bytes at the start belong to a character that began before the range
    while (start > 0 && s < Math.min(len, 3) && isContinuation(b[s])) {
      s++;
    }
    int e = Math.max(s, completeEnd(b, s, len));
    String text = new String(b, s, e - s, StandardCharsets.UTF_8);
    return new LogChunk(text, start + s, start + e, size);
  }

  /** Whether {@code pointer} is a log file under {@code root} that exists. */
  static boolean exists(Path root, String pointer) {
    try {
      Path p = Path.of(URI.create(pointer)).normalize();
      return p.startsWith(root) && java.nio.file.Files.isRegularFile(p);
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static Path resolve(Path root, String pointer) {
    Path p;
    try {
      p = Path.of(URI.create(pointer)).normalize();
    } catch (RuntimeException e) {
      throw new PlatformException("log pointer " + pointer + " is not a file URI", e);
    }
    if (!p.startsWith(root)) {
      throw new PlatformException("log " + pointer + " is outside the log store " + root);
    }
    return p;
  }

  private static boolean isContinuation(byte b) {
    return (b & 0xC0) == 0x80;
  }

  /** The end of the last complete UTF-8 sequence in {@code b[s, len)}: drops a cut last one. */
  private static int completeEnd(byte[] b, int s, int len) {
    for (int i = len - 1; i >= Math.max(s, len - 4); i--) {
      if (!isContinuation(b[i])) {
        int lead = b[i] & 0xFF;
        int need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
        return i + need > len ? i : len;
      }
    }
    return len;
  }
}

package io.flinkplatform.engine.internal.worker;

import io.flinkplatform.engine.Platform;
import io.flinkplatform.spi.TaskLog;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;

/**
 * The log of one attempt as {@link LocalLogStore#open} opens it: a file created on the first line,
 * written through line by line and capped at a size, or a log refused whose every line fails.
 */
final class LogSink implements TaskLog, AutoCloseable {
  private final Path file;
  private final Consumer<String> onCreate;
  private final String refused;
  private final long maxBytes;
  private final Shipping shipping;
  private Runnable shipped;
  private OutputStream out;
  private IOException failure;
  private long written;
  private long droppedLines;
  private long droppedBytes;

  /** Starts shipping the log once its file is open; returns what to call once it is closed. */
  interface Shipping {
    /** {@code base}: the file's size when opened, the bytes of an earlier claim of the attempt. */
    Runnable start(Path file, long base);
  }

  LogSink(Path file, Consumer<String> onCreate, long maxBytes) {
    this(file, onCreate, maxBytes, null);
  }

  /** {@code shipping}: null when logs stay here. */
  LogSink(Path file, Consumer<String> onCreate, long maxBytes, Shipping shipping) {
    this.file = file;
    this.onCreate = onCreate;
    this.refused = null;
    this.maxBytes = maxBytes;
    this.shipping = shipping;
  }

  LogSink(Path file, String refused) {
    this.file = file;
    this.onCreate = p -> {};
    this.refused = refused;
    this.maxBytes = 0;
    this.shipping = null;
  }

  /**
   * Appends one line. Characters UTF-8 cannot encode (a lone surrogate left by a cut) become {@code
   * ?}: a line never fails for its text. A failing file system (no space, read-only) throws {@link
   * UncheckedIOException} and is remembered ({@link #failure()}); later lines try again.
   *
   * <p>The file is capped at {@code maxTaskLogSize} bytes ({@link
   * Platform.Builder#maxTaskLogSize}), counting what an earlier claim of the attempt wrote: the
   * first line that does not fit is replaced by one line saying so, later ones are counted and
   * dropped, and {@link #close} adds how many were.
   */
  @Override
  public synchronized void line(String line) {
    if (refused != null) {
      throw new IllegalStateException(refused);
    }
    // String.getBytes replaces malformed input rather than throwing; nothing stays buffered
    byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
    try {
      if (out == null) {
        Files.createDirectories(file.getParent());
        out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        written = Files.size(file);
        if (shipping != null) {
          shipped = shipping.start(file, written);
        }
        announce();
      }
      if (droppedLines > 0 || written + bytes.length > maxBytes) {
        if (droppedLines == 0) {
          out.write(
              ("[platform] the log reached maxTaskLogSize ("
                      + maxBytes
                      + " bytes); further lines are not written\n")
                  .getBytes(StandardCharsets.UTF_8));
        }
        droppedLines++;
        droppedBytes += bytes.length;
        return;
      }
      out.write(bytes);
      written += bytes.length;
    } catch (IOException e) {
      if (failure == null) {
        failure = e;
      }
      throw new UncheckedIOException("cannot write task log " + file + ": " + e, e);
    }
  }

  private void announce() {
    try {
      onCreate.accept(file.toUri().toString());
    } catch (RuntimeException e) {
      // the pointer is stored with the outcome anyway; only reading it early is lost
    }
  }

  /** The first error writing this log, or null. */
  synchronized IOException failure() {
    return failure;
  }

  /** The pointer to store, or null when nothing was written. */
  synchronized String pointer() {
    return out == null ? null : file.toUri().toString();
  }

  @Override
  public synchronized void close() {
    if (out != null) {
      try {
        if (droppedLines > 0) {
          out.write(
              ("[platform] "
                      + droppedLines
                      + " line(s), "
                      + droppedBytes
                      + " bytes, were not written (maxTaskLogSize "
                      + maxBytes
                      + " bytes)\n")
                  .getBytes(StandardCharsets.UTF_8));
        }
      } catch (IOException ignored) {
        // the cap's note was written when it was reached
      }
      try {
        out.close();
      } catch (IOException ignored) {
        // every line was written through as it came
      }
      if (shipped != null) {
        shipped.run(); // queues the last shipment; never waits for it
        shipped = null;
      }
    }
  }
}

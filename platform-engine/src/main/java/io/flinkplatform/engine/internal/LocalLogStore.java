package io.flinkplatform.engine.internal;

import io.flinkplatform.engine.PlatformException;
import io.flinkplatform.spi.TaskLog;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Task logs as files under one directory: {@code <root>/<runId>/<taskId>.<attempt>.log}. The
 * database keeps the file's URI. A file is created on the first line only.
 */
final class LocalLogStore {
  private final Path root;

  LocalLogStore(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  Sink open(long runId, String taskId, int attempt) {
    return new Sink(root.resolve(Long.toString(runId)).resolve(taskId + "." + attempt + ".log"));
  }

  /** Reads a log by the pointer stored with its attempt. */
  String read(String pointer) {
    try {
      Path p = Path.of(java.net.URI.create(pointer));
      if (!p.normalize().startsWith(root)) {
        throw new PlatformException("log " + pointer + " is outside the log store " + root);
      }
      return Files.exists(p) ? Files.readString(p) : "";
    } catch (IOException e) {
      throw new PlatformException("cannot read log " + pointer + ": " + e.getMessage(), e);
    }
  }

  /** The log of one attempt. */
  static final class Sink implements TaskLog, AutoCloseable {
    private final Path file;
    private BufferedWriter writer;

    private Sink(Path file) {
      this.file = file;
    }

    @Override
    public synchronized void line(String line) {
      try {
        if (writer == null) {
          Files.createDirectories(file.getParent());
          writer =
              Files.newBufferedWriter(
                  file,
                  StandardCharsets.UTF_8,
                  StandardOpenOption.CREATE,
                  StandardOpenOption.APPEND);
        }
        writer.write(line);
        writer.write('\n');
        writer.flush();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write task log " + file, e);
      }
    }

    /** The pointer to store, or null when nothing was written. */
    synchronized String pointer() {
      return writer == null ? null : file.toUri().toString();
    }

    @Override
    public synchronized void close() {
      if (writer != null) {
        try {
          writer.close();
        } catch (IOException ignored) {
          // the lines were flushed as they were written
        }
      }
    }
  }
}

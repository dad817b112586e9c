package io.flinkplatform.engine.internal.worker;

import io.flinkplatform.engine.LogDirectoryInUseException;
import io.flinkplatform.engine.Platform;
import io.flinkplatform.engine.run.LogChunk;
import io.flinkplatform.engine.run.LogRange;
import io.flinkplatform.spi.TaskLog;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;

/**
 * Task logs as files under one directory: {@code <root>/<runId>/<taskId>.<attempt>.log}. The
 * database keeps the file's URI. A file is created on the first line only. Reads are bounded
 * ({@link LogRange}) and never cut a UTF-8 sequence.
 *
 * <p>A directory belongs to one installation (one database): the file {@value #MARKER} in it holds
 * a digest of the installation's id. Orphaned logs are deleted only in a directory marked as this
 * installation's, so that a shared or reused directory never loses another database's logs.
 *
 * <p>This class opens the logs and writes them with their size cap ({@link Sink}); the mark is
 * {@link LogDirectoryMark}'s, reading ranges {@link LogRanges}', and the per-run directories that
 * housekeeping lists and deletes {@link RunLogDirectories}'.
 */
public final class LocalLogStore {
  /** The file that marks a log directory as one installation's. */
  public static final String MARKER = ".flink-platform-installation";

  private final Path root;
  private final long maxBytes;

  /** The digest of this installation's id, or null for a store that never deletes orphans. */
  private final String installation;

  LocalLogStore(Path root) {
    this(root, null, Platform.DEFAULT_MAX_TASK_LOG_SIZE);
  }

  /**
   * {@code maxBytes} caps each attempt's log (see {@link Sink#line}): whatever a plugin writes, one
   * attempt cannot fill the disk.
   */
  private LocalLogStore(Path root, String installation, long maxBytes) {
    this.root = root.toAbsolutePath().normalize();
    this.installation = installation;
    this.maxBytes = maxBytes;
  }

  public Path root() {
    return root;
  }

  /**
   * The store of one installation: {@code configured} as is, except for the default, which gets a
   * subdirectory named after the installation ({@link #digest}), so that two databases on one host
   * keep apart, and a database dropped and created again (a new installation whose run ids start at
   * 1 again) never appends to the old one's logs. Call {@link #claim()} before use.
   */
  public static LocalLogStore of(Path configured, String installationId) {
    return of(configured, installationId, Platform.DEFAULT_MAX_TASK_LOG_SIZE);
  }

  /** As {@link #of(Path, String)}, each attempt's log capped at {@code maxBytes}. */
  public static LocalLogStore of(Path configured, String installationId, long maxBytes) {
    String digest = digest(installationId);
    Path root =
        configured.equals(Platform.DEFAULT_LOG_DIRECTORY) ? configured.resolve(digest) : configured;
    return new LocalLogStore(root, digest, maxBytes);
  }

  /**
   * A digest of the installation's id for names on disk: the id itself is confidential (plugins
   * derive names from it), the digest does not reveal it.
   */
  public static String digest(String installationId) {
    return LogDirectoryMark.digest(installationId);
  }

  /**
   * Marks the directory as this installation's when it is new or empty, or checks the mark it has.
   * Returns null once the directory is marked as this installation's, else why it is not (it holds
   * files but no mark, as one used before marks existed; or it cannot be written): logs work there,
   * orphaned ones are not deleted.
   *
   * @throws LogDirectoryInUseException the directory is marked as another installation's
   */
  public String claim() {
    if (installation == null) {
      return "the store belongs to no installation";
    }
    return LogDirectoryMark.claim(root, installation);
  }

  /** Whether the directory is marked as this installation's (marking it if it is new or empty). */
  public boolean owned() {
    try {
      return claim() == null;
    } catch (LogDirectoryInUseException e) {
      return false;
    }
  }

  /**
   * The log of one attempt. {@code onCreate} is told the pointer once the file exists (the first
   * line), so that the log can be read while the attempt runs. A path outside the root (only
   * possible for a definition edited in the database) opens a log whose every line fails.
   */
  Sink open(long runId, String taskId, int attempt, Consumer<String> onCreate) {
    Path file =
        root.resolve(Long.toString(runId)).resolve(taskId + "." + attempt + ".log").normalize();
    if (!file.startsWith(root) || !file.getParent().equals(root.resolve(Long.toString(runId)))) {
      return new Sink(null, "the log of task '" + taskId + "' would be outside the log store");
    }
    return new Sink(file, onCreate, maxBytes);
  }

  /** Reads one range of a log by the pointer stored with its attempt. */
  public LogChunk read(String pointer, LogRange range) {
    return LogRanges.read(root, pointer, range);
  }

  /**
   * The run ids that have a directory of logs here: a directory named by the number, holding task
   * logs ({@code <taskId>.<attempt>.log}) and nothing else. Anything else is not this store's.
   */
  public List<Long> runDirectories() throws IOException {
    return RunLogDirectories.list(root);
  }

  /**
   * Deletes the logs of the given runs (their rows are gone), only task logs and the run's
   * directory once empty; returns how many runs it cleared.
   */
  public int deleteRuns(Collection<Long> runIds) throws IOException {
    return RunLogDirectories.delete(root, runIds);
  }

  /** The log of one attempt. */
  static final class Sink implements TaskLog, AutoCloseable {
    private final Path file;
    private final Consumer<String> onCreate;
    private final String refused;
    private final long maxBytes;
    private OutputStream out;
    private IOException failure;
    private long written;
    private long droppedLines;
    private long droppedBytes;

    private Sink(Path file, Consumer<String> onCreate, long maxBytes) {
      this.file = file;
      this.onCreate = onCreate;
      this.refused = null;
      this.maxBytes = maxBytes;
    }

    private Sink(Path file, String refused) {
      this.file = file;
      this.onCreate = p -> {};
      this.refused = refused;
      this.maxBytes = 0;
    }

    /**
     * Appends one line. Characters UTF-8 cannot encode (a lone surrogate left by a cut) become
     * {@code ?}: a line never fails for its text. A failing file system (no space, read-only)
     * throws {@link UncheckedIOException} and is remembered ({@link #failure()}); later lines try
     * again.
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
      }
    }
  }
}

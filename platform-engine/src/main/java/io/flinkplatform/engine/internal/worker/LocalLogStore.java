package io.flinkplatform.engine.internal.worker;

import io.flinkplatform.engine.LogDirectoryInUseException;
import io.flinkplatform.engine.Platform;
import io.flinkplatform.engine.PlatformException;
import io.flinkplatform.engine.run.LogChunk;
import io.flinkplatform.engine.run.LogRange;
import io.flinkplatform.spi.TaskLog;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Task logs as files under one directory: {@code <root>/<runId>/<taskId>.<attempt>.log}. The
 * database keeps the file's URI. A file is created on the first line only. Reads are bounded
 * ({@link LogRange}) and never cut a UTF-8 sequence.
 *
 * <p>A directory belongs to one installation (one database): the file {@value #MARKER} in it holds
 * a digest of the installation's id. Orphaned logs are deleted only in a directory marked as this
 * installation's, so that a shared or reused directory never loses another database's logs.
 */
public final class LocalLogStore {
  /** The file that marks a log directory as one installation's. */
  public static final String MARKER = ".flink-platform-installation";

  private static final String RUN_DIRECTORY = "[0-9]{1,18}";
  private static final String LOG_FILE = ".+\\.[0-9]{1,10}\\.log";

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
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256")
              .digest(
                  ("flink-platform log directory\n" + installationId)
                      .getBytes(StandardCharsets.UTF_8));
      return "installation-" + HexFormat.of().formatHex(hash, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
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
    Path marker = root.resolve(MARKER);
    try {
      Files.createDirectories(root);
      for (int tries = 0; tries < 3; tries++) {
        String found = readMarker(marker);
        if (found != null) {
          if (found.equals(installation)) {
            return null;
          }
          throw new LogDirectoryInUseException(
              root,
              "the log directory "
                  + root
                  + " belongs to another installation (another database): its "
                  + MARKER
                  + " holds "
                  + found
                  + ", this installation is "
                  + installation
                  + ". Two databases must not share a log directory: give this platform its own"
                  + " logDirectory (or the default)");
        }
        if (holdsFiles()) {
          return "the log directory "
              + root
              + " holds files but no "
              + MARKER
              + "; if only this installation uses it, write "
              + installation
              + " into that file";
        }
        Path tmp = Files.createTempFile(root, MARKER + ".", ".tmp");
        try {
          Files.writeString(tmp, installation + "\n");
          // no replacing: when two instances mark at once, the first mark stays and is checked
          Files.move(tmp, marker);
        } catch (FileAlreadyExistsException raced) {
          // another instance marked it first: its mark is read again
        } finally {
          Files.deleteIfExists(tmp);
        }
      }
      return "the log directory " + root + " could not be marked";
    } catch (IOException e) {
      return "the log directory " + root + " could not be marked (" + e + ")";
    }
  }

  /** Whether the directory is marked as this installation's (marking it if it is new or empty). */
  public boolean owned() {
    try {
      return claim() == null;
    } catch (LogDirectoryInUseException e) {
      return false;
    }
  }

  private static String readMarker(Path marker) throws IOException {
    try {
      return Files.readString(marker, StandardCharsets.UTF_8).strip();
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  /** Whether the directory holds anything besides marks being written. */
  private boolean holdsFiles() throws IOException {
    try (Stream<Path> entries = Files.list(root)) {
      return entries.anyMatch(p -> !p.getFileName().toString().startsWith(MARKER + "."));
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
    Path p = resolve(pointer);
    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
      long size = ch.size();
      long start = range.fromEnd() ? Math.max(0, size - range.maxBytes()) : range.offset();
      start = Math.min(start, size);
      long end = Math.min(size, start + range.maxBytes());
      ByteBuffer buf = ByteBuffer.allocate((int) (end - start));
      while (buf.hasRemaining() && ch.read(buf, start + buf.position()) >= 0) {
        // positional reads until the range is in
      }
      byte[] b = buf.array();
      int len = buf.position();
      int s = 0;
      // continuation bytes at the start belong to a character that began before the range
      while (start > 0 && s < Math.min(len, 3) && isContinuation(b[s])) {
        s++;
      }
      int e = Math.max(s, completeEnd(b, s, len));
      String text = new String(b, s, e - s, StandardCharsets.UTF_8);
      return new LogChunk(text, start + s, start + e, size);
    } catch (NoSuchFileException e) {
      return new LogChunk("", 0, 0, 0);
    } catch (IOException e) {
      throw new PlatformException("cannot read log " + pointer + ": " + e.getMessage(), e);
    }
  }

  private Path resolve(String pointer) {
    Path p;
    try {
      p = Path.of(java.net.URI.create(pointer)).normalize();
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

  /**
   * The run ids that have a directory of logs here: a directory named by the number, holding task
   * logs ({@code <taskId>.<attempt>.log}) and nothing else. Anything else is not this store's.
   */
  public List<Long> runDirectories() throws IOException {
    List<Long> ids = new ArrayList<>();
    if (!Files.isDirectory(root)) {
      return ids;
    }
    try (Stream<Path> dirs = Files.list(root)) {
      for (Path d : dirs.toList()) {
        String name = d.getFileName().toString();
        if (name.matches(RUN_DIRECTORY) && holdsOnlyLogs(d)) {
          ids.add(Long.parseLong(name));
        }
      }
    }
    return ids;
  }

  private static boolean holdsOnlyLogs(Path dir) throws IOException {
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> all = files.toList();
      return !all.isEmpty()
          && all.stream()
              .allMatch(
                  f ->
                      Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)
                          && f.getFileName().toString().matches(LOG_FILE));
    }
  }

  /**
   * Deletes the logs of the given runs (their rows are gone), only task logs and the run's
   * directory once empty; returns how many runs it cleared.
   */
  public int deleteRuns(Collection<Long> runIds) throws IOException {
    int n = 0;
    for (long id : Set.copyOf(runIds)) {
      Path dir = root.resolve(Long.toString(id));
      if (!holdsOnlyLogs(dir)) {
        continue;
      }
      try (Stream<Path> files = Files.list(dir)) {
        for (Path f : files.toList()) {
          if (f.getFileName().toString().matches(LOG_FILE)) {
            Files.deleteIfExists(f);
          }
        }
      }
      try {
        Files.deleteIfExists(dir);
        n++;
      } catch (DirectoryNotEmptyException e) {
        // something else appeared in it: left alone
      }
    }
    return n;
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

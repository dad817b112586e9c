package io.flinkplatform.engine.internal.worker;

import io.flinkplatform.engine.LogDirectoryInUseException;
import io.flinkplatform.engine.Platform;
import io.flinkplatform.engine.run.LogChunk;
import io.flinkplatform.engine.run.LogRange;
import io.flinkplatform.engine.storage.BlobStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
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
 * <p>This class opens the logs, which {@link LogSink} writes with their size cap; the mark is
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

  /** The shared store logs are shipped to and read from when not here, or null for none. */
  private final SharedLogs shared;

  private final LogShipper shipper;

  LocalLogStore(Path root) {
    this(root, null, Platform.DEFAULT_MAX_TASK_LOG_SIZE, null, null);
  }

  /**
   * {@code maxBytes} caps each attempt's log (see {@link LogSink#line}): whatever a plugin writes,
   * one attempt cannot fill the disk.
   */
  private LocalLogStore(
      Path root, String installation, long maxBytes, SharedLogs shared, LogShipper shipper) {
    this.root = root.toAbsolutePath().normalize();
    this.installation = installation;
    this.maxBytes = maxBytes;
    this.shared = shared;
    this.shipper = shipper;
  }

  /**
   * This store, each attempt's log also shipped to {@code store} every {@code interval} and at its
   * end ({@link LogShipper}), and read from there when this instance does not have it. Starts the
   * shipping thread; {@link #stopShipping} ends it.
   */
  public LocalLogStore sharing(BlobStore store, Duration interval, String instanceName) {
    if (installation == null) {
      throw new IllegalStateException("a store of no installation cannot share its logs");
    }
    SharedLogs logs = new SharedLogs(store, installation);
    return new LocalLogStore(
        root, installation, maxBytes, logs, new LogShipper(logs, interval, instanceName));
  }

  /** The shared store's logs, if logs are shipped. */
  public Optional<SharedLogs> shared() {
    return Optional.ofNullable(shared);
  }

  /** Ships what is left and stops shipping (bounded, see {@link LogShipper#stop}); idempotent. */
  public void stopShipping() {
    if (shipper != null) {
      shipper.stop();
    }
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
    return new LocalLogStore(root, digest, maxBytes, null, null);
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
  LogSink open(long runId, String taskId, int attempt, Consumer<String> onCreate) {
    return open(runId, taskId, attempt, 0, onCreate);
  }

  /**
   * The log of one claim (of epoch {@code epoch}) of an attempt, as {@link #open(long, String, int,
   * Consumer)}; with a shared store, what the claim writes is shipped there.
   */
  LogSink open(long runId, String taskId, int attempt, long epoch, Consumer<String> onCreate) {
    Path file =
        root.resolve(Long.toString(runId)).resolve(taskId + "." + attempt + ".log").normalize();
    if (!file.startsWith(root) || !file.getParent().equals(root.resolve(Long.toString(runId)))) {
      return new LogSink(null, "the log of task '" + taskId + "' would be outside the log store");
    }
    LogSink.Shipping shipping =
        shipper == null
            ? null
            : (f, base) -> shipper.track(runId, taskId, attempt, epoch, f, base)::close;
    return new LogSink(file, onCreate, maxBytes, shipping);
  }

  /** Reads one range of a log by the pointer stored with its attempt. */
  public LogChunk read(String pointer, LogRange range) {
    return LogRanges.read(root, pointer, range);
  }

  /**
   * Reads one range of an attempt's log: from the file here when this instance has it, else from
   * the shared store when logs are shipped (an empty chunk if nothing was shipped yet), else by the
   * pointer as {@link #read(String, LogRange)}. {@code pointer} may be null (not stored yet).
   */
  public LogChunk read(String pointer, long runId, String taskId, int attempt, LogRange range) {
    if (shared != null && (pointer == null || !LogRanges.exists(root, pointer))) {
      return shared.read(runId, taskId, attempt, range);
    }
    return pointer == null ? new LogChunk("", 0, 0, 0) : read(pointer, range);
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
}

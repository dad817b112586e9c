package io.flinkplatform.engine.internal.worker;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ships the task logs written here to the shared store, on a thread of its own and never on an
 * attempt's path: every interval, what each open log gained since the last shipment becomes one
 * more part (up to its last complete line while the attempt runs); when an attempt's log closes,
 * the rest is shipped at once, after the outcome was handed on. A part that cannot be stored is
 * tried again at the next interval. {@link #stop} ships what is left, within a bound.
 *
 * <p>Parts, not one file replaced: object stores cannot append, and replacing a growing file would
 * upload a log of n bytes about n / interval-bytes times over.
 */
final class LogShipper {
  private static final Logger LOG = LoggerFactory.getLogger(LogShipper.class);

  /** The most bytes one part holds; a log that grew more since the last shipment gets several. */
  static final int MAX_PART = 4 << 20;

  /** How long {@link #stop} ships what is left at most. */
  static final Duration STOP_BOUND = Duration.ofSeconds(10);

  private final SharedLogs shared;
  private final String instanceName;
  private final Set<Shipment> open = ConcurrentHashMap.newKeySet();
  private final ScheduledThreadPoolExecutor thread;

  LogShipper(SharedLogs shared, Duration interval, String instanceName) {
    this.shared = shared;
    this.instanceName = instanceName;
    this.thread =
        new ScheduledThreadPoolExecutor(
            1, new ThreadFactoryBuilder().setNameFormat("fp-log-ship-%d").setDaemon(true).build());
    long ms = interval.toMillis();
    thread.scheduleWithFixedDelay(this::shipAll, ms, ms, TimeUnit.MILLISECONDS);
  }

  /** One claim's log: the file, where the claim's bytes start in it, and what was shipped. */
  final class Shipment {
    private final String prefix;
    private final long epoch;
    private final Path file;
    private final long base;
    private long shipped;
    private volatile boolean closed;
    private boolean warned;

    private Shipment(String prefix, long epoch, Path file, long base) {
      this.prefix = prefix;
      this.epoch = epoch;
      this.file = file;
      this.base = base;
    }

    /** The attempt's log closed: the rest is shipped now, off the caller's thread. */
    void close() {
      closed = true;
      try {
        thread.execute(() -> ship(this));
      } catch (RejectedExecutionException stopping) {
        // stop() ships what is left
      }
    }

    /** Ships what the file gained; returns whether all of it is shipped. */
    private synchronized boolean shipOnce() throws IOException {
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
        while (true) {
          long available = ch.size() - base - shipped;
          if (available <= 0) {
            return true;
          }
          int len = (int) Math.min(available, MAX_PART);
          ByteBuffer buf = ByteBuffer.allocate(len);
          while (buf.hasRemaining() && ch.read(buf, base + shipped + buf.position()) >= 0) {
            // positional reads until the part is in
          }
          int n = buf.position();
          boolean whole = closed || n == MAX_PART;
          if (!whole) {
            n = lastNewline(buf.array(), n);
            if (n == 0) {
              return false; // half a line: shipped once it ends or the log closes
            }
          }
          shared
              .store()
              .put(
                  SharedLogKeys.part(prefix, epoch, shipped, shipped + n),
                  new ByteArrayInputStream(buf.array(), 0, n));
          shipped += n;
          if (n < len) {
            return false;
          }
        }
      } catch (NoSuchFileException gone) {
        return true; // deleted here (retention): nothing left to ship
      }
    }
  }

  private static int lastNewline(byte[] b, int len) {
    for (int i = len - 1; i >= 0; i--) {
      if (b[i] == '\n') {
        return i + 1;
      }
    }
    return 0;
  }

  /**
   * Starts shipping one claim's log, whose file was just created or reopened: its bytes so far
   * belong to earlier claims.
   */
  Shipment track(long runId, String taskId, int attempt, long epoch, Path file, long base) {
    Shipment s = new Shipment(shared.attemptPrefix(runId, taskId, attempt), epoch, file, base);
    open.add(s);
    return s;
  }

  private void shipAll() {
    for (Shipment s : List.copyOf(open)) {
      ship(s);
    }
  }

  private void ship(Shipment s) {
    boolean closed = s.closed;
    try {
      if (s.shipOnce() && closed) {
        open.remove(s);
      }
    } catch (IOException | RuntimeException e) {
      if (!s.warned) {
        s.warned = true;
        LOG.warn(
            "[{}] cannot ship task log {} to {} (tried again every interval): {}",
            instanceName,
            s.file.getFileName(),
            shared.describe(),
            e.toString());
      } else {
        LOG.debug("[{}] cannot ship task log {}", instanceName, s.file.getFileName(), e);
      }
    }
  }

  /**
   * Stops the interval, then ships what is left: all of it within {@link #STOP_BOUND} (a shipment
   * under way when called is given that long too).
   */
  void stop() {
    long deadline = System.nanoTime() + STOP_BOUND.toNanos();
    thread.shutdownNow();
    try {
      if (!thread.awaitTermination(STOP_BOUND.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("[{}] a shipment to {} did not end", instanceName, shared.describe());
        return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    for (Shipment s : List.copyOf(open)) {
      if (System.nanoTime() - deadline > 0) {
        break;
      }
      s.closed = true;
      ship(s);
    }
    if (!open.isEmpty()) {
      LOG.warn(
          "[{}] stopped with {} task log(s) not fully shipped to {}",
          instanceName,
          open.size(),
          shared.describe());
    }
  }
}

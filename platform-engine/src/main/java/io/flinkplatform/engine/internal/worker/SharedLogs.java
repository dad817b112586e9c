package io.flinkplatform.engine.internal.worker;

import io.flinkplatform.engine.PlatformException;
import io.flinkplatform.engine.internal.worker.SharedLogKeys.Part;
import io.flinkplatform.engine.run.LogChunk;
import io.flinkplatform.engine.run.LogRange;
import io.flinkplatform.engine.storage.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The task logs shipped to the shared store ({@link SharedLogKeys} has the layout), as every
 * instance reads them: an attempt's log is the parts of each claim in epoch order, each claim's
 * parts laid end to end from its offset 0 (an overlap, left by a part shipped twice, is skipped; a
 * gap ends that claim's log). Also which runs have logs there and deleting them (housekeeping).
 */
public final class SharedLogs {
  private final BlobStore store;
  private final String installation;

  SharedLogs(BlobStore store, String installation) {
    this.store = store;
    this.installation = installation;
  }

  BlobStore store() {
    return store;
  }

  String attemptPrefix(long runId, String taskId, int attempt) {
    return SharedLogKeys.attempt(installation, runId, taskId, attempt);
  }

  /** One piece of the log: {@code length} bytes from {@code skip} into a part, at {@code at}. */
  private record Piece(String key, long skip, long at, long length) {}

  /** Reads one range of an attempt's shipped log; an empty chunk when nothing was shipped. */
  LogChunk read(long runId, String taskId, int attempt, LogRange range) {
    String prefix = attemptPrefix(runId, taskId, attempt);
    try {
      List<Piece> pieces = pieces(store.list(prefix));
      long size = pieces.isEmpty() ? 0 : last(pieces).at + last(pieces).length;
      long start = range.fromEnd() ? Math.max(0, size - range.maxBytes()) : range.offset();
      start = Math.min(start, size);
      long end = Math.min(size, start + range.maxBytes());
      byte[] b = new byte[(int) (end - start)];
      for (Piece p : pieces) {
        long from = Math.max(start, p.at);
        long to = Math.min(end, p.at + p.length);
        if (from < to) {
          readInto(p, from - p.at, b, (int) (from - start), (int) (to - from));
        }
      }
      return LogRanges.chunk(b, b.length, start, size);
    } catch (IOException e) {
      throw new PlatformException(
          "cannot read the shipped log of task '"
              + taskId
              + "' attempt "
              + attempt
              + " of run "
              + runId
              + " from "
              + store.describe()
              + ": "
              + e.getMessage(),
          e);
    }
  }

  private static Piece last(List<Piece> pieces) {
    return pieces.get(pieces.size() - 1);
  }

  /** The parts laid end to end: claims in epoch order, each from its offset 0 until a gap. */
  private static List<Piece> pieces(List<String> keys) {
    List<Part> parts = new ArrayList<>();
    for (String k : keys) {
      SharedLogKeys.parse(k).ifPresent(parts::add);
    }
    parts.sort(
        Comparator.comparingLong(Part::epoch)
            .thenComparingLong(Part::start)
            .thenComparing(Comparator.comparingLong(Part::end).reversed()));
    List<Piece> pieces = new ArrayList<>();
    long at = 0;
    long epoch = -1;
    long covered = 0;
    boolean gap = false;
    for (Part p : parts) {
      if (p.epoch() != epoch) {
        epoch = p.epoch();
        covered = 0;
        gap = false;
      }
      if (gap || p.end() <= covered) {
        continue;
      }
      if (p.start() > covered) {
        gap = true; // a part not shipped (yet): what follows waits for it
        continue;
      }
      long skip = covered - p.start();
      long length = p.end() - covered;
      pieces.add(new Piece(p.key(), skip, at, length));
      at += length;
      covered = p.end();
    }
    return pieces;
  }

  private void readInto(Piece p, long skip, byte[] b, int off, int len) throws IOException {
    Optional<InputStream> in = store.open(p.key);
    if (in.isEmpty()) {
      throw new IOException("part " + p.key + " disappeared while read");
    }
    try (InputStream s = in.get()) {
      s.skipNBytes(p.skip + skip);
      int n = s.readNBytes(b, off, len);
      if (n < len) {
        throw new IOException("part " + p.key + " is shorter than its name says");
      }
    }
  }

  /** The run ids that have shipped logs in the store. */
  public Set<Long> runs() throws IOException {
    Set<Long> ids = new TreeSet<>();
    for (String k : store.list(SharedLogKeys.installation(installation))) {
      SharedLogKeys.runOf(installation, k).ifPresent(ids::add);
    }
    return ids;
  }

  /** Deletes the shipped logs of the given runs; returns how many parts it deleted. */
  public int deleteRuns(Collection<Long> runIds) throws IOException {
    int n = 0;
    for (long id : Set.copyOf(runIds)) {
      n += store.deleteAll(SharedLogKeys.run(installation, id));
    }
    return n;
  }

  /** Where the shared store is, for logs: never a credential ({@link BlobStore#describe}). */
  public String describe() {
    return store.describe();
  }
}

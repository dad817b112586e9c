package io.flinkplatform.engine.internal.progress;

import io.flinkplatform.engine.internal.progress.Completion.Outcome;
import io.flinkplatform.engine.internal.progress.Completion.Stop;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * What waits for the completer's next commit: the queue every thread adds to, the batch being
 * committed, the items split off a failing batch to commit one by one, and the outcomes not yet
 * stored.
 */
final class CompletionQueue {
  private final LinkedBlockingQueue<Completion> queue = new LinkedBlockingQueue<>();

  /**
   * Outcomes queued or being committed. Their attempts ended here but are RUNNING in the database
   * until the commit, so the heartbeat keeps renewing their leases: a commit delayed by the
   * database must not let the reaper hand finished work to another instance to run again.
   */
  private final Set<Result> pendingOutcomes = ConcurrentHashMap.newKeySet();

  // the committing thread's (the completer's, or in manual mode the caller's): the batch being
  // committed and the items split off a failing batch to commit one by one
  private final List<Completion> batch = new ArrayList<>();
  private final ArrayDeque<Completion> isolated = new ArrayDeque<>();

  void add(Completion item) {
    if (item instanceof Outcome o) {
      pendingOutcomes.add(o.result());
    }
    queue.add(item);
  }

  /** The attempt ids of the outcomes not stored yet. */
  List<Long> pendingAttemptIds() {
    return pendingOutcomes.stream().map(r -> r.claim().id()).distinct().toList();
  }

  /** The items queued, not counting the batch being committed. */
  int queued() {
    return queue.size();
  }

  /** Everything not committed: queued, isolated and in the batch. */
  int uncommitted() {
    return batch.size() + isolated.size() + queue.size();
  }

  /** Whether nothing waits for a commit (nor is being committed). */
  boolean idle() {
    return queue.isEmpty() && isolated.isEmpty() && batch.isEmpty();
  }

  /**
   * The batch to commit: the one that failed, else one isolated item, else what is queued (waiting
   * up to {@code pollMillis} for the first item, at most {@code batchSize}). Empty if nothing came.
   */
  List<Completion> batch(long pollMillis, int batchSize) throws InterruptedException {
    if (batch.isEmpty()) {
      if (!isolated.isEmpty()) {
        batch.add(isolated.poll()); // after repeated failures: one item per transaction
      } else {
        Completion first =
            pollMillis > 0 ? queue.poll(pollMillis, TimeUnit.MILLISECONDS) : queue.poll();
        if (first == null) {
          return batch;
        }
        batch.add(first);
        queue.drainTo(batch, batchSize - 1);
      }
    }
    return batch;
  }

  /** Removes the stop mark from the batch; whether it held one. */
  boolean takeStop() {
    return batch.removeIf(c -> c instanceof Stop);
  }

  /** The batch was committed (or dropped). */
  void clearBatch() {
    batch.clear();
  }

  /** Commits all but the first item of the failing batch one by one later; false if it has one. */
  boolean isolateAllButFirst() {
    if (batch.size() <= 1) {
      return false;
    }
    isolated.addAll(batch.subList(1, batch.size()));
    batch.subList(1, batch.size()).clear();
    return true;
  }

  /** Replaces the batch's one outcome {@code old} by {@code replacement}. */
  void replaceFirst(Result old, Result replacement) {
    pendingOutcomes.remove(old);
    pendingOutcomes.add(replacement);
    batch.set(0, new Outcome(replacement));
  }

  /** These outcomes are stored (or dropped): their leases need no renewal any more. */
  void settled(List<Result> results) {
    results.forEach(pendingOutcomes::remove);
  }
}

package io.flinkplatform.engine.internal.progress;

import io.flinkplatform.engine.event.PlatformEvent;
import io.flinkplatform.engine.internal.alert.AlertRaiser;
import io.flinkplatform.engine.internal.claim.Claim;
import io.flinkplatform.engine.internal.common.Events;
import io.flinkplatform.engine.internal.common.Loop;
import io.flinkplatform.engine.internal.common.Outage;
import io.flinkplatform.engine.internal.common.Signals;
import io.flinkplatform.engine.internal.metrics.Meters;
import io.flinkplatform.engine.internal.progress.Completion.HandBack;
import io.flinkplatform.engine.internal.progress.Completion.Outcome;
import io.flinkplatform.engine.internal.progress.Completion.Release;
import io.flinkplatform.engine.internal.progress.Completion.Stop;
import io.flinkplatform.engine.internal.store.Store;
import io.flinkplatform.engine.run.TaskState;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits attempt outcomes in batches: every result that arrived while the previous transaction ran
 * goes into the next one (group commit). A failed transaction is retried with backoff, so a
 * database outage delays results but never loses them while the instance lives. The queue is {@link
 * CompletionQueue}, one transaction {@link BatchCommit}; this class takes batches and retries them.
 */
public final class Completer implements Runnable, Loop.Pass {
  private static final Logger LOG = LoggerFactory.getLogger(Completer.class);
  private static final String UNSTORABLE = "the platform could not store the outcome ";
  private final Events events;
  private final Clock clock;
  private final int batchSize;
  private final CompletionQueue queue = new CompletionQueue();
  private final Outage outage;
  private final BatchCommit commit;
  private final Meters meters;
  private volatile boolean running = true;
  private volatile long lastStepNanos = System.nanoTime();

  // the committing thread's: failures in a row
  private int failures;

  public Completer(
      Store store,
      Progress progress,
      Events events,
      Clock clock,
      int batchSize,
      Signals signals,
      AlertRaiser alerts,
      Meters meters) {
    this.meters = meters;
    this.events = events;
    this.clock = clock;
    this.outage = new Outage("completer", LOG, events, clock, signals);
    this.batchSize = batchSize;
    this.commit = new BatchCommit(store, progress, events, clock, signals, outage, queue, alerts);
  }

  public void submit(Result result) {
    queue.add(new Outcome(result));
  }

  /** The attempt ids of the outcomes queued or being committed (their leases are kept). */
  public List<Long> pendingAttemptIds() {
    return queue.pendingAttemptIds();
  }

  /** Gives a claimed attempt back (stop, lost lease) so that any instance may claim it again. */
  public void handBack(Claim claim) {
    queue.add(new HandBack(claim));
  }

  /**
   * Records that a running external attempt released the tasks behind its RUNNING edges, and starts
   * them, in the next commit.
   */
  public void releaseDownstream(Claim claim) {
    queue.add(new Release(claim));
  }

  /**
   * {@link System#nanoTime()} when the last step began: an idle completer steps every 200 ms, a
   * busy one after each commit, so an old value means a commit that does not end (health).
   */
  public long lastStepNanos() {
    return lastStepNanos;
  }

  public int pending() {
    return queue.queued();
  }

  /** Stops after everything queued so far was committed (or {@code stop} was called twice). */
  public void stop() {
    running = false;
    queue.add(new Stop());
  }

  @Override
  public void run() {
    while (step(200)) {
      // until stopped and drained, or interrupted
    }
  }

  /**
   * Manual mode: commits what is queued now on the calling thread, batch by batch, until the queue
   * is empty or a commit failed (the failed batch is retried by the next call). Returns 0.
   */
  @Override
  public long runOnce() {
    while (!queue.idle()) {
      if (!step(0) || failures > 0) {
        break;
      }
    }
    return 0;
  }

  /** Whether nothing waits for a commit (manual mode: nothing is being committed either). */
  public boolean idle() {
    return queue.idle();
  }

  /**
   * Takes the next batch (waiting up to {@code pollMillis} for the first outcome) and commits it; a
   * failed batch stays for the next step, after a backoff. Returns false when the loop ends.
   */
  private boolean step(long pollMillis) {
    lastStepNanos = System.nanoTime();
    List<Completion> batch = List.of();
    try {
      batch = queue.batch(pollMillis, batchSize);
      if (batch.isEmpty()) {
        return running;
      }
      if (queue.takeStop()) {
        running = false;
      }
      if (!batch.isEmpty()) {
        long start = System.nanoTime();
        commit.commit(batch);
        measure(batch, System.nanoTime() - start);
      }
      queue.clearBatch();
      failures = 0;
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      LOG.warn(
          "completer interrupted with {} result(s) uncommitted; their leases will lapse "
              + "and another instance will run them again",
          queue.uncommitted());
      return false;
    } catch (Throwable t) {
      failures++;
      boolean outage = Outage.isTransient(t);
      if (!this.outage.failed(t) || !outage) {
        events.emit(new PlatformEvent.UnexpectedError(clock.instant(), "completer", t));
        LOG.error(
            "completer failed ({} in a row); retrying the batch of {}", failures, batch.size(), t);
      }
      if (!outage && failures >= 3) {
        // first split the batch to find the item that fails; give that one up later
        boolean split = queue.isolateAllButFirst();
        if (!split && failures >= 5) {
          giveUp(batch.get(0));
          failures = 0;
        }
      }
      try {
        Thread.sleep(this.outage.backoffMillis());
        return true;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
  }

  /** Counts a committed batch and its outcomes (a loop over the batch, no allocation). */
  private void measure(List<Completion> batch, long nanos) {
    if (!meters.enabled()) {
      return;
    }
    meters.committed(batch.size(), nanos);
    long now = clock.millis();
    for (Completion c : batch) {
      if (c instanceof Outcome o) {
        Result r = o.result();
        Long started = r.claim().attempt().startedAt;
        meters.attemptEnded(
            r.claim().attempt().taskType, r.state(), started == null ? -1 : now - started);
      }
    }
  }

  /**
   * One item cannot be stored although the database answers: store a plain failure instead of an
   * outcome, or, if that was the failure already, leave the attempt to its lease (it runs again).
   */
  private void giveUp(Completion item) {
    if (item instanceof Outcome o
        && (o.result().message() == null || !o.result().message().startsWith(UNSTORABLE))) {
      Result r = o.result();
      LOG.error(
          "cannot store the outcome {} of {}; recording a failure instead",
          r.state(),
          r.claim().describe());
      Result failure =
          new Result(
              r.claim(),
              TaskState.FAILED,
              false,
              null,
              UNSTORABLE + r.state() + "; see the instance's log",
              null);
      queue.replaceFirst(r, failure);
    } else {
      if (item instanceof Outcome o) {
        queue.settled(List.of(o.result()));
      }
      LOG.error(
          "dropping {} after repeated failures; its lease will lapse and it will run again",
          describe(item));
      queue.clearBatch();
    }
  }

  private static String describe(Completion item) {
    if (item instanceof Outcome o) {
      return o.result().claim().describe();
    }
    if (item instanceof HandBack h) {
      return h.claim().describe();
    }
    return item instanceof Release r ? r.claim().describe() : "the stop mark";
  }
}

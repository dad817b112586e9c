package io.flinkplatform.engine.internal.progress;

import io.flinkplatform.engine.event.PlatformEvent;
import io.flinkplatform.engine.internal.claim.Claim;
import io.flinkplatform.engine.internal.common.Events;
import io.flinkplatform.engine.internal.common.Loop;
import io.flinkplatform.engine.internal.common.Outage;
import io.flinkplatform.engine.internal.common.Signals;
import io.flinkplatform.engine.internal.store.Store;
import io.flinkplatform.engine.run.TaskState;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits attempt outcomes in batches: every result that arrived while the previous transaction ran
 * goes into the next one (group commit). A failed transaction is retried with backoff, so a
 * database outage delays results but never loses them while the instance lives.
 */
public final class Completer implements Runnable, Loop.Pass {
  private static final Logger LOG = LoggerFactory.getLogger(Completer.class);
  private static final Object STOP = new Object();
  private static final String UNSTORABLE = "the platform could not store the outcome ";
  private final Store store;
  private final Progress progress;
  private final Events events;
  private final Clock clock;
  private final int batchSize;
  private final Signals signals;
  private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  private final Outage outage;
  private volatile boolean running = true;

  /**
   * Outcomes queued or being committed. Their attempts ended here but are RUNNING in the database
   * until the commit, so the heartbeat keeps renewing their leases: a commit delayed by the
   * database must not let the reaper hand finished work to another instance to run again.
   */
  private final Set<Result> pendingOutcomes = ConcurrentHashMap.newKeySet();

  // the committing thread's (the completer's, or in manual mode the caller's): the batch being
  // committed, outcomes split off a failing batch to commit one by one, failures in a row
  private final List<Object> batch = new ArrayList<>();
  private final ArrayDeque<Object> isolated = new ArrayDeque<>();
  private int failures;

  public Completer(
      Store store, Progress progress, Events events, Clock clock, int batchSize, Signals signals) {
    this.store = store;
    this.progress = progress;
    this.events = events;
    this.clock = clock;
    this.outage = new Outage("completer", LOG, events, clock);
    this.batchSize = batchSize;
    this.signals = signals;
  }

  public void submit(Result result) {
    pendingOutcomes.add(result);
    queue.add(result);
  }

  /** The attempt ids of {@link #pendingOutcomes}. */
  public List<Long> pendingAttemptIds() {
    return pendingOutcomes.stream().map(r -> r.claim().id()).distinct().toList();
  }

  /** Gives a claimed attempt back (stop, lost lease) so that any instance may claim it again. */
  public void handBack(Claim claim) {
    queue.add(claim);
  }

  /**
   * Records that a running external attempt released the tasks behind its RUNNING edges, and starts
   * them, in the next commit.
   */
  public void releaseDownstream(Claim claim) {
    queue.add(new Release(claim));
  }

  public int pending() {
    return queue.size();
  }

  /** Stops after everything queued so far was committed (or {@code stop} was called twice). */
  public void stop() {
    running = false;
    queue.add(STOP);
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
    while (!(queue.isEmpty() && isolated.isEmpty() && batch.isEmpty())) {
      if (!step(0) || failures > 0) {
        break;
      }
    }
    return 0;
  }

  /** Whether nothing waits for a commit (manual mode: nothing is being committed either). */
  public boolean idle() {
    return queue.isEmpty() && isolated.isEmpty() && batch.isEmpty();
  }

  /**
   * Takes the next batch (waiting up to {@code pollMillis} for the first outcome) and commits it; a
   * failed batch stays for the next step, after a backoff. Returns false when the loop ends.
   */
  private boolean step(long pollMillis) {
    try {
      if (batch.isEmpty()) {
        if (!isolated.isEmpty()) {
          batch.add(isolated.poll()); // after repeated failures: one outcome per transaction
        } else {
          Object first =
              pollMillis > 0 ? queue.poll(pollMillis, TimeUnit.MILLISECONDS) : queue.poll();
          if (first == null) {
            return running;
          }
          batch.add(first);
          queue.drainTo(batch, batchSize - 1);
        }
      }
      if (batch.remove(STOP)) {
        running = false;
      }
      if (!batch.isEmpty()) {
        commit(batch);
      }
      batch.clear();
      failures = 0;
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      LOG.warn(
          "completer interrupted with {} result(s) uncommitted; their leases will lapse "
              + "and another instance will run them again",
          batch.size() + isolated.size() + queue.size());
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
        if (batch.size() > 1) {
          isolated.addAll(batch.subList(1, batch.size()));
          batch.subList(1, batch.size()).clear();
        } else if (failures >= 5) {
          giveUp(batch);
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

  /**
   * One outcome cannot be stored although the database answers: store a plain failure instead, or,
   * if that was the failure already, leave the attempt to its lease (it will run again).
   */
  private void giveUp(List<Object> batch) {
    Object o = batch.get(0);
    if (o instanceof Result r && (r.message() == null || !r.message().startsWith(UNSTORABLE))) {
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
      pendingOutcomes.remove(r);
      pendingOutcomes.add(failure);
      batch.set(0, failure);
    } else {
      if (o instanceof Result r) {
        pendingOutcomes.remove(r);
      }
      LOG.error(
          "dropping {} after repeated failures; its lease will lapse and it will run again",
          o instanceof Result r
              ? r.claim().describe()
              : o instanceof Release r ? r.claim().describe() : ((Claim) o).describe());
      batch.clear();
    }
  }

  private void commit(List<Object> batch) {
    List<Result> results = new ArrayList<>();
    List<Claim> handBacks = new ArrayList<>();
    List<Claim> releases = new ArrayList<>();
    for (Object o : batch) {
      if (o instanceof Result r) {
        results.add(r);
      } else if (o instanceof Release r) {
        releases.add(r.claim());
      } else {
        handBacks.add((Claim) o);
      }
    }
    long now = clock.millis();
    Progress.Changes changes =
        store.tx(
            "commit " + results.size() + " outcome(s)",
            m -> {
              Progress.Changes c =
                  results.isEmpty() ? new Progress.Changes() : progress.complete(m, results);
              if (!releases.isEmpty()) {
                progress.release(m, releases, c);
              }
              for (Claim h : handBacks) {
                if (m.handBack(h.id(), h.epoch(), now) > 0) {
                  c.readied = true;
                  c.nextReadyAt = Math.min(c.nextReadyAt, now);
                }
              }
              return c;
            });
    outage.recovered();
    results.forEach(pendingOutcomes::remove);
    for (Result s : changes.stale) {
      LOG.warn(
          "rejected the outcome {} of {}: its claim (epoch {}) is no longer valid",
          s.state(),
          s.claim().describe(),
          s.claim().epoch());
    }
    if (changes.alreadyApplied > 0) {
      LOG.info(
          "{} outcome(s) were already stored: an earlier commit of them went through although it"
              + " reported a failure",
          changes.alreadyApplied);
    }
    events.emitAll(changes.events);
    if (changes.readied) {
      signals.workReady(changes.nextReadyAt);
    }
    if (!changes.closedRuns.isEmpty()) {
      signals.runClosed();
    }
  }

  private record Release(Claim claim) {}
}

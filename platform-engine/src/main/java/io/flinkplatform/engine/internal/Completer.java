package io.flinkplatform.engine.internal;

import io.flinkplatform.engine.event.PlatformEvent;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits attempt outcomes in batches: every result that arrived while the previous transaction ran
 * goes into the next one (group commit). A failed transaction is retried with backoff, so a
 * database outage delays results but never loses them while the instance lives.
 */
final class Completer implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(Completer.class);
  private final Store store;
  private final Progress progress;
  private final Events events;
  private final Clock clock;
  private final int batchSize;
  private final Consumer<Progress.Changes> afterCommit;
  private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  private volatile boolean running = true;
  private final Outage outage = new Outage("completer", LOG);

  Completer(
      Store store,
      Progress progress,
      Events events,
      Clock clock,
      int batchSize,
      Consumer<Progress.Changes> afterCommit) {
    this.store = store;
    this.progress = progress;
    this.events = events;
    this.clock = clock;
    this.batchSize = batchSize;
    this.afterCommit = afterCommit;
  }

  void submit(Result result) {
    queue.add(result);
  }

  /** Gives a claimed attempt back (stop, lost lease) so that any instance may claim it again. */
  void handBack(Claim claim) {
    queue.add(claim);
  }

  int pending() {
    return queue.size();
  }

  /** Stops after everything queued so far was committed (or {@code stop} was called twice). */
  void stop() {
    running = false;
    queue.add(STOP);
  }

  private static final Object STOP = new Object();

  @Override
  public void run() {
    List<Object> batch = new ArrayList<>();
    while (true) {
      try {
        if (batch.isEmpty()) {
          Object first = queue.poll(200, TimeUnit.MILLISECONDS);
          if (first == null) {
            if (!running) {
              return;
            }
            continue;
          }
          batch.add(first);
          queue.drainTo(batch, batchSize - 1);
        }
        boolean stopSeen = batch.remove(STOP);
        commit(batch);
        batch.clear();
        if (stopSeen && queue.isEmpty()) {
          return;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        LOG.warn(
            "completer interrupted with {} result(s) uncommitted; their leases will lapse "
                + "and another instance will run them again",
            batch.size() + queue.size());
        return;
      } catch (Throwable t) {
        events.emit(new PlatformEvent.UnexpectedError(clock.instant(), "completer", t));
        if (!outage.failed(t)) {
          LOG.error("completer failed; retrying the batch of {}", batch.size(), t);
        }
        try {
          Thread.sleep(outage.backoffMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  private void commit(List<Object> batch) {
    List<Result> results = new ArrayList<>();
    List<Claim> handBacks = new ArrayList<>();
    for (Object o : batch) {
      if (o instanceof Result r) {
        results.add(r);
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
              for (Claim h : handBacks) {
                if (m.handBack(h.id(), h.epoch(), now) > 0) {
                  c.readied = true;
                  c.nextReadyAt = Math.min(c.nextReadyAt, now);
                }
              }
              return c;
            });
    outage.recovered();
    for (Result s : changes.stale) {
      LOG.warn(
          "rejected the outcome {} of {}: its claim (epoch {}) is no longer valid",
          s.state(),
          s.claim().describe(),
          s.claim().epoch());
    }
    events.emitAll(changes.events);
    afterCommit.accept(changes);
  }
}

package io.flinkplatform.engine.internal.worker;

import io.flinkplatform.engine.internal.common.Loop;
import io.flinkplatform.engine.internal.common.Signals;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The loop that polls external work: it holds the next poll of every external attempt between two
 * polls, with the local monotonic time it is due, and hands each due one to the worker pool (a poll
 * may block; it holds no worker permit). What a poll does is {@link ExternalDriver}'s. In manual
 * mode {@link #pollAll} polls every waiting attempt at once, whatever its poll interval.
 */
public final class ExternalPoller implements Loop.Pass {
  private final ExecutorService workers;
  private final Signals signals;
  private final Map<LocalAttempt, Due> due = new ConcurrentHashMap<>();
  private final AtomicInteger inFlight = new AtomicInteger();

  public ExternalPoller(ExecutorService workers, Signals signals) {
    this.workers = workers;
    this.signals = signals;
  }

  /** The next poll of one attempt and the monotonic time it is due at. */
  private record Due(Runnable poll, long atNanos) {}

  /** Runs the next {@code poll} of the attempt once {@code delayMillis} passed. */
  void schedule(LocalAttempt attempt, Runnable poll, long delayMillis) {
    long at = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(0, delayMillis));
    due.put(attempt, new Due(poll, at));
    signals.pollDue();
  }

  /** Whether the attempt's next poll waits here (it is not being polled now). */
  boolean scheduled(LocalAttempt attempt) {
    return due.containsKey(attempt);
  }

  /** One pass: starts the due polls; returns the time until the next one is due. */
  @Override
  public long runOnce() {
    long now = System.nanoTime();
    long next = Long.MAX_VALUE;
    for (Map.Entry<LocalAttempt, Due> e : due.entrySet()) {
      long left = e.getValue().atNanos() - now;
      if (left > 0) {
        next = Math.min(next, left);
      } else if (due.remove(e.getKey(), e.getValue())) {
        start(e.getValue().poll());
      }
    }
    return next == Long.MAX_VALUE ? Loop.IDLE : TimeUnit.NANOSECONDS.toMillis(next + 999_999);
  }

  /** Manual mode: starts the next poll of every waiting external attempt now. Returns 0. */
  public long pollAll() {
    for (LocalAttempt attempt : due.keySet()) {
      Due next = due.remove(attempt);
      if (next != null) {
        start(next.poll());
      }
    }
    return 0;
  }

  /** Whether no poll runs or waits to start on the worker pool (polls due later do not count). */
  public boolean idle() {
    return inFlight.get() == 0;
  }

  private void start(Runnable poll) {
    inFlight.incrementAndGet();
    try {
      workers.execute(
          () -> {
            try {
              poll.run();
            } finally {
              inFlight.decrementAndGet();
            }
          });
    } catch (RejectedExecutionException stopping) {
      inFlight.decrementAndGet(); // the instance stops: the next owner re-attaches
    }
  }
}

package io.flinkplatform.engine.internal.worker;

import io.flinkplatform.engine.internal.progress.Result;
import io.flinkplatform.engine.internal.worker.CancelSignal.Cause;
import io.flinkplatform.engine.run.TaskState;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Abandons attempts that do not end within the cancellation grace after a timeout, kill or release
 * cancelled them: a task that ignores interrupts, a plugin call that hangs. Such an attempt is
 * recorded FAILED (timeout, retried as its policy says unless it is external work, which may still
 * run) or KILLED, or handed back (release), and its thread's stack is logged once. External work
 * whose system ignores the cancel and keeps reporting it running ends the same way, without a
 * thread: it is no longer polled, and the log says once that it may still run. It leaves the
 * executor's attempts, so its lease is no longer renewed once the outcome is committed.
 *
 * <p>Its worker permit is given back, and the worker pool gets one more thread for as long as the
 * abandoned thread runs: a hung plugin neither keeps a slot nor makes other work queue behind it.
 * The threads are counted ({@link #abandonedThreads()}, reported by {@code Platform.stats()}); if
 * one ends after all, the pool shrinks back.
 */
public final class Watchdog {
  private static final Logger LOG = LoggerFactory.getLogger(Watchdog.class);
  private final Executor executor;
  private final ExecutorService workers;
  private final ScheduledExecutorService timers;
  private final Duration grace;
  private final AtomicLong abandoned = new AtomicLong();
  private final AtomicInteger threads = new AtomicInteger();

  /** Why a timed-out external attempt is not retried: a retry could run its work twice. */
  static final String NOT_RETRIED = "; not retried, since its external work may still run";

  Watchdog(
      Executor executor, ExecutorService workers, ScheduledExecutorService timers, Duration grace) {
    this.executor = executor;
    this.workers = workers;
    this.timers = timers;
    this.grace = grace;
  }

  /** The attempt was just cancelled: check it once the grace has passed. */
  void watch(LocalAttempt la) {
    try {
      timers.schedule(() -> overdue(la), grace.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // stopping: stop() reports the attempts still running
    }
  }

  /**
   * If the attempt is still not over, abandon it. External work between two polls that a kill or
   * timeout cancelled is abandoned too (its external system ignored the cancel); a released one is
   * left to its poll, which hands it back with the work still running for the next owner. External
   * work whose plugin call began less than the grace ago (a poll under way) counts as between
   * polls: only a call that has lasted the grace is a hung one, whose thread is abandoned. Runs on
   * the timer thread: never blocks.
   */
  private void overdue(LocalAttempt la) {
    try {
      Thread stuck = la.inPlugin();
      if (la.finished.get()) {
        return;
      }
      // a poll that is merely under way is no hung call: its work is abandoned, not its thread
      boolean hung = stuck != null && (!la.external || la.callNanos() >= grace.toNanos());
      if (la.external && !hung) {
        if (la.lost || la.cancel.cause() == Cause.RELEASE) {
          return;
        }
        if (executor.abandonExternal(la, grace)) {
          abandoned.incrementAndGet();
        } else if (!la.finished.get()) {
          watch(la); // not submitted yet: a hung submission is caught as a hung call next time
        }
        return;
      }
      String why =
          la.cancel.reason()
              + "; the task did not stop within "
              + Outcomes.describe(grace)
              + " and was abandoned"
              + (la.external && la.cancel.cause() == Cause.TIMEOUT ? NOT_RETRIED : "");
      Result result =
          switch (la.cancel.cause()) {
            case KILL -> Outcomes.result(la.claim, TaskState.KILLED, false, Map.of(), why, la.log);
            case TIMEOUT -> // external work that may still run is not started a second time
                Outcomes.result(la.claim, TaskState.FAILED, !la.external, Map.of(), why, la.log);
            case RELEASE -> null;
          };
      if (!executor.finish(la, result, la.log)) {
        return;
      }
      abandoned.incrementAndGet();
      if (stuck == null) {
        LOG.warn("{}: {} (it had not started)", la.claim.describe(), why);
        return;
      }
      la.leftRunning.set(true);
      int running = threads.incrementAndGet();
      resizeWorkers(1);
      LOG.warn(
          "{}: {}; its thread {} is left running ({} abandoned thread(s) on this instance), at:{}",
          la.claim.describe(),
          why,
          stuck.getName(),
          running,
          stackOf(stuck));
      left(la); // in case it ended just now
    } catch (Throwable t) {
      LOG.error("checking the cancelled {} failed", la.claim.describe(), t);
    }
  }

  /**
   * Called when a thread leaves plugin code of an attempt: if it had been abandoned, it is counted
   * off and the worker pool shrinks back.
   */
  void left(LocalAttempt la) {
    if (la.inPlugin() == null && la.leftRunning.compareAndSet(true, false)) {
      int running = threads.decrementAndGet();
      resizeWorkers(-1);
      LOG.info(
          "the abandoned thread of {} ended after all ({} still running)",
          la.claim.describe(),
          running);
    }
  }

  private void resizeWorkers(int delta) {
    if (workers instanceof ThreadPoolExecutor pool) {
      synchronized (pool) {
        if (delta > 0) {
          pool.setMaximumPoolSize(pool.getMaximumPoolSize() + delta);
          pool.setCorePoolSize(pool.getCorePoolSize() + delta);
        } else {
          pool.setCorePoolSize(pool.getCorePoolSize() + delta);
          pool.setMaximumPoolSize(pool.getMaximumPoolSize() + delta);
        }
      }
    }
  }

  private static String stackOf(Thread t) {
    StringBuilder b = new StringBuilder();
    for (StackTraceElement e : t.getStackTrace()) {
      b.append(System.lineSeparator()).append("\tat ").append(e);
    }
    return b.toString();
  }

  /** Attempts abandoned since start. */
  long abandonedAttempts() {
    return abandoned.get();
  }

  /** Threads of abandoned attempts that still run. */
  int abandonedThreads() {
    return threads.get();
  }
}

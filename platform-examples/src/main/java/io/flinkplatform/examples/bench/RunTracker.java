package io.flinkplatform.examples.bench;

import io.flinkplatform.engine.event.PlatformEvent;
import io.flinkplatform.engine.event.PlatformEvent.RunStateChanged;
import io.flinkplatform.engine.event.PlatformEvent.TaskStateChanged;
import io.flinkplatform.engine.event.PlatformListener;
import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.run.TaskState;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the runs of one workflow that ended, from the platform's events, and notes when the first
 * task was claimed and when the last run ended. Scenarios run one after the other, so {@link
 * #reset} between them is enough to keep their figures apart.
 */
public final class RunTracker implements PlatformListener {
  private final AtomicLong firstClaimNanos = new AtomicLong();
  private String workflow = "";
  private long succeeded;
  private long failed;
  private long lastEndNanos;
  private long unexpectedErrors;

  public synchronized void reset(String workflowName) {
    workflow = workflowName;
    succeeded = 0;
    failed = 0;
    lastEndNanos = 0;
    unexpectedErrors = 0;
    firstClaimNanos.set(0);
  }

  @Override
  public void onEvent(PlatformEvent event) {
    if (event instanceof TaskStateChanged t) {
      if (t.state() == TaskState.RUNNING && firstClaimNanos.get() == 0) {
        firstClaimNanos.compareAndSet(0, System.nanoTime());
      }
    } else if (event instanceof RunStateChanged r && r.state().isFinal()) {
      ended(r);
    } else if (event instanceof PlatformEvent.UnexpectedError) {
      synchronized (this) {
        unexpectedErrors++;
      }
    }
  }

  private synchronized void ended(RunStateChanged r) {
    if (!r.workflowName().equals(workflow)) {
      return;
    }
    if (r.state() == RunState.SUCCESS) {
      succeeded++;
    } else {
      failed++;
    }
    lastEndNanos = System.nanoTime();
    notifyAll();
  }

  /** Waits until {@code runs} runs ended; false on timeout. */
  public synchronized boolean await(long runs, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (succeeded + failed < runs) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      wait(Math.max(1, left / 1_000_000));
    }
    return true;
  }

  public synchronized long succeeded() {
    return succeeded;
  }

  public synchronized long failed() {
    return failed;
  }

  public synchronized long lastEndNanos() {
    return lastEndNanos;
  }

  public synchronized long unexpectedErrors() {
    return unexpectedErrors;
  }

  public long firstClaimNanos() {
    return firstClaimNanos.get();
  }
}

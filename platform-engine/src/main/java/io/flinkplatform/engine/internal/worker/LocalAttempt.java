package io.flinkplatform.engine.internal.worker;

import io.flinkplatform.engine.internal.claim.Claim;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/** An attempt this instance holds: its claim, its cancellation signal and its worker permit. */
public final class LocalAttempt {
  public final Claim claim;
  final CancelSignal cancel;
  public volatile Thread thread;

  /** The timer that fires the timeout, if the task has one. */
  volatile ScheduledFuture<?> timeout;

  /** Local monotonic time at which it was queued for a worker permit (claimed ahead). */
  volatile long queuedNanos;

  /** Set once the attempt gave its worker permit back (external work, or finished). */
  final AtomicBoolean permitReturned = new AtomicBoolean();

  public final AtomicBoolean finished = new AtomicBoolean();

  /**
   * Set once this instance knows (or must assume) that its claim is gone: whatever cancelled the
   * attempt first (a timeout may fire at the same moment), nothing more is done for it here.
   */
  public volatile boolean lost;

  /** The attempt's log, once opened. */
  volatile LogSink log;

  /** Whether it is driven as external work (no thread between polls). */
  volatile boolean external;

  /** The thread in a plugin call for external work (submit, re-attach, poll), if any. */
  volatile Thread busy;

  /** Local monotonic time at which the current plugin call for external work began. */
  private volatile long busySinceNanos;

  /**
   * Set while a thread that was abandoned in this attempt (it did not stop after its cancellation
   * and grace period) is counted as still running; cleared once, by whoever sees it end.
   */
  final AtomicBoolean leftRunning = new AtomicBoolean();

  /**
   * Local monotonic time ({@link System#nanoTime()}) at which this instance must stop the attempt
   * unless a renewal moves it on: from the claim, then from each renewal that confirmed the claim.
   */
  public volatile long fenceAtNanos;

  LocalAttempt(Claim claim, java.util.concurrent.Executor callbacks) {
    this.claim = claim;
    this.cancel = new CancelSignal(callbacks);
    this.fenceAtNanos = claim.fenceAtNanos();
  }

  /** Whether the lease surely still holds by the local monotonic clock (fencing margin kept). */
  public boolean leaseHolds() {
    return System.nanoTime() - fenceAtNanos < 0;
  }

  /** A plugin call for external work (submit, re-attach, poll) begins on the calling thread. */
  void enterCall() {
    busySinceNanos = System.nanoTime();
    busy = Thread.currentThread();
  }

  /** How long the current plugin call for external work has lasted, or zero when none runs. */
  long callNanos() {
    return busy == null ? 0 : System.nanoTime() - busySinceNanos;
  }

  /** The thread running plugin code for this attempt now, if any. */
  Thread inPlugin() {
    Thread t = thread;
    return t != null ? t : busy;
  }
}

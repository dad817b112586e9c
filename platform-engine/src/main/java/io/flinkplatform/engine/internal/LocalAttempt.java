package io.flinkplatform.engine.internal;

/** An attempt this instance holds: its claim, its cancellation signal and its worker permit. */
final class LocalAttempt {
  final Claim claim;
  final CancelSignal cancel = new CancelSignal();
  volatile Thread thread;

  /** The timer that fires the timeout, if the task has one. */
  volatile java.util.concurrent.ScheduledFuture<?> timeout;

  /** Set once the attempt gave its worker permit back (external work, or finished). */
  final java.util.concurrent.atomic.AtomicBoolean permitReturned =
      new java.util.concurrent.atomic.AtomicBoolean();

  final java.util.concurrent.atomic.AtomicBoolean finished =
      new java.util.concurrent.atomic.AtomicBoolean();

  /**
   * Set once this instance knows (or must assume) that its claim is gone: whatever cancelled the
   * attempt first (a timeout may fire at the same moment), nothing more is done for it here.
   */
  volatile boolean lost;

  /**
   * Local monotonic time ({@link System#nanoTime()}) at which this instance must stop the attempt
   * unless a renewal moves it on: from the claim, then from each renewal that confirmed the claim.
   */
  volatile long fenceAtNanos;

  LocalAttempt(Claim claim) {
    this.claim = claim;
    this.fenceAtNanos = claim.fenceAtNanos();
  }

  /** Whether the lease surely still holds by the local monotonic clock (fencing margin kept). */
  boolean leaseHolds() {
    return System.nanoTime() - fenceAtNanos < 0;
  }
}

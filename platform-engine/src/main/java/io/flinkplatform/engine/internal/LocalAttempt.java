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

  LocalAttempt(Claim claim) {
    this.claim = claim;
  }
}

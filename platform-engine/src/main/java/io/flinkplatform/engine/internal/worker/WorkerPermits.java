package io.flinkplatform.engine.internal.worker;

import java.util.concurrent.Semaphore;

/**
 * The worker permits of this instance: one per worker thread. The dispatcher takes permits before
 * it claims; a synchronous attempt holds one until it ends, an external attempt gives it back once
 * submitted. Every permit given back wakes the dispatcher ({@code onSlotFree}).
 */
final class WorkerPermits {
  private final Semaphore permits;
  private final Runnable onSlotFree;

  WorkerPermits(int permits, Runnable onSlotFree) {
    this.permits = new Semaphore(permits);
    this.onSlotFree = onSlotFree;
  }

  /** Takes up to {@code wanted} permits at once; returns how many it got. */
  int acquire(int wanted) {
    int got = 0;
    while (got < wanted && permits.tryAcquire()) {
      got++;
    }
    return got;
  }

  /** Gives back permits taken but not used by a claim. */
  void returnPermits(int n) {
    permits.release(n);
  }

  /** Gives back the attempt's permit, once. */
  void returnPermit(LocalAttempt la) {
    if (la.permitReturned.compareAndSet(false, true)) {
      permits.release();
      onSlotFree.run();
    }
  }
}

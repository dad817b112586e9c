package io.flinkplatform.engine.internal;

/** Wakes callers waiting for runs to end when this instance closed one. */
final class RunWaiters {
  synchronized void signalAll() {
    notifyAll();
  }

  synchronized void await(long millis) throws InterruptedException {
    if (millis > 0) {
      wait(millis);
    }
  }
}

package io.flinkplatform.engine.internal.query;

/** Wakes callers waiting for runs to end when this instance closed one. */
public final class RunWaiters {
  public synchronized void signalAll() {
    notifyAll();
  }

  synchronized void await(long millis) throws InterruptedException {
    if (millis > 0) {
      wait(millis);
    }
  }
}

package io.flinkplatform.engine.internal.common;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/** A signal a loop waits on with a timeout, so local events wake it before its next poll. */
public final class Wakeup {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition signalled = lock.newCondition();
  private boolean pending;

  public void signal() {
    lock.lock();
    try {
      pending = true;
      signalled.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Waits until signalled or {@code millis} passed; clears the signal. */
  public void await(long millis) throws InterruptedException {
    lock.lock();
    try {
      long nanos = TimeUnit.MILLISECONDS.toNanos(Math.max(0, millis));
      while (!pending && nanos > 0) {
        nanos = signalled.awaitNanos(nanos);
      }
      pending = false;
    } finally {
      lock.unlock();
    }
  }
}

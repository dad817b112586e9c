package io.flinkplatform.engine.internal.worker;

import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * The worker slots of this instance: one permit per worker thread, and a bounded queue of attempts
 * claimed ahead that wait for one. A synchronous attempt holds a permit until it ends, an external
 * attempt gives it back once submitted. A permit given back goes straight to the next waiting
 * attempt, so a freed slot starts claimed work with no round trip to the database.
 *
 * <p>The dispatcher asks for {@link #room} before it claims. It gets some while a permit is free or
 * the queue is below its low-water mark (half of it), and then as much as fills the free permits
 * and the queue: claims come in batches while the queue drains, not one transaction per freed slot.
 * A permit given back wakes the dispatcher ({@code onRoom}) only when there is such room. Without a
 * queue ({@code ahead} 0) every permit given back wakes it, and it claims for the free permits.
 */
final class WorkerPermits {
  private final int ahead;
  private final int lowWater;
  private final Consumer<LocalAttempt> run;
  private final Runnable onRoom;
  private final ArrayDeque<LocalAttempt> waiting = new ArrayDeque<>();
  private int free;

  /**
   * {@code run} starts an attempt that holds a permit on a worker thread; {@code onRoom} wakes the
   * dispatcher.
   */
  WorkerPermits(int permits, int ahead, Consumer<LocalAttempt> run, Runnable onRoom) {
    this.free = permits;
    this.ahead = permits == 0 ? 0 : ahead; // a client-only instance claims nothing
    this.lowWater = (this.ahead + 1) / 2;
    this.run = run;
    this.onRoom = onRoom;
  }

  /** How many attempts, at most {@code max}, the dispatcher may claim now (see the class). */
  synchronized int room(int max) {
    return hasRoom() ? Math.min(max, free + ahead - waiting.size()) : 0;
  }

  private boolean hasRoom() {
    return free > 0 || waiting.size() < lowWater;
  }

  /** Runs a newly claimed attempt on a free permit, or queues it until one is given back. */
  void offer(LocalAttempt la) {
    synchronized (this) {
      if (free == 0) {
        waiting.add(la);
        return;
      }
      free--;
    }
    run.accept(la);
  }

  /**
   * Takes a queued attempt out of the queue (it ends before it started, holding no permit); false
   * if it is not queued (it started, or is starting).
   */
  boolean withdraw(LocalAttempt la) {
    boolean wake;
    synchronized (this) {
      if (!waiting.remove(la)) {
        return false;
      }
      la.permitReturned.set(true); // it never had one
      wake = hasRoom();
    }
    if (wake) {
      onRoom.run();
    }
    return true;
  }

  /** Gives back the attempt's permit, once: to the next queued attempt, if one waits. */
  void returnPermit(LocalAttempt la) {
    if (!la.permitReturned.compareAndSet(false, true)) {
      return;
    }
    LocalAttempt next;
    boolean wake;
    synchronized (this) {
      next = waiting.poll();
      if (next == null) {
        free++;
      }
      wake = hasRoom();
    }
    if (next != null) {
      run.accept(next);
    }
    if (wake) {
      onRoom.run();
    }
  }

  /** Attempts claimed and waiting for a permit. */
  synchronized int queued() {
    return waiting.size();
  }
}

package io.flinkplatform.engine.internal.worker;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The worker slots of this instance: one permit per worker thread, and a bounded queue of attempts
 * claimed ahead that wait for one. A synchronous attempt holds a permit until it ends, an external
 * attempt gives it back once submitted. A permit given back goes straight to the next waiting
 * attempt, so a freed slot starts claimed work with no round trip to the database.
 *
 * <p>The queue holds at most {@code ahead} attempts, and at most as many as ended here within about
 * one window (the poll interval): a waiting attempt then waits about as long as another instance
 * would take to find it, so short tasks keep every thread busy while long ones are not hoarded
 * (without ends, as at the start, nothing is claimed ahead). An attempt that waited longer than two
 * windows and at least {@link #MIN_OVERDUE_MILLIS} all the same (the threads went to long tasks
 * after it was claimed) is {@link #overdue}: the executor hands it back, so that another instance
 * may run it. The floor keeps a short poll interval from handing back attempts that merely wait
 * behind tasks of a fraction of a second.
 *
 * <p>The dispatcher asks for {@link #room} before it claims. It gets some while a permit is free or
 * the queue is below its low-water mark (half of it), and then as much as fills the free permits
 * and the queue: claims come in batches while the queue drains, not one transaction per freed slot.
 * A permit given back wakes the dispatcher ({@code onRoom}) only when there is such room. Without a
 * queue every permit given back wakes it, and it claims for the free permits.
 */
final class WorkerPermits {
  /** The least time a queued attempt waits before it is {@link #overdue}. */
  static final long MIN_OVERDUE_MILLIS = 1_000;

  private final int ahead;
  private final long windowNanos;
  private final long overdueNanos;
  private final Consumer<LocalAttempt> run;
  private final Runnable onRoom;
  private final ArrayDeque<LocalAttempt> waiting = new ArrayDeque<>();
  private int free;
  private long windowStart = System.nanoTime();
  private int endedNow; // attempts that gave their permit back in the current window
  private int endedBefore; // in the window before

  /**
   * {@code run} starts an attempt that holds a permit on a worker thread; {@code onRoom} wakes the
   * dispatcher.
   */
  WorkerPermits(
      int permits, int ahead, long windowMillis, Consumer<LocalAttempt> run, Runnable onRoom) {
    this.free = permits;
    this.ahead = permits == 0 ? 0 : ahead; // a client-only instance claims nothing
    this.windowNanos = TimeUnit.MILLISECONDS.toNanos(windowMillis);
    this.overdueNanos =
        TimeUnit.MILLISECONDS.toNanos(Math.max(2 * windowMillis, MIN_OVERDUE_MILLIS));
    this.run = run;
    this.onRoom = onRoom;
  }

  /** How many attempts, at most {@code max}, the dispatcher may claim now (see the class). */
  synchronized int room(int max) {
    int ahead = ahead();
    return hasRoom(ahead) ? Math.max(0, Math.min(max, free + ahead - waiting.size())) : 0;
  }

  private boolean hasRoom(int ahead) {
    return free > 0 || waiting.size() < (ahead + 1) / 2;
  }

  /** The queue's bound now: {@code ahead}, and the attempts that ended here lately. */
  private int ahead() {
    long now = System.nanoTime();
    long passed = now - windowStart;
    if (passed >= windowNanos) {
      endedBefore = passed < 2 * windowNanos ? endedNow : 0;
      endedNow = 0;
      windowStart = now;
    }
    return Math.min(ahead, Math.max(endedNow, endedBefore));
  }

  /** Runs a newly claimed attempt on a free permit, or queues it until one is given back. */
  void offer(LocalAttempt la) {
    synchronized (this) {
      if (free == 0) {
        la.queuedNanos = System.nanoTime();
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
      wake = hasRoom(ahead());
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
      int ahead = ahead();
      endedNow++;
      next = waiting.poll();
      if (next == null) {
        free++;
      }
      wake = hasRoom(ahead);
    }
    if (next != null) {
      run.accept(next);
    }
    if (wake) {
      onRoom.run();
    }
  }

  /**
   * The queued attempts that waited for a permit longer than two windows and at least {@link
   * #MIN_OVERDUE_MILLIS}, the oldest first.
   */
  synchronized List<LocalAttempt> overdue() {
    long now = System.nanoTime();
    List<LocalAttempt> out = new ArrayList<>();
    for (LocalAttempt la : waiting) {
      if (now - la.queuedNanos <= overdueNanos) {
        break; // queued in order: the rest waited less
      }
      out.add(la);
    }
    return out;
  }

  /** Attempts claimed and waiting for a permit. */
  synchronized int queued() {
    return waiting.size();
  }
}

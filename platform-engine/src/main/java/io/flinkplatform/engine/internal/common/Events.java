package io.flinkplatform.engine.internal.common;

import io.flinkplatform.engine.event.PlatformEvent;
import io.flinkplatform.engine.event.PlatformListener;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands events to the listeners, off the engine's threads: {@link #emit} only puts the event in a
 * bounded queue, and one daemon thread per instance ({@code fp-events-<instance>}) calls the
 * listeners in emission order. A listener that throws is logged; one that blocks delays only the
 * events after it. When the queue is full the event is dropped and counted ({@link #dropped()}),
 * with a WARN line at most every {@link #DROP_REPORT_SECONDS} seconds: the engine never waits for a
 * listener.
 */
public final class Events {
  private static final Logger LOG = LoggerFactory.getLogger(Events.class);

  /** At most one WARN line about dropped events per this many seconds. */
  static final long DROP_REPORT_SECONDS = 10;

  /** How long {@link #stop} lets the listeners catch up before it interrupts the thread. */
  private static final long DRAIN_MILLIS = 2_000;

  private final List<PlatformListener> listeners;
  private final BlockingQueue<PlatformEvent> queue;
  private final Thread thread;
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong queued = new AtomicLong();
  private final AtomicLong handled = new AtomicLong();
  private final AtomicLong reportedDrops = new AtomicLong();
  private final AtomicLong nextReport = new AtomicLong(System.nanoTime());
  private volatile boolean running = true;
  private volatile boolean halted;

  public Events(List<PlatformListener> listeners) {
    this(listeners, io.flinkplatform.engine.Platform.DEFAULT_EVENT_QUEUE_CAPACITY, "events");
  }

  public Events(List<PlatformListener> listeners, int capacity, String instance) {
    this.listeners = List.copyOf(listeners);
    this.queue = new ArrayBlockingQueue<>(capacity);
    if (this.listeners.isEmpty()) {
      thread = null;
    } else {
      thread = new Thread(this::deliver, "fp-events-" + instance);
      thread.setDaemon(true);
      thread.start();
    }
  }

  /** Queues the event for the listeners; never blocks. */
  public void emit(PlatformEvent event) {
    if (thread == null || !running) {
      return;
    }
    queued.incrementAndGet(); // before the offer: the thread may take it at once
    if (!queue.offer(event)) {
      queued.decrementAndGet();
      long total = dropped.incrementAndGet();
      long now = System.nanoTime();
      long due = nextReport.get();
      if (now - due >= 0
          && nextReport.compareAndSet(due, now + TimeUnit.SECONDS.toNanos(DROP_REPORT_SECONDS))) {
        long before = reportedDrops.getAndSet(total);
        LOG.warn(
            "dropped {} event(s) ({} in all): the listeners do not keep up and the queue of {} is"
                + " full",
            total - before,
            total,
            queue.size() + queue.remainingCapacity());
      }
    }
  }

  public void emitAll(List<? extends PlatformEvent> events) {
    events.forEach(this::emit);
  }

  /** Events dropped since start because the queue was full. */
  public long dropped() {
    return dropped.get();
  }

  /**
   * Waits until every event queued so far was handed to every listener, for a test that drives the
   * loops itself (manual mode) and reads what its listeners saw; returns false after {@code
   * timeout}, or at once when the listeners do not keep up because delivery stopped.
   */
  public boolean awaitDelivered(Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    long target = queued.get();
    while (handled.get() < target) {
      if (thread == null || halted || System.nanoTime() - end > 0) {
        return thread == null;
      }
      TimeUnit.MILLISECONDS.sleep(1);
    }
    return true;
  }

  private void deliver() {
    while (!halted && (running || !queue.isEmpty())) {
      PlatformEvent event;
      try {
        event = queue.poll(100, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        return;
      }
      if (event == null) {
        continue;
      }
      for (PlatformListener l : listeners) {
        try {
          l.onEvent(event);
        } catch (Throwable e) {
          if (halted) {
            return;
          }
          LOG.warn("listener {} failed on {}", l, event, e);
        }
      }
      handled.incrementAndGet();
    }
  }

  /**
   * Stops delivery: lets the listeners take what is queued for up to two seconds, then interrupts
   * the thread (a listener that ignores that is left to end by itself; the thread is a daemon).
   */
  public void stop() {
    if (thread == null || !running) {
      return;
    }
    running = false;
    try {
      thread.join(DRAIN_MILLIS);
      if (thread.isAlive()) {
        halted = true;
        thread.interrupt();
        thread.join(500);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    long unreported = dropped.get() - reportedDrops.get();
    if (unreported > 0) {
      LOG.warn("dropped {} more event(s) ({} in all) since the last report", unreported, dropped());
    }
    if (thread.isAlive()) {
      LOG.warn("{} did not end: a listener blocks; it is left to end by itself", thread.getName());
    } else if (!queue.isEmpty()) {
      LOG.info("{} event(s) were not delivered before the stop", queue.size());
    }
  }
}

package io.flinkplatform.engine.internal;

import io.flinkplatform.engine.StoreException;
import io.flinkplatform.engine.event.PlatformEvent;
import java.time.Clock;
import org.slf4j.Logger;

/**
 * Tracks a loop's database outage so it logs once per outage, not once per attempt, and backs off
 * between tries.
 */
final class Outage {
  private final String loop;
  private final Logger log;
  private final Events events;
  private final Clock clock;
  private int failures;

  Outage(String loop, Logger log, Events events, Clock clock) {
    this.loop = loop;
    this.log = log;
    this.events = events;
    this.clock = clock;
  }

  /** Records a failure; returns true if it was a database error (already logged once). */
  synchronized boolean failed(Throwable t) {
    failures++;
    if (!(t instanceof StoreException)) {
      return false;
    }
    if (failures == 1) {
      events.emit(new PlatformEvent.DatabaseUnreachable(clock.instant(), loop, t.getMessage()));
      log.warn(
          "{}: database unavailable ({}); retrying with backoff until it returns",
          loop,
          t.getMessage());
    }
    return true;
  }

  synchronized void recovered() {
    if (failures > 0) {
      log.info("{}: database reachable again after {} failed attempt(s)", loop, failures);
      events.emit(new PlatformEvent.DatabaseReachable(clock.instant(), loop, failures));
      failures = 0;
    }
  }

  /**
   * What a loop does when one turn failed: emits an {@code UnexpectedError}, logs (once per
   * database outage, every time otherwise) and waits the backoff on {@code wakeup}.
   *
   * @return false if interrupted while waiting (the interrupt flag is set again): the loop ends
   */
  boolean reportAndBackOff(Throwable t, Events events, Clock clock, Wakeup wakeup) {
    events.emit(new PlatformEvent.UnexpectedError(clock.instant(), loop, t));
    if (!failed(t)) {
      log.error("{} failed; carrying on", loop, t);
    }
    try {
      wakeup.await(backoffMillis());
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  synchronized long backoffMillis() {
    return Math.min(5_000L, 50L << Math.min(failures, 7));
  }
}

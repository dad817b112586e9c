package io.flinkplatform.engine.internal;

import io.flinkplatform.engine.StoreException;
import org.slf4j.Logger;

/**
 * Tracks a loop's database outage so it logs once per outage, not once per attempt, and backs off
 * between tries.
 */
final class Outage {
  private final String loop;
  private final Logger log;
  private int failures;

  Outage(String loop, Logger log) {
    this.loop = loop;
    this.log = log;
  }

  /** Records a failure; returns true if it was a database error (already logged once). */
  synchronized boolean failed(Throwable t) {
    failures++;
    if (!(t instanceof StoreException)) {
      return false;
    }
    if (failures == 1) {
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
      failures = 0;
    }
  }

  synchronized long backoffMillis() {
    return Math.min(5_000L, 50L << Math.min(failures, 7));
  }
}

package io.flinkplatform.engine.internal;

/**
 * Database time, for leases. Every instance reads the database's clock when it renews its leases
 * and extrapolates with its own monotonic clock in between, so all instances measure leases on one
 * timeline: an instance whose clock runs ahead never takes another's lease for lapsed early, and
 * one whose clock runs behind never keeps a dead instance's work waiting. Schedules, backoffs and
 * the timestamps shown to users keep following the platform's {@link java.time.Clock}; the
 * scheduler also waits for {@link #reached()} so that a clock running ahead does not fire early.
 */
final class LeaseClock {
  /**
   * One reading of the database's clock: its value, and the local monotonic time halfway through
   * and at the end of the round trip. Replaced as a whole, so readers never mix two readings.
   */
  private record Reading(long dbMillis, long midNanos, long endNanos) {}

  private volatile Reading last = new Reading(0, 0, 0);

  /** Reads the database's clock, halfway through the round trip. */
  void sync(StoreMapper m) {
    long before = System.nanoTime();
    long db = m.selectDatabaseMillis();
    long after = System.nanoTime();
    last = new Reading(db, before + (after - before) / 2, after);
  }

  /** The database's time now, as last read and carried forward by the local monotonic clock. */
  long millis() {
    Reading r = last;
    return r.dbMillis() + (System.nanoTime() - r.midNanos()) / 1_000_000;
  }

  /**
   * A time the database's clock has surely reached: the last reading carried forward from the end
   * of its round trip (the server read its clock before then).
   */
  long reached() {
    Reading r = last;
    return r.dbMillis() + (System.nanoTime() - r.endNanos()) / 1_000_000;
  }
}

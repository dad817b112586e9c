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
  private volatile long anchorMillis;
  private volatile long anchorNanos;

  private volatile long readNanos;

  /** Reads the database's clock, halfway through the round trip. */
  void sync(StoreMapper m) {
    long before = System.nanoTime();
    long db = m.selectDatabaseMillis();
    long after = System.nanoTime();
    anchorNanos = before + (after - before) / 2;
    readNanos = after;
    anchorMillis = db;
  }

  /** The database's time now, as last read and carried forward by the local monotonic clock. */
  long millis() {
    return anchorMillis + (System.nanoTime() - anchorNanos) / 1_000_000;
  }

  /**
   * A time the database's clock has surely reached: the last reading carried forward from the end
   * of its round trip (the server read its clock before then).
   */
  long reached() {
    return anchorMillis + (System.nanoTime() - readNanos) / 1_000_000;
  }
}

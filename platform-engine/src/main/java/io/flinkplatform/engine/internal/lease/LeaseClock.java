package io.flinkplatform.engine.internal.lease;

import io.flinkplatform.engine.internal.store.StoreMapper;

/**
 * An estimate of the database's clock: read at every heartbeat and carried forward with the local
 * monotonic clock in between. It serves ready times (work is due once this instance's clock or the
 * database's reached it) and schedules (which wait for {@link #reached()}, so that a clock running
 * ahead does not fire early). Leases never use it: a stall of the database in the middle of a
 * reading skews the estimate by up to half the stall, so lease times are written and compared by
 * the database's own clock in the statement itself (see StoreMapper.xml).
 */
public final class LeaseClock {
  /**
   * One reading of the database's clock: its value, and the local monotonic time halfway through
   * and at the end of the round trip. Replaced as a whole, so readers never mix two readings.
   */
  private record Reading(long dbMillis, long midNanos, long endNanos) {}

  private volatile Reading last = new Reading(0, 0, 0);

  /** Reads the database's clock, halfway through the round trip. */
  public void sync(StoreMapper m) {
    long before = System.nanoTime();
    long db = m.selectDatabaseMillis();
    long after = System.nanoTime();
    last = new Reading(db, before + (after - before) / 2, after);
  }

  /** The database's time now, as last read and carried forward by the local monotonic clock. */
  public long millis() {
    Reading r = last;
    return r.dbMillis() + (System.nanoTime() - r.midNanos()) / 1_000_000;
  }

  /**
   * A time the database's clock has surely reached: the last reading carried forward from the end
   * of its round trip (the server read its clock before then).
   */
  public long reached() {
    Reading r = last;
    return r.dbMillis() + (System.nanoTime() - r.endNanos()) / 1_000_000;
  }
}

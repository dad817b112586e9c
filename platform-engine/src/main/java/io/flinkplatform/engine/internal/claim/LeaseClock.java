package io.flinkplatform.engine.internal.claim;

import static java.util.Objects.requireNonNull;

import io.flinkplatform.engine.internal.store.StoreMapper;
import java.time.Clock;

/**
 * An estimate of the database's clock: read at every heartbeat and carried forward with the local
 * monotonic clock in between. It serves ready times (work is due once this instance's clock or the
 * database's reached it) and schedules (which wait for {@link #reached()}, so that a clock running
 * ahead does not fire early). Leases never use it: a stall of the database in the middle of a
 * reading skews the estimate by up to half the stall, so lease times are written and compared by
 * the database's own clock in the statement itself (see StoreMapper.xml).
 *
 * <p>In manual mode ({@link #following}) it is the platform's clock instead, so that a clock a test
 * moves drives ready times and schedules alone.
 */
public final class LeaseClock {
  /**
   * One reading of the database's clock: its value, and the local monotonic time halfway through
   * and at the end of the round trip. Replaced as a whole, so readers never mix two readings.
   */
  private record Reading(long dbMillis, long midNanos, long endNanos) {}

  private volatile Reading last = new Reading(0, 0, 0);

  /** The clock this one stands for in manual mode; null: the database's. */
  private final Clock platformClock;

  /** An estimate of the database's clock, read by {@link #sync}. */
  public LeaseClock() {
    this(null);
  }

  private LeaseClock(Clock platformClock) {
    this.platformClock = platformClock;
  }

  /** Manual mode: the platform's clock stands for the database's ({@link #sync} reads nothing). */
  public static LeaseClock following(Clock platformClock) {
    return new LeaseClock(requireNonNull(platformClock));
  }

  /** Reads the database's clock, halfway through the round trip. */
  public void sync(StoreMapper m) {
    if (platformClock != null) {
      return;
    }
    long before = System.nanoTime();
    long db = m.selectDatabaseMillis();
    long after = System.nanoTime();
    last = new Reading(db, before + (after - before) / 2, after);
  }

  /** The database's time now, as last read and carried forward by the local monotonic clock. */
  public long millis() {
    if (platformClock != null) {
      return platformClock.millis();
    }
    Reading r = last;
    return r.dbMillis() + (System.nanoTime() - r.midNanos()) / 1_000_000;
  }

  /**
   * A time the database's clock has surely reached: the last reading carried forward from the end
   * of its round trip (the server read its clock before then).
   */
  public long reached() {
    if (platformClock != null) {
      return platformClock.millis();
    }
    Reading r = last;
    return r.dbMillis() + (System.nanoTime() - r.endNanos()) / 1_000_000;
  }
}

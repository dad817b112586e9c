package io.flinkplatform.engine.testing;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock that stands still until a test moves it: {@link #set(Instant)} jumps to a time, {@link
 * #advance(Duration)} moves forward. Give it to {@code Platform.Builder.clock(Clock)} (or let
 * {@link ManualPlatform} make one) so that schedules, retry delays and timeouts follow the test's
 * time instead of the wall clock. Millisecond precision, always UTC; thread-safe.
 *
 * <pre>{@code
 * ManualClock clock = new ManualClock(Instant.parse("2026-06-01T00:00:00Z"));
 * clock.advance(Duration.ofMinutes(5));
 * }</pre>
 */
public final class ManualClock extends Clock {
  private final AtomicLong millis;

  /** A clock standing at {@code start} (truncated to milliseconds). */
  public ManualClock(Instant start) {
    this.millis = new AtomicLong(requireNonNull(start, "start is null").toEpochMilli());
  }

  /** Moves the clock to {@code instant}, forward or back. */
  public void set(Instant instant) {
    millis.set(requireNonNull(instant, "instant is null").toEpochMilli());
  }

  /** Moves the clock forward by {@code d}. */
  public void advance(Duration d) {
    requireNonNull(d, "duration is null");
    checkArgument(!d.isNegative(), "cannot advance by a negative duration: %s", d);
    millis.addAndGet(d.toMillis());
  }

  @Override
  public long millis() {
    return millis.get();
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(millis());
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  /** This clock itself: its time is the same in every zone, and it stays UTC. */
  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }

  @Override
  public String toString() {
    return "ManualClock[" + instant() + "]";
  }
}

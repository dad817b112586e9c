package io.flinkplatform.engine.internal.schedule;

import io.flinkplatform.engine.internal.common.Loop;
import java.time.Clock;

/**
 * The scheduler loop's firing pass as its thread runs it: the loop is woken by every closed run
 * (for {@link Admission}, which starts held runs), and a firing pass at each of those wake-ups read
 * the due schedules and the next fire time again, two statements per completion batch in a drain,
 * for nothing. A turn before the time the last pass asked for runs nothing unless a schedule
 * changed on this instance since; a full pass still runs at least every poll interval of real time
 * (the wait a pass asks for is never longer), so schedules changed by other instances are seen as
 * before. Manual mode runs {@link ScheduleLoop} itself, every turn a full pass.
 */
public final class FireWhenDue implements Loop.Pass {
  private final Loop.Pass schedules;
  private final Clock clock;
  private final long pollMillis;
  private volatile boolean changed = true;
  private long dueAt = Long.MIN_VALUE; // the loop's thread only
  private long passNanos; // the loop's thread only: when the last full pass began

  /** {@code schedules}: {@link ScheduleLoop}'s pass. */
  public FireWhenDue(Loop.Pass schedules, Clock clock, long pollMillis) {
    this.schedules = schedules;
    this.clock = clock;
    this.pollMillis = pollMillis;
  }

  /** A schedule was created, changed, paused or resumed here: the next turn is a full pass. */
  public void changed() {
    changed = true;
  }

  @Override
  public long runOnce() throws Exception {
    long now = clock.millis();
    // a clock set back by more than a poll interval, or one that stands still (a host's clock
    // in a test), still gets a full pass once a poll interval of real time has passed
    long nanos = System.nanoTime();
    if (!changed
        && now < dueAt
        && dueAt - now <= pollMillis
        && nanos - passNanos < pollMillis * 1_000_000L) {
      return Math.min(dueAt - now, pollMillis - (nanos - passNanos) / 1_000_000L);
    }
    passNanos = nanos;
    changed = false; // before the pass: a change signalled during it is seen by the next turn
    dueAt = Long.MIN_VALUE; // a pass that fails is run again at the next turn
    long wait = schedules.runOnce();
    dueAt = clock.millis() + wait;
    return wait;
  }
}

package io.flinkplatform.engine.internal.metrics;

import io.flinkplatform.engine.internal.common.Loop;
import io.flinkplatform.engine.internal.store.GroupCount;
import io.flinkplatform.engine.internal.store.Store;
import io.flinkplatform.engine.internal.store.StoreMapper;
import java.time.Clock;
import java.util.List;

/**
 * Reads the READY attempts due now by priority band once per pass of its own loop (one grouped
 * count on the claim index), so a scrape reads a number instead of querying. Bands by effective
 * priority (task plus workflow priority, plus ageing): {@code high} above 0, {@code normal} 0,
 * {@code low} below 0.
 */
public final class QueueDepth implements Loop.Pass {
  /** The longest time between two reads. */
  public static final long MAX_PERIOD_MILLIS = 5_000;

  private final Store store;
  private final Meters meters;
  private final Clock clock;

  public QueueDepth(Store store, Meters meters, Clock clock) {
    this.store = store;
    this.meters = meters;
    this.clock = clock;
  }

  /** The period for a platform polling every {@code pollMillis}: ten polls, at most 5 s. */
  public static long periodMillis(long pollMillis) {
    return Math.min(MAX_PERIOD_MILLIS, Math.max(100, pollMillis * 10));
  }

  @Override
  public long runOnce() {
    long now = clock.millis();
    List<GroupCount> counts =
        store.tx("count ready attempts", (StoreMapper m) -> m.countReadyDue(now));
    long high = 0;
    long normal = 0;
    long low = 0;
    for (GroupCount g : counts) {
      // the column is the negated priority
      if (g.bucket < 0) {
        high += g.count;
      } else if (g.bucket == 0) {
        normal += g.count;
      } else {
        low += g.count;
      }
    }
    meters.readyAttempts(high, normal, low);
    return Loop.IDLE;
  }
}

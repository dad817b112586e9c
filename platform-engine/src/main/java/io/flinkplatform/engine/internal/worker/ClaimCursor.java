package io.flinkplatform.engine.internal.worker;

import io.flinkplatform.engine.internal.store.AttemptRow;
import io.flinkplatform.engine.internal.store.ClaimFrom;
import java.util.List;

/**
 * Where the dispatcher's next claim starts its scan (loop thread only): behind the last attempt of
 * the previous claim while claims come back full, so that a drain does not walk the delete-marked
 * entries its own claims left at the front of the index ({@link ClaimFrom}); from the front after a
 * claim that was not full or did not take all it locked, after a failed claim, and at least every
 * {@link #FRONT_EVERY_NANOS}, so that a higher priority or an older attempt that became ready
 * behind the cursor waits at most that much longer than a scan from the front would make it.
 */
final class ClaimCursor {
  /** The longest time between two claims that scan from the index's front: 50 ms. */
  static final long FRONT_EVERY_NANOS = 50_000_000L;

  private ClaimFrom from;
  private long frontAt;

  /** Where the next claim starts: null for the front (and the front is then counted as scanned). */
  ClaimFrom next(long nanoNow) {
    if (from == null || nanoNow - frontAt >= FRONT_EVERY_NANOS) {
      from = null;
      frontAt = nanoNow;
    }
    return from;
  }

  /**
   * A claim asked for {@code limit} attempts, locked {@code selected} in claim order and took
   * {@code taken} of them: the next one continues behind the last only if all were taken and the
   * batch was full (more may wait behind it).
   */
  void claimed(int limit, List<AttemptRow> selected, int taken) {
    if (selected.size() == limit && taken == selected.size() && limit > 0) {
      AttemptRow last = selected.get(selected.size() - 1);
      from = new ClaimFrom(last.negPriority, last.id);
    } else {
      from = null;
    }
  }

  /** A claim failed: the next one scans from the front. */
  void reset() {
    from = null;
  }
}

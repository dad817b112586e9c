package io.flinkplatform.engine.internal.worker;

import io.flinkplatform.engine.internal.store.AttemptRow;
import io.flinkplatform.engine.internal.store.ClaimFrom;
import java.util.List;

/**
 * Where the dispatcher's next claim starts its scan: behind the last attempt of the previous claim
 * while claims come back full, so that a drain does not walk the delete-marked entries its own
 * claims left at the front of the index ({@link ClaimFrom}); from the front after a claim that was
 * not full or did not take all it locked, after a failed claim, after work was made ready on this
 * instance (a downstream task or a hand-back may sit behind the cursor), and at least every half
 * poll interval, so that work of a higher priority, or an older attempt that another instance made
 * ready behind the cursor, is still found within a poll interval, as an idle instance finds work
 * made ready elsewhere.
 *
 * <p>{@link #next} and {@link #claimed} run on the dispatcher's thread; {@link #front} and {@link
 * #disable} on any.
 */
final class ClaimCursor {
  private final long frontEveryNanos;
  private ClaimFrom from;
  private long frontAt;
  private volatile boolean frontNext;
  private volatile boolean disabled;

  /** {@code frontEveryNanos}: the longest time between two claims that scan from the front. */
  ClaimCursor(long frontEveryNanos) {
    this.frontEveryNanos = frontEveryNanos;
  }

  /** Where the next claim starts: null for the front (and the front is then counted as scanned). */
  ClaimFrom next(long nanoNow) {
    if (frontNext || disabled || from == null || nanoNow - frontAt >= frontEveryNanos) {
      frontNext = false;
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

  /**
   * Work was made ready here, perhaps behind the cursor, or a claim failed: the next claim scans
   * from the front.
   */
  void front() {
    frontNext = true;
  }

  /** Every claim from now on scans from the front (manual mode: an order that is the index's). */
  void disable() {
    disabled = true;
  }
}

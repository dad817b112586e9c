package io.flinkplatform.engine.internal.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinkplatform.engine.internal.store.AttemptRow;
import io.flinkplatform.engine.internal.store.ClaimFrom;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * When the dispatcher's claim continues behind the previous one and when it scans from the front: a
 * stale cursor would hide attempts that became ready behind it, so every way back to the front is
 * checked.
 */
class ClaimCursorTest {
  private static final long MS = 1_000_000L;
  private final ClaimCursor cursor = new ClaimCursor(50 * MS);

  @Test
  void theFirstClaimScansFromTheFront() {
    assertThat(cursor.next(0)).isNull();
  }

  @Test
  void aFullClaimThatTookAllItLockedIsContinuedBehindItsLastAttempt() {
    cursor.next(0);
    cursor.claimed(3, rows(3, 11, 12, 13), 3);

    assertThat(cursor.next(10 * MS)).isEqualTo(new ClaimFrom(3, 13));
    cursor.claimed(2, rows(4, 20, 21), 2);
    assertThat(cursor.next(20 * MS)).isEqualTo(new ClaimFrom(4, 21));
  }

  @Test
  void theFrontIsScannedAgainOnceItsIntervalPassedSinceTheLastFrontScan() {
    cursor.next(0);
    cursor.claimed(3, rows(0, 1, 2, 3), 3);
    assertThat(cursor.next(49 * MS)).isNotNull();
    cursor.claimed(3, rows(0, 4, 5, 6), 3);

    assertThat(cursor.next(50 * MS)).isNull();
    cursor.claimed(3, rows(0, 7, 8, 9), 3);
    // counted from that front scan, not from the first
    assertThat(cursor.next(99 * MS)).isEqualTo(new ClaimFrom(0, 9));
    cursor.claimed(3, rows(0, 10, 11, 12), 3);
    assertThat(cursor.next(100 * MS)).isNull();
  }

  @Test
  void aClaimThatWasNotFullSendsTheNextToTheFront() {
    cursor.next(0);
    cursor.claimed(3, rows(0, 1, 2), 2);

    assertThat(cursor.next(MS)).isNull();
  }

  @Test
  void aClaimThatFoundNothingSendsTheNextToTheFront() {
    cursor.next(0);
    cursor.claimed(3, rows(0, 1, 2, 3), 3);
    cursor.next(MS);
    cursor.claimed(3, List.of(), 0);

    assertThat(cursor.next(2 * MS)).isNull();
  }

  @Test
  void aClaimThatLeftSomeOfItsRowsToALimitSendsTheNextToTheFront() {
    cursor.next(0);
    // a full pool refused one of the three: it waits behind the cursor for a slot
    cursor.claimed(3, rows(0, 1, 2, 3), 2);

    assertThat(cursor.next(MS)).isNull();
  }

  @Test
  void workMadeReadyHereSendsTheNextClaimToTheFront() {
    cursor.next(0);
    cursor.claimed(3, rows(0, 1, 2, 3), 3);
    cursor.front(); // e.g. a completion here readied a downstream task with a lower id

    assertThat(cursor.next(MS)).isNull();
    cursor.claimed(3, rows(0, 4, 5, 6), 3);
    assertThat(cursor.next(2 * MS)).isEqualTo(new ClaimFrom(0, 6)); // once
  }

  @Test
  void aDisabledCursorSendsEveryClaimToTheFront() {
    cursor.disable(); // manual mode
    cursor.next(0);
    cursor.claimed(3, rows(0, 1, 2, 3), 3);

    assertThat(cursor.next(MS)).isNull();
  }

  @Test
  void aFailedClaimSendsTheNextToTheFront() {
    cursor.next(0);
    cursor.claimed(3, rows(0, 1, 2, 3), 3);
    cursor.front(); // as the dispatcher does when a claim fails

    assertThat(cursor.next(MS)).isNull();
  }

  private static List<AttemptRow> rows(int negPriority, long... ids) {
    List<AttemptRow> out = new ArrayList<>();
    for (long id : ids) {
      AttemptRow r = new AttemptRow();
      r.id = id;
      r.negPriority = negPriority;
      out.add(r);
    }
    return out;
  }
}

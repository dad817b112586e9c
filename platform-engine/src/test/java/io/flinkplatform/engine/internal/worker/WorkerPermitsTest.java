package io.flinkplatform.engine.internal.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinkplatform.engine.internal.claim.Claim;
import io.flinkplatform.engine.internal.store.AttemptRow;
import io.flinkplatform.engine.internal.store.RunRow;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How much the dispatcher may claim, and where a freed permit goes (one window of an hour). */
class WorkerPermitsTest {
  private final List<LocalAttempt> started = new ArrayList<>();
  private int wakes;

  private WorkerPermits permits(int threads, int ahead) {
    return new WorkerPermits(threads, ahead, 3_600_000, started::add, () -> wakes++);
  }

  private static LocalAttempt attempt(long id) {
    AttemptRow a = new AttemptRow();
    a.id = id;
    RunRow r = new RunRow();
    r.id = 1L;
    return new LocalAttempt(new Claim(a, r, System.nanoTime() + 60_000_000_000L), Runnable::run);
  }

  /** Runs and ends {@code n} attempts one after another on the instance. */
  private void end(WorkerPermits p, int n) {
    for (int i = 0; i < n; i++) {
      LocalAttempt a = attempt(1000 + i);
      p.offer(a);
      p.returnPermit(a);
    }
  }

  @Test
  void aClientOnlyInstanceHasNoRoom() {
    assertThat(permits(0, 64).room(64)).isZero();
  }

  @Test
  void beforeAnyAttemptEndedItClaimsForFreeThreadsOnly() {
    WorkerPermits p = permits(2, 4);
    assertThat(p.room(64)).isEqualTo(2);
    assertThat(p.room(1)).as("at most a batch").isEqualTo(1);
  }

  @Test
  void itClaimsAheadAsManyAsEndedLatelyAtMostAheadAndRefillsBelowHalf() {
    WorkerPermits p = permits(1, 4);
    end(p, 2);
    assertThat(p.room(64)).as("two ended lately").isEqualTo(1 + 2);
    end(p, 3);
    assertThat(p.room(64)).as("the free thread and four ahead").isEqualTo(1 + 4);

    started.clear();
    List<LocalAttempt> claimed = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      claimed.add(attempt(i));
      p.offer(claimed.get(i));
    }
    assertThat(started).containsExactly(claimed.get(0));
    assertThat(p.queued()).isEqualTo(4);
    assertThat(p.room(64)).as("queue full").isZero();

    wakes = 0;
    p.returnPermit(claimed.get(0));
    p.returnPermit(claimed.get(1));
    assertThat(started).as("each freed permit starts the next at once").hasSize(3);
    assertThat(p.queued()).isEqualTo(2);
    assertThat(p.room(64)).as("still half full").isZero();
    assertThat(wakes).isZero();

    p.returnPermit(claimed.get(2));
    assertThat(p.queued()).isOne();
    assertThat(wakes).as("below half: the dispatcher is woken").isOne();
    assertThat(p.room(64)).as("tops the queue up in one batch").isEqualTo(3);
  }

  @Test
  void aWithdrawnAttemptNeverTakesAPermit() {
    WorkerPermits p = permits(1, 4);
    end(p, 4);
    started.clear();
    LocalAttempt running = attempt(1);
    LocalAttempt waiting = attempt(2);
    p.offer(running);
    p.offer(waiting);

    assertThat(p.withdraw(waiting)).isTrue();
    assertThat(p.withdraw(running)).as("not queued").isFalse();
    p.returnPermit(waiting); // as when it ends: it holds none
    p.returnPermit(running);
    assertThat(started).containsExactly(running);
    assertThat(p.room(64)).as("one thread free, nothing queued").isEqualTo(1 + 4);
  }
}

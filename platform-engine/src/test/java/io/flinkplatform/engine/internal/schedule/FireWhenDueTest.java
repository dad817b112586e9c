package io.flinkplatform.engine.internal.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flinkplatform.engine.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.api.Test;

/**
 * Which turns of the scheduler loop run a firing pass: a turn woken by a closed run before the time
 * the last pass asked for runs none; a change here, that time, a clock set back and a failed pass
 * each bring one.
 */
class FireWhenDueTest {
  private static final long POLL = 1_000;
  private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final Deque<Long> waits = new ArrayDeque<>();
  private int passes;
  private boolean fail;
  private final FireWhenDue gate =
      new FireWhenDue(
          () -> {
            passes++;
            if (fail) {
              throw new IllegalStateException("database away");
            }
            return waits.isEmpty() ? POLL : waits.pop();
          },
          clock,
          POLL);

  @Test
  void aTurnBeforeTheTimeTheLastPassAskedForRunsNoPassAndWaitsTheRest() throws Exception {
    waits.add(300L); // the next fire time is 300 ms away
    assertThat(gate.runOnce()).isEqualTo(300);
    clock.advance(Duration.ofMillis(100)); // a run closed: the loop is woken

    assertThat(gate.runOnce()).isEqualTo(200);
    assertThat(passes).isEqualTo(1);
    clock.advance(Duration.ofMillis(200));
    gate.runOnce();
    assertThat(passes).isEqualTo(2);
  }

  @Test
  void aScheduleChangedHereRunsAPassAtTheNextTurn() throws Exception {
    gate.runOnce();
    gate.changed();

    gate.runOnce();
    assertThat(passes).isEqualTo(2);
    gate.runOnce(); // the change was seen
    assertThat(passes).isEqualTo(2);
  }

  @Test
  void aFullPassRunsAtLeastEveryPollInterval() throws Exception {
    gate.runOnce(); // nothing scheduled: the pass asks for the poll interval
    clock.advance(Duration.ofMillis(POLL - 1));
    gate.runOnce();
    assertThat(passes).isEqualTo(1);

    clock.advance(Duration.ofMillis(1));
    gate.runOnce();
    assertThat(passes).isEqualTo(2);
  }

  @Test
  void aClockSetBackByMoreThanAPollIntervalRunsAPassRatherThanWaitForIt() throws Exception {
    gate.runOnce();
    clock.set(Instant.parse("2025-12-31T23:00:00Z"));

    gate.runOnce();
    assertThat(passes).isEqualTo(2);
  }

  @Test
  void aClockThatStandsStillStillGetsAFullPassOncePerPollIntervalOfRealTime() throws Exception {
    FireWhenDue quick = new FireWhenDue(() -> ++passes > 0 ? 20 : 0, clock, 20); // 20 ms polls
    quick.runOnce();
    assertThat(passes).isEqualTo(1);

    long start = System.nanoTime();
    while (passes == 1 && System.nanoTime() - start < 5_000_000_000L) {
      Thread.sleep(quick.runOnce()); // the clock never moves; real time does
    }
    assertThat(passes).isEqualTo(2);
    assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(19);
  }

  @Test
  void aPassThatFailedRunsAgainAtTheNextTurn() throws Exception {
    fail = true;
    assertThatThrownBy(gate::runOnce).hasMessage("database away");
    fail = false;

    gate.runOnce();
    assertThat(passes).isEqualTo(2);
  }
}

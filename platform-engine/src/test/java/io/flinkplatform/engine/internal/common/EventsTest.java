package io.flinkplatform.engine.internal.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinkplatform.engine.event.PlatformEvent;
import io.flinkplatform.engine.testing.Await;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Event delivery: in order, on its own thread, bounded, and never stopped by a listener. */
class EventsTest {
  private final CountDownLatch never = new CountDownLatch(1);
  private Events events;

  @AfterEach
  void tearDown() {
    never.countDown();
    if (events != null) {
      events.stop();
    }
  }

  private static PlatformEvent event(int i) {
    return new PlatformEvent.DatabaseReachable(Instant.EPOCH, "loop", i);
  }

  @Test
  void aListenerThrowingAnErrorGetsTheNextEventsInOrderAndOthersGetAll() throws Exception {
    List<PlatformEvent> seen = new CopyOnWriteArrayList<>();
    List<PlatformEvent> other = new CopyOnWriteArrayList<>();
    events =
        new Events(
            List.of(
                e -> {
                  seen.add(e);
                  throw new AssertionError("listener bug");
                },
                other::add),
            100,
            "test");
    for (int i = 0; i < 20; i++) {
      events.emit(event(i));
    }
    Await.until(() -> other.size() == 20);
    assertThat(seen).hasSize(20);
    assertThat(other)
        .extracting(e -> ((PlatformEvent.DatabaseReachable) e).failures())
        .containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19);
  }

  @Test
  void aBlockedListenerNeverBlocksEmitAndOverflowIsDroppedAndCounted() throws Exception {
    CountDownLatch first = new CountDownLatch(1);
    events =
        new Events(
            List.of(
                e -> {
                  first.countDown();
                  try {
                    never.await();
                  } catch (InterruptedException stop) {
                    Thread.currentThread().interrupt();
                  }
                }),
            4,
            "blocked");
    events.emit(event(0));
    first.await();
    long began = System.nanoTime();
    for (int i = 1; i <= 10; i++) {
      events.emit(event(i)); // 4 fit in the queue, 6 are dropped
    }
    assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofSeconds(1));
    assertThat(events.dropped()).isEqualTo(6);

    events.stop(); // lets the listener drain for a while, then interrupts it
    Await.until(
        () ->
            Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().equals("fp-events-blocked")));
  }
}

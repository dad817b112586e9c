package io.flinkplatform.engine.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for a condition in tests, failing after a generous bound (never used to time things). */
public final class Await {
  private static final Duration LIMIT = Duration.ofSeconds(30);

  private Await() {}

  public static void until(BooleanSupplier condition) throws InterruptedException {
    until(LIMIT, condition);
  }

  /** Waits at most {@code limit}, for conditions that take long by design (failovers). */
  public static void until(Duration limit, BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("condition not met within " + limit);
      }
      Thread.sleep(20);
    }
  }
}

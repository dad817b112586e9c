package io.flinkplatform.examples.bench.peers;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts, inside the task bodies, how often each unit of work ran: every scheduler must run each
 * exactly once, so {@link #duplicates()} must end at 0 and {@link #executions()} at the number
 * created.
 */
public final class ExecutionCounter {
  private final ConcurrentHashMap<String, AtomicInteger> runs = new ConcurrentHashMap<>();
  private final LongAdder executions = new LongAdder();
  private final LongAdder duplicates = new LongAdder();

  /** Called by the task body with the id of its unit of work. */
  public void executed(String id) {
    executions.increment();
    if (runs.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet() > 1) {
      duplicates.increment();
    }
  }

  public long executions() {
    return executions.sum();
  }

  /** Executions beyond the first of their id. */
  public long duplicates() {
    return duplicates.sum();
  }
}

package io.flinkplatform.engine.internal;

import io.flinkplatform.engine.internal.common.Loop;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * The handle of an instance started in manual mode ({@link Engine#startManual}): every background
 * loop's pass, in data-path order, for a test to run on its own thread instead of the loops'
 * threads (none is started). Attempts still run on the worker pool; {@link #awaitQuiet} waits for
 * them.
 *
 * <p>The passes, in order: {@code schedule} fires due schedules; {@code admission} starts held runs
 * that have room; {@code dispatcher} claims ready attempts up to the free worker permits and the
 * room for claims ahead ({@code claimAhead}), and starts or queues them; {@code external-poller}
 * polls every waiting external attempt once (whatever its poll interval); {@code completer} commits
 * queued outcomes; {@code heartbeat} renews leases; {@code reaper} re-queues attempts whose lease
 * lapsed by the database's clock; {@code priority-ageing} ages ready attempts; {@code
 * stranded-runs} decides the waiting tasks of runs a fan-in counter stranded (every 30 s by the
 * clock); {@code lease-watchdog} stops attempts whose lease may have lapsed by the monotonic clock;
 * {@code housekeeping} (with retention on) deletes expired runs; {@code alert-delivery} (with
 * alerts on) writes digests and claims due alert deliveries, whose sends run on the delivery's own
 * pool; {@code alert-scan} (with alerts on) raises overdue and deadline alerts.
 */
public final class ManualLoops {
  private final Map<String, Loop.Pass> passes = new LinkedHashMap<>();
  private final Components c;
  private final DataSource dataSource;

  ManualLoops(Components c, DataSource dataSource) {
    this.c = c;
    this.dataSource = dataSource;
    passes.put("schedule", c.schedules());
    passes.put("admission", c.admission());
    c.dispatcher().alwaysFromTheFront(); // claim order as the index has it, whatever the time
    passes.put("dispatcher", c.dispatcher());
    passes.put("external-poller", c.poller()::pollAll);
    passes.put("completer", c.completer());
    passes.put("heartbeat", c.heartbeat());
    passes.put("reaper", c.reaper());
    passes.put("priority-ageing", c.ageing());
    passes.put("stranded-runs", c.stranded());
    passes.put("lease-watchdog", c.leaseWatchdog());
    if (c.housekeeper() != null) {
      passes.put("housekeeping", c.housekeeper());
    }
    if (c.delivery() != null) {
      passes.put("alert-delivery", c.delivery()); // alerts: delivery
    }
    if (c.alertScan() != null) {
      passes.put("alert-scan", c.alertScan()); // alerts (part C2 alert-sla)
    }
    if (c.queueDepth() != null) {
      passes.put("metrics", c.queueDepth()); // only with a meter registry
    }
  }

  /** The database the instance runs on (its own pool or the host's), for a test's reads. */
  public DataSource dataSource() {
    return dataSource;
  }

  /** The passes' names in data-path order (the order {@link #tick} runs them in). */
  public List<String> names() {
    return List.copyOf(passes.keySet());
  }

  /**
   * Runs one pass on the calling thread; returns the wait in milliseconds it asked for ({@link
   * Loop#IDLE}: none). Its failure is thrown, not reported.
   */
  public long runOnce(String name) throws Exception {
    Loop.Pass pass = passes.get(name);
    if (pass == null) {
      throw new IllegalArgumentException("no loop '" + name + "'; loops: " + names());
    }
    return pass.runOnce();
  }

  /** Runs every pass once, in data-path order; the first failure is thrown. */
  public void tick() throws Exception {
    for (Loop.Pass pass : passes.values()) {
      pass.runOnce();
    }
  }

  /**
   * Waits until this instance has nothing in flight: no synchronous attempt running, no external
   * call (submit, poll) running or queued, no alert send under way, and every outcome committed
   * (the completer's queue is committed here, on the calling thread). External attempts waiting for
   * their next poll do not count. Returns false if that did not happen within {@code timeout}.
   */
  public boolean awaitQuiet(Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (true) {
      boolean working =
          !c.executor().quiet()
              || !c.poller().idle()
              || (c.delivery() != null && !c.delivery().idle()); // alerts: delivery
      c.completer().runOnce();
      if (!working && c.completer().idle()) {
        return true;
      }
      if (System.nanoTime() - end > 0) {
        return false;
      }
      TimeUnit.MILLISECONDS.sleep(5);
    }
  }

  /**
   * Waits until the listeners got every event emitted so far (they run on the events' own thread,
   * in manual mode too). Returns false if that did not happen within {@code timeout}.
   */
  public boolean awaitEventsDelivered(Duration timeout) throws InterruptedException {
    return c.events().awaitDelivered(timeout);
  }
}

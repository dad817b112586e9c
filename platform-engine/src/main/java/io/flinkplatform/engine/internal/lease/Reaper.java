package io.flinkplatform.engine.internal.lease;

import io.flinkplatform.engine.internal.alert.AlertRaiser;
import io.flinkplatform.engine.internal.common.Loop;
import io.flinkplatform.engine.internal.common.Signals;
import io.flinkplatform.engine.internal.metrics.Meters;
import io.flinkplatform.engine.internal.store.Expired;
import io.flinkplatform.engine.internal.store.Store;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-queues attempts of any instance whose lease lapsed by the database's clock, with their old
 * epoch fenced off, and wakes the dispatcher when it did. Expiry is read from the database's clock
 * in the statements themselves: an estimate of that clock carried by this instance could be off by
 * as long as a stall in the middle of reading it. After this instance itself went without renewing
 * for long enough to fence itself, the {@link Heartbeat} holds the reaper off for one lease ({@link
 * #holdOff}), so that other instances cut off by the same outage renew first.
 */
public final class Reaper implements Loop.Pass {
  private static final Logger LOG = LoggerFactory.getLogger(Reaper.class);
  private final Meters meters;
  private static final int REAP_BATCH = 200;
  private final Store store;
  private final Clock clock;
  private final Signals signals;
  private final AlertRaiser alerts;

  /** System.nanoTime() before which this instance does not reap (after an outage). */
  private volatile long notBefore = System.nanoTime();

  public Reaper(Store store, Clock clock, Signals signals, AlertRaiser alerts, Meters meters) {
    this.alerts = alerts;
    this.meters = meters;
    this.store = store;
    this.clock = clock;
    this.signals = signals;
  }

  /** Reaps nothing before {@code untilNanos}; returns whether it was held off already. */
  boolean holdOff(long untilNanos) {
    boolean waiting = notBefore - System.nanoTime() > 0;
    notBefore = untilNanos;
    return waiting;
  }

  /** One pass: re-queues a batch of lapsed attempts, unless held off. */
  @Override
  public long runOnce() {
    if (System.nanoTime() - notBefore < 0) {
      return Loop.IDLE;
    }
    long now = clock.millis();
    boolean[] alerted = {false};
    int requeued =
        store.tx(
            "re-queue expired attempts",
            m -> {
              int n = 0;
              Map<String, Integer> byOwner = new LinkedHashMap<>();
              for (Expired a : m.selectExpired(REAP_BATCH)) {
                if (m.reapExpired(a.id, a.epoch, now) == 0) {
                  continue;
                }
                n++;
                if (a.owner != null) {
                  byOwner.merge(a.owner, 1, Integer::sum);
                }
                LOG.info(
                    "re-queued run {} task '{}' attempt {}: the lease of {} lapsed {} ms ago",
                    a.flowRunId,
                    a.taskId,
                    a.attempt,
                    a.owner,
                    a.lapsedMillis);
              }
              // an owner whose attempts lapsed is an instance lost: its alert commits with this
              alerted[0] = alerts.instanceLost(m, byOwner, now);
              return n;
            });
    if (requeued > 0) {
      meters.reaped(requeued);
      signals.workReady(0);
    }
    if (alerted[0]) {
      signals.alertsDue();
    }
    return Loop.IDLE;
  }
}

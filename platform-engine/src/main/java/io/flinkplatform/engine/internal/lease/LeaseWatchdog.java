package io.flinkplatform.engine.internal.lease;

import io.flinkplatform.engine.internal.claim.Fencing;
import io.flinkplatform.engine.internal.common.Loop;
import io.flinkplatform.engine.internal.worker.Executor;
import io.flinkplatform.engine.internal.worker.LocalAttempt;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Self-fencing on a thread and clock of its own. Every local attempt carries the monotonic time by
 * which its lease must be given up ({@link LocalAttempt#fenceAtNanos}: its claim or last confirmed
 * renewal, plus the lease, minus a margin); this watchdog stops every attempt that reached it,
 * whatever the heartbeat is doing meanwhile (a renewal blocked on a database that does not answer
 * may take far longer than a lease). The same bound decides, right before a task starts, whether it
 * may start at all ({@link Fencing#mayStart}).
 */
public final class LeaseWatchdog implements Loop.Pass {
  private static final Logger LOG = LoggerFactory.getLogger(LeaseWatchdog.class);
  private final Executor executor;
  private final long leaseMillis;

  public LeaseWatchdog(Executor executor, long leaseMillis) {
    this.executor = executor;
    this.leaseMillis = leaseMillis;
  }

  /** One look: abandons every local attempt whose lease may have lapsed by the monotonic clock. */
  @Override
  public long runOnce() {
    for (LocalAttempt la : executor.attempts()) {
      if (!la.lost && !la.finished.get() && !la.leaseHolds()) {
        LOG.warn(
            "{} stopped here: this instance could not renew its leases for {} ms (lease {} ms),"
                + " so another instance may own it soon",
            la.claim.describe(),
            sinceRenewedMillis(la),
            leaseMillis);
        executor.abandon(la, "this instance could not renew its lease");
      }
    }
    return Loop.IDLE;
  }

  private long sinceRenewedMillis(LocalAttempt la) {
    long renewedAt = la.fenceAtNanos - Fencing.fenceAfterNanos(leaseMillis);
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - renewedAt);
  }
}

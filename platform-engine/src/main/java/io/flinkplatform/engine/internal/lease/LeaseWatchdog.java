package io.flinkplatform.engine.internal.lease;

import io.flinkplatform.engine.internal.common.Loop;
import io.flinkplatform.engine.internal.worker.Claim;
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
 * may start at all ({@link #mayStart}).
 */
public final class LeaseWatchdog implements Loop.Pass {
  private static final Logger LOG = LoggerFactory.getLogger(LeaseWatchdog.class);
  private final Executor executor;
  private final long leaseMillis;

  public LeaseWatchdog(Executor executor, long leaseMillis) {
    this.executor = executor;
    this.leaseMillis = leaseMillis;
  }

  /**
   * How long after sending a claim or renewal this instance gives the attempt up: the lease minus a
   * margin of {@code min(1 s, lease / 4)} for the local work to stop.
   */
  static long fenceAfterMillis(long leaseMillis) {
    return leaseMillis - Math.min(1000, leaseMillis / 4);
  }

  public static long fenceAfterNanos(long leaseMillis) {
    return TimeUnit.MILLISECONDS.toNanos(fenceAfterMillis(leaseMillis));
  }

  /** How often the watchdog looks: a quarter of the margin (10-250 ms). */
  public static long periodMillis(long leaseMillis) {
    long margin = leaseMillis - fenceAfterMillis(leaseMillis);
    return Math.max(10, Math.min(250, margin / 4));
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
    long renewedAt = la.fenceAtNanos - fenceAfterNanos(leaseMillis);
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - renewedAt);
  }

  /**
   * Whether a claimed attempt may start its work now: its lease surely holds by the local monotonic
   * clock. An instance frozen (or stalled) between its claim and the start finds the lease gone and
   * must not start work that another instance may have taken over and even finished meanwhile.
   */
  public static boolean mayStart(LocalAttempt la, String what) {
    return la.leaseHolds() || refused(la.claim, what);
  }

  /** {@link #mayStart(LocalAttempt, String)} for a claim that has no local attempt yet. */
  public static boolean mayStart(Claim claim) {
    return System.nanoTime() - claim.fenceAtNanos() < 0 || refused(claim, "its task");
  }

  private static boolean refused(Claim claim, String what) {
    LOG.warn(
        "{} not started: its claim is too old for its lease to be sure to hold (this instance was"
            + " stalled or frozen since), so {} is left to whichever instance holds it now",
        claim.describe(),
        what);
    return false;
  }
}

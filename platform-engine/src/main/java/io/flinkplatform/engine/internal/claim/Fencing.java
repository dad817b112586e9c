package io.flinkplatform.engine.internal.claim;

import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The self-fencing bound of a claim on the local monotonic clock: an instance gives an attempt up
 * the lease minus a margin after it sent the claim or the last confirmed renewal, and never starts
 * work once that bound passed. The lease watchdog applies it to running attempts; the dispatcher,
 * the task runner and the external driver check it right before work starts.
 */
public final class Fencing {
  private static final Logger LOG = LoggerFactory.getLogger(Fencing.class);

  private Fencing() {}

  /**
   * How long after sending a claim or renewal this instance gives the attempt up: the lease minus a
   * margin of {@code min(1 s, lease / 4)} for the local work to stop.
   */
  public static long fenceAfterMillis(long leaseMillis) {
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

  /**
   * Whether a claimed attempt may start its work now: its lease surely holds by the local monotonic
   * clock ({@code fenceAtNanos}, the claim's or the last renewal's bound). An instance frozen (or
   * stalled) between its claim and the start finds the lease gone and must not start work that
   * another instance may have taken over and even finished meanwhile.
   */
  public static boolean mayStart(Claim claim, long fenceAtNanos, String what) {
    return System.nanoTime() - fenceAtNanos < 0 || refused(claim, what);
  }

  /** {@link #mayStart(Claim, long, String)} for a claim that has no local attempt yet. */
  public static boolean mayStart(Claim claim) {
    return mayStart(claim, claim.fenceAtNanos(), "its task");
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

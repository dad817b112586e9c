package io.flinkplatform.engine.testing;

/**
 * What one pass of {@link ManualPlatform#tick()} did, loop by loop, in the order the pass runs
 * them. A pass that did nothing ({@link #idle()}) means nothing is runnable at the clock's current
 * time: what is left waits for the clock (a retry delay, a fire time, a poll interval) or for
 * something outside the platform.
 *
 * @param fired schedule fire times turned into runs (or skipped, or counted as misfires)
 * @param admitted runs admitted (started) past their workflow's and schedule's limits
 * @param claimed attempts claimed and run; local attempts ran to completion in the pass
 * @param completed outcomes, releases and hand-backs committed
 * @param leases leases renewed or reaped, and attempts timed out or abandoned
 * @param polled polls of external attempts that were due
 * @param housekept runs deleted by retention
 */
public record Tick(
    int fired, int admitted, int claimed, int completed, int leases, int polled, int housekept) {

  /** A pass that did nothing. */
  public static final Tick IDLE = new Tick(0, 0, 0, 0, 0, 0, 0);

  /** Whether the pass did nothing at all. */
  public boolean idle() {
    return total() == 0;
  }

  /** The units of work the pass did, over all loops. */
  public int total() {
    return fired + admitted + claimed + completed + leases + polled + housekept;
  }

  /** The sum of two passes, loop by loop. */
  public Tick plus(Tick other) {
    return new Tick(
        fired + other.fired,
        admitted + other.admitted,
        claimed + other.claimed,
        completed + other.completed,
        leases + other.leases,
        polled + other.polled,
        housekept + other.housekept);
  }
}

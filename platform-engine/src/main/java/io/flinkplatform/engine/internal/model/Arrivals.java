package io.flinkplatform.engine.internal.model;

/**
 * The edges into one waiting task that new facts of its upstream tasks resolved (see {@link
 * TriggerRules#resolvedBy}): how many, and whether any of them fired or did not.
 */
public record Arrivals(int edges, boolean anyFired, boolean anyUnfired) {

  /** One resolved edge, which fired or not. */
  public static Arrivals of(boolean fired) {
    return new Arrivals(1, fired, !fired);
  }

  /** These edges and {@code other} together. */
  public Arrivals plus(Arrivals other) {
    return new Arrivals(
        edges + other.edges, anyFired || other.anyFired, anyUnfired || other.anyUnfired);
  }
}

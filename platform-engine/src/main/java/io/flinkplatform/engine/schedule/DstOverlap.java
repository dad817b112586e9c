package io.flinkplatform.engine.schedule;

/**
 * What a schedule does with a wall-clock fire time that happens twice because clocks fall back
 * (e.g. 02:30 on the last Sunday of October in Europe/Berlin).
 */
public enum DstOverlap {
  /** Run once, at the first of the two instants (still on summer time). */
  ONCE,
  /** Run at both instants, one hour apart. */
  TWICE
}

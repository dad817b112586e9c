package io.flinkplatform.engine.schedule;

/**
 * What a schedule does with a wall-clock fire time that does not exist because clocks spring
 * forward (e.g. 02:30 on the last Sunday of March in Europe/Berlin).
 */
public enum DstGap {
  /** No run for that wall-clock time. */
  SKIP,
  /**
   * Run at the first valid instant after the gap, the moment clocks jumped (03:00 in the example).
   * Several times in one gap become one run.
   */
  RUN_AT_NEXT_VALID
}

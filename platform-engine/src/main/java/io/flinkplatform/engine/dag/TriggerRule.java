package io.flinkplatform.engine.dag;

/** When a task with incoming edges becomes ready. */
public enum TriggerRule {
  /** Every incoming edge fired (AND). The default. */
  ALL_MATCHED,
  /** At least one incoming edge fired (OR); starts as soon as the first one does. */
  ANY_MATCHED,
  /** Every upstream task ended, whatever its outcome. */
  ALL_DONE,
  /** At least one upstream task ended, whatever its outcome. */
  ANY_DONE
}

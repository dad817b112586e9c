package io.flinkplatform.engine.dag;

/** The upstream outcome on which an edge fires. */
public enum EdgeCondition {
  /** Fires when the upstream task succeeded. */
  SUCCESS,
  /** Fires when the upstream task ran and failed (including timeouts), after its last retry. */
  FAILURE,
  /** Fires when the upstream task ran, whether it succeeded or failed. */
  ALWAYS
}

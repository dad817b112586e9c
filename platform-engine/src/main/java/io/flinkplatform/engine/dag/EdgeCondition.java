package io.flinkplatform.engine.dag;

/** The upstream outcome on which an edge fires. */
public enum EdgeCondition {
  /** Fires when the upstream task succeeded. */
  SUCCESS,
  /** Fires when the upstream task ran and failed (including timeouts), after its last retry. */
  FAILURE,
  /** Fires when the upstream task ran, whether it succeeded or failed. */
  ALWAYS,
  /**
   * Fires when the upstream task's external work is up and released its downstream tasks while it
   * keeps running (a streaming Flink job that reached RUNNING), or when it succeeded without doing
   * so. The upstream task, and so its run, stays running until the work ends. Only tasks of an
   * external task type can release; the edge is rejected from any other.
   */
  RUNNING
}

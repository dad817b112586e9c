package io.flinkplatform.engine.run;

/** The state of one task attempt. */
public enum TaskState {
  /** Waiting for its upstream tasks. */
  WAITING,
  /** May be claimed by any instance (after its backoff, for a retry). */
  READY,
  /** Claimed by an instance that holds a lease on it. */
  RUNNING,
  SUCCESS,
  FAILED,
  KILLED,
  /** Not run: its trigger rule can no longer be met, or the task chose to skip. */
  SKIPPED,
  /** Not run because a task it depends on failed. */
  UPSTREAM_FAILED;

  public boolean isFinal() {
    return ordinal() >= SUCCESS.ordinal();
  }
}

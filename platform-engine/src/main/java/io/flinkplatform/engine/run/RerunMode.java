package io.flinkplatform.engine.run;

/** Which tasks of a finished run a rerun runs again (docs/scheduling.md, "Reruns"). */
public enum RerunMode {
  /** Every task whose latest attempt is FAILED, UPSTREAM_FAILED or KILLED, and all downstream. */
  FAILED_TASKS,
  /** One task only; its downstream tasks keep their outcomes. */
  TASK,
  /** One task and every task it depends on, directly or not. */
  TASK_AND_UPSTREAM,
  /** One task and every task that depends on it, directly or not. */
  TASK_AND_DOWNSTREAM;

  /** Whether the mode names a task. */
  public boolean needsTask() {
    return this != FAILED_TASKS;
  }
}

package io.flinkplatform.engine.internal.model;

import io.flinkplatform.engine.run.TaskState;

/**
 * A waiting task decided: its attempt (as now known, in its new state) and, for a task that will
 * not run, why its trigger rule cannot be met.
 *
 * @param task the task id
 * @param attempt the decided attempt, {@link Attempt#NOT_STORED} when it is a new one to insert
 * @param reason null for READY, else the unmet reason
 */
public record Decision(String task, Attempt attempt, String reason) {

  public TaskState state() {
    return attempt.state();
  }

  /** Whether the task will not run, so its own downstream tasks are to be decided next. */
  public boolean spreads() {
    return attempt.state() != TaskState.READY;
  }
}

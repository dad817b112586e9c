package io.flinkplatform.engine.internal.model;

import io.flinkplatform.engine.run.TaskState;

/** What a trigger rule decides for a waiting task, given what its upstream tasks did so far. */
public enum Verdict {
  /** Not decidable yet: it waits for more upstream outcomes. */
  WAIT(TaskState.WAITING),
  READY(TaskState.READY),
  SKIPPED(TaskState.SKIPPED),
  UPSTREAM_FAILED(TaskState.UPSTREAM_FAILED);

  private final TaskState state;

  Verdict(TaskState state) {
    this.state = state;
  }

  /** The task's state after this verdict. */
  public TaskState state() {
    return state;
  }
}

package io.flinkplatform.engine.run;

/** The state of a workflow run. */
public enum RunState {
  CREATED,
  RUNNING,
  /** A kill was asked for and is reaching the running tasks. */
  KILLING,
  SUCCESS,
  FAILED,
  KILLED;

  public boolean isFinal() {
    return this == SUCCESS || this == FAILED || this == KILLED;
  }
}

package io.flinkplatform.engine;

import static java.util.Objects.requireNonNull;

import io.flinkplatform.engine.run.RunState;

/**
 * A rerun was asked for a run that has not finished (it is CREATED, RUNNING or KILLING, or another
 * rerun of it has just started). Nothing was written; wait for the run to end and ask again.
 */
public final class RunNotFinishedException extends InvalidRequestException {
  private static final long serialVersionUID = 1L;
  private final long runId;
  private final RunState state;

  public RunNotFinishedException(long runId, RunState state) {
    super(
        "runId",
        "run "
            + runId
            + " is "
            + requireNonNull(state, "state is null")
            + "; only a SUCCESS, FAILED or KILLED run can be rerun (wait for it to end, or kill it)");
    this.runId = runId;
    this.state = state;
  }

  public long runId() {
    return runId;
  }

  /** The run's state when the rerun was refused. */
  public RunState state() {
    return state;
  }
}

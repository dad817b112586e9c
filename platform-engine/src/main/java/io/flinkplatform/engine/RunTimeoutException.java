package io.flinkplatform.engine;

import io.flinkplatform.engine.run.RunState;
import java.time.Duration;

/** A run did not end within the time a caller was willing to wait. The run goes on. */
public final class RunTimeoutException extends PlatformException {
  private final long runId;

  public RunTimeoutException(long runId, RunState state, Duration waited) {
    super(
        "run "
            + runId
            + " is still "
            + state
            + " after waiting "
            + waited
            + "; it goes on running");
    this.runId = runId;
  }

  public long runId() {
    return runId;
  }
}

package io.flinkplatform.engine.internal;

import io.flinkplatform.engine.internal.Rows.AttemptRow;
import io.flinkplatform.engine.internal.Rows.RunRow;
import io.flinkplatform.engine.run.TaskState;

/** An attempt this instance claimed: the row as claimed (with its new epoch) and its run. */
record Claim(AttemptRow attempt, RunRow run) {
  long id() {
    return attempt.id;
  }

  long epoch() {
    return attempt.epoch;
  }

  /** Whether {@code current}, the attempt's row as it is now, still carries this claim. */
  boolean isHeldIn(AttemptRow current) {
    return current.epoch == attempt.epoch
        && java.util.Objects.equals(current.owner, attempt.owner)
        && TaskState.RUNNING.name().equals(current.state);
  }

  String describe() {
    return "run " + run.id + " task '" + attempt.taskId + "' attempt " + attempt.attempt;
  }
}

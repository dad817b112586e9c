package io.flinkplatform.engine.internal;

import io.flinkplatform.engine.internal.Rows.AttemptRow;
import io.flinkplatform.engine.internal.Rows.RunRow;

/** An attempt this instance claimed: the row as claimed (with its new epoch) and its run. */
record Claim(AttemptRow attempt, RunRow run) {
  long id() {
    return attempt.id;
  }

  long epoch() {
    return attempt.epoch;
  }

  String describe() {
    return "run " + run.id + " task '" + attempt.taskId + "' attempt " + attempt.attempt;
  }
}

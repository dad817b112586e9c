package io.flinkplatform.engine.internal.claim;

import io.flinkplatform.engine.internal.store.AttemptRow;
import io.flinkplatform.engine.internal.store.RunRow;
import io.flinkplatform.engine.run.TaskState;
import java.util.Objects;

/**
 * An attempt this instance claimed: the row as claimed (with its new epoch), its run, and the local
 * monotonic time ({@link System#nanoTime()}) at which this instance must give it up unless a
 * renewal extends it (see {@link Fencing}): the moment before the claiming statement was sent, plus
 * the lease minus the fencing margin. That statement set the lease from the database's clock later,
 * so this instance gives the attempt up before any other instance can take it over.
 */
public record Claim(AttemptRow attempt, RunRow run, long fenceAtNanos) {
  public long id() {
    return attempt.id;
  }

  public long epoch() {
    return attempt.epoch;
  }

  /** Whether {@code current}, the attempt's row as it is now, still carries this claim. */
  public boolean isHeldIn(AttemptRow current) {
    return current.epoch == attempt.epoch
        && Objects.equals(current.owner, attempt.owner)
        && TaskState.RUNNING == current.state;
  }

  public String describe() {
    return "run " + run.id + " task '" + attempt.taskId + "' attempt " + attempt.attempt;
  }
}

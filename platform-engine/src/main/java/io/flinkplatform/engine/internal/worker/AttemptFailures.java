package io.flinkplatform.engine.internal.worker;

import io.flinkplatform.engine.StoreException;
import io.flinkplatform.engine.internal.claim.Claim;
import io.flinkplatform.engine.internal.common.Outage;
import io.flinkplatform.engine.internal.definition.Dag;
import io.flinkplatform.engine.internal.progress.Result;
import io.flinkplatform.engine.run.TaskState;
import io.flinkplatform.spi.TaskFailedException;
import io.flinkplatform.spi.TaskType;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The result of an attempt that went wrong before or while its task ran: it cannot run here, its
 * preparation or task threw (a failure, the kill or timeout that cancelled it, or a database error
 * that hands it back).
 */
final class AttemptFailures {
  private static final Logger LOG = LoggerFactory.getLogger(AttemptRunner.class);

  private AttemptFailures() {}

  /**
   * The failure of an attempt that cannot run here (its task type is not available on this
   * instance, or its stored options cannot be read), or null if it can run.
   */
  static Result cannotRun(Claim claim, Dag dag, TaskType type, LogSink log) {
    String taskId = claim.attempt().taskId;
    if (type == null) {
      String t = dag.tasks.get(taskId).type();
      return Outcomes.result(
          claim,
          TaskState.FAILED,
          false,
          Map.of(),
          "task type '" + t + "' is not available on this instance",
          log);
    }
    if (dag.unreadable.containsKey(taskId)) {
      // retrying cannot help: the stored options stay as they are until a new deploy
      String why = dag.unreadable.get(taskId);
      log.line(why);
      return Outcomes.result(claim, TaskState.FAILED, false, Map.of(), why, log);
    }
    return null;
  }

  /**
   * The result of an attempt whose preparation or task threw: null (handed back) when the database
   * failed while the platform prepared it, else a failure, or the kill or timeout that cancelled
   * it.
   */
  static Result resultOfThrown(LocalAttempt la, Throwable t, LogSink log) {
    Claim claim = la.claim;
    if (t instanceof Error) {
      LOG.error("{} threw {}", claim.describe(), Outcomes.describe(t), t);
    }
    if (!la.cancel.isCancelled() && t instanceof StoreException && Outage.isTransient(t)) {
      // the platform could not prepare the attempt (load its workflow version, read upstream
      // outputs): the database failed, not the task. Hand it back to run again rather than
      // record a failure of a task that may not even have started.
      LOG.info("{} hit a database error ({}); handing it back", claim.describe(), t.getMessage());
      return null;
    }
    if (la.cancel.isCancelled()) {
      return Outcomes.toResult(claim, Outcomes.failureOf(t), la.cancel, log);
    }
    return t instanceof TaskFailedException f
        ? Outcomes.result(claim, TaskState.FAILED, f.retryable(), Map.of(), f.getMessage(), log)
        : failed(claim, t, log);
  }

  /** A retryable failure naming what was thrown. */
  static Result failed(Claim claim, Throwable t, LogSink log) {
    return Outcomes.result(claim, TaskState.FAILED, true, Map.of(), Outcomes.describe(t), log);
  }
}

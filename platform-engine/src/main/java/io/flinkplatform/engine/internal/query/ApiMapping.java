package io.flinkplatform.engine.internal.query;

import io.flinkplatform.engine.internal.common.Json;
import io.flinkplatform.engine.internal.store.AttemptRow;
import io.flinkplatform.engine.internal.store.RunRow;
import io.flinkplatform.engine.run.TaskAttempt;
import io.flinkplatform.engine.run.WorkflowRun;
import java.time.Instant;
import java.util.Optional;

/**
 * Turns store rows into the public API's records: a run row into a run, an attempt row into an
 * attempt.
 */
public final class ApiMapping {
  private ApiMapping() {}

  public static WorkflowRun toRun(RunRow r) {
    return new WorkflowRun(
        r.id,
        r.flowName,
        r.flowVersion,
        r.state,
        Instant.ofEpochMilli(r.logicalDate),
        Json.stringMap(r.params),
        Instant.ofEpochMilli(r.createdAt),
        instant(r.startedAt),
        instant(r.endedAt),
        r.workspace,
        r.triggeredBy,
        Optional.ofNullable(r.killedBy),
        Optional.ofNullable(r.rerunBy));
  }

  public static TaskAttempt toAttempt(AttemptRow r) {
    return new TaskAttempt(
        r.id,
        r.flowRunId,
        r.taskId,
        r.attempt,
        r.state,
        Optional.ofNullable(r.owner),
        r.epoch,
        Optional.ofNullable(r.externalRef),
        Json.stringMap(r.outputs),
        Optional.ofNullable(r.message),
        Optional.ofNullable(r.logPath),
        instant(r.startedAt),
        instant(r.endedAt),
        Optional.ofNullable(r.rerunBy),
        Optional.ofNullable(r.killedBy));
  }

  private static Optional<Instant> instant(Long millis) {
    return Optional.ofNullable(millis).map(Instant::ofEpochMilli);
  }
}

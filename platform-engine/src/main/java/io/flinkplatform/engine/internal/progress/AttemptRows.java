package io.flinkplatform.engine.internal.progress;

import io.flinkplatform.engine.internal.common.Json;
import io.flinkplatform.engine.internal.model.Attempt;
import io.flinkplatform.engine.internal.model.LatestAttempts;
import io.flinkplatform.engine.internal.store.AttemptRow;
import io.flinkplatform.engine.run.TaskState;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Stored attempt rows as the run model reads them: the latest row of each task, and a row as a
 * model {@link Attempt} (its state, the branches a success chose, whether it released).
 */
public final class AttemptRows {
  private AttemptRows() {}

  /** The row as the model's attempt; the branches JSON is read for a success only. */
  public static Attempt toModel(AttemptRow r) {
    TaskState state = r.state;
    return new Attempt(
        r.id == null ? Attempt.NOT_STORED : r.id,
        r.attempt,
        r.rerunBase,
        state,
        state == TaskState.SUCCESS && r.branches != null ? Json.stringSet(r.branches) : null,
        r.releasedAt != null);
  }

  /** The latest row of each task among {@code rows}. */
  public static Map<String, AttemptRow> latest(Iterable<AttemptRow> rows) {
    return LatestAttempts.of(rows, r -> r.taskId, r -> r.attempt);
  }

  /** The latest state of each task among {@code rows}. */
  public static Map<String, TaskState> latestStates(Iterable<AttemptRow> rows) {
    Map<String, TaskState> out = new LinkedHashMap<>();
    latest(rows).forEach((t, r) -> out.put(t, r.state));
    return out;
  }
}

package io.flinkplatform.engine.internal.query;

import io.flinkplatform.engine.dag.TaskDefinition;
import io.flinkplatform.engine.internal.definition.Dag;
import io.flinkplatform.engine.internal.model.Attempt;
import io.flinkplatform.engine.internal.model.TriggerRules;
import io.flinkplatform.engine.internal.progress.AttemptRows;
import io.flinkplatform.engine.internal.store.AttemptRow;
import io.flinkplatform.engine.run.Explanation.Code;
import io.flinkplatform.engine.run.Explanation.Reason;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Why a task is WAITING: the upstream tasks whose edges to it have not resolved yet. */
final class WaitingReasons {
  private WaitingReasons() {}

  /** The upstream tasks whose edges to {@code t} have not resolved, as the run model says. */
  static Reason of(Dag dag, TaskDefinition t, Map<String, AttemptRow> latest) {
    List<String> open = new ArrayList<>();
    TriggerRules.waitingFor(dag.graph, t.id(), task -> attempt(latest.get(task)))
        .forEach((task, state) -> open.add(task + (state == null ? "" : " (" + state + ")")));
    return new Reason(Code.WAITING_FOR_UPSTREAM, "waiting for " + String.join(", ", open));
  }

  private static Attempt attempt(AttemptRow row) {
    return row == null ? null : AttemptRows.toModel(row);
  }
}

package io.flinkplatform.engine.internal.query;

import io.flinkplatform.engine.internal.store.AttemptRow;
import io.flinkplatform.engine.internal.store.WorkerRow;
import io.flinkplatform.engine.run.Explanation.Code;
import io.flinkplatform.engine.run.Explanation.Reason;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The live instances as explain sees them: whether one could claim a READY attempt (its task type,
 * then its label), and every task type they run.
 */
final class LiveInstances {
  private final List<WorkerRow> workers;

  LiveInstances(List<WorkerRow> workers) {
    this.workers = workers;
  }

  /** Why no live instance can claim {@code a}, or empty if one can. */
  Optional<Reason> missing(AttemptRow a) {
    List<WorkerRow> typed =
        workers.stream().filter(w -> csv(w.taskTypes).contains(a.taskType)).toList();
    if (typed.isEmpty()) {
      return Optional.of(
          new Reason(
              Code.NO_INSTANCE_WITH_TASK_TYPE,
              "no live instance runs task type '" + a.taskType + "'"));
    }
    if (!a.label.isEmpty() && typed.stream().noneMatch(w -> csv(w.labels).contains(a.label))) {
      return Optional.of(
          new Reason(
              Code.NO_INSTANCE_WITH_LABEL,
              "no live instance with task type '" + a.taskType + "' has label '" + a.label + "'"));
    }
    return Optional.empty();
  }

  /** Every task type some live instance runs. */
  List<String> taskTypes() {
    return workers.stream().flatMap(w -> csv(w.taskTypes).stream()).distinct().toList();
  }

  private static Set<String> csv(String s) {
    return s == null || s.isEmpty() ? Set.of() : new TreeSet<>(Arrays.asList(s.split(",")));
  }
}

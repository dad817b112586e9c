package io.flinkplatform.engine.internal.progress;

import io.flinkplatform.engine.dag.Edge;
import io.flinkplatform.engine.internal.common.Json;
import io.flinkplatform.engine.internal.definition.Dag;
import io.flinkplatform.engine.run.TaskState;
import io.flinkplatform.spi.TaskType;
import java.util.Set;
import java.util.TreeSet;

/**
 * Branch choice: a successful attempt may name the downstream tasks whose edges from it fire
 * ({@code TaskOutcome.branch}); its edges to the others do not, and those tasks follow their
 * trigger rules (usually ending SKIPPED).
 */
public final class Branches {
  private Branches() {}

  /** The result with the chosen downstream task ids recorded (sorted, as a JSON list). */
  public static Result withChoice(Result r, Set<String> chosen) {
    return new Result(
        r.claim(),
        r.state(),
        r.retryable(),
        r.outputs(),
        r.message(),
        r.logPath(),
        Json.write(new TreeSet<>(chosen)));
  }

  /**
   * Whether {@code e} fires given its upstream's state and, for a success that chose branches, the
   * chosen downstream ids ({@code null}: no choice, every edge may fire).
   */
  public static boolean fires(Edge e, TaskState upstream, Set<String> chosen) {
    return Advance.matches(e, upstream)
        && (chosen == null || upstream != TaskState.SUCCESS || chosen.contains(e.to()));
  }

  /**
   * Whether the task is a decision (its type evaluates its upstream outcomes, as a condition does):
   * its failure means "false", not an error, so the tasks it does not lead to end SKIPPED rather
   * than UPSTREAM_FAILED, and it does not fail the run.
   */
  public static boolean isDecision(Dag dag, String taskId) {
    TaskType type = dag.types.get(taskId);
    return type != null && type.evaluatesUpstream();
  }
}

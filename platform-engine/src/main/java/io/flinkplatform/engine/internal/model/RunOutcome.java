package io.flinkplatform.engine.internal.model;

import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.run.TaskState;
import java.util.Map;

/**
 * How a run ends once none of its attempts is left to run. A run being killed ends KILLED; a run
 * whose version cannot be read ends FAILED; otherwise it fails when a task failed without an
 * outgoing FAILURE or ALWAYS edge to handle it (a decision's failure is its "false", not an error),
 * or a task ended UPSTREAM_FAILED or KILLED, and succeeds otherwise.
 */
public final class RunOutcome {
  private RunOutcome() {}

  /**
   * The end of a run now in {@code current}, from the latest state of each of its tasks; {@code
   * graph} is null when the run's version cannot be read.
   */
  public static RunState of(RunState current, TaskGraph graph, Map<String, TaskState> latest) {
    if (current == RunState.KILLING) {
      return RunState.KILLED;
    }
    if (graph == null) {
      return RunState.FAILED;
    }
    for (Map.Entry<String, TaskState> e : latest.entrySet()) {
      if (failsRun(graph, e.getKey(), e.getValue())) {
        return RunState.FAILED;
      }
    }
    return RunState.SUCCESS;
  }

  /** Whether a task whose latest attempt ended {@code s} fails its run. */
  public static boolean failsRun(TaskGraph graph, String task, TaskState s) {
    return s == TaskState.UPSTREAM_FAILED
        || s == TaskState.KILLED
        || (s == TaskState.FAILED && !graph.failureHandled(task) && !graph.isDecision(task));
  }
}

package io.flinkplatform.engine.run;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * What a rerun or a manual mark changed.
 *
 * @param runId the run
 * @param tasks the tasks that got a new attempt, in topological order
 * @param runState the run's state afterwards: RUNNING, or a final state when nothing was left to
 *     run (a mark that let no task run closes the run again at once)
 */
public record RerunResult(long runId, List<String> tasks, RunState runState) {

  public RerunResult {
    tasks = List.copyOf(requireNonNull(tasks, "tasks is null"));
    requireNonNull(runState, "runState is null");
  }
}

package io.flinkplatform.engine.run;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * What a rerun of a finished run asks for.
 *
 * @param runId the run to rerun; it must be SUCCESS, FAILED or KILLED
 * @param mode which tasks run again
 * @param taskId the task the mode starts from; empty for {@link RerunMode#FAILED_TASKS}
 */
public record RerunRequest(long runId, RerunMode mode, Optional<String> taskId) {

  public RerunRequest {
    requireNonNull(mode, "mode is null");
    requireNonNull(taskId, "taskId is null");
  }

  /** The failed, upstream-failed and killed tasks and everything downstream of them. */
  public static RerunRequest failedTasks(long runId) {
    return new RerunRequest(runId, RerunMode.FAILED_TASKS, Optional.empty());
  }

  /** One task only. */
  public static RerunRequest task(long runId, String taskId) {
    return of(runId, RerunMode.TASK, taskId);
  }

  /** A task and all its upstream tasks. */
  public static RerunRequest taskWithUpstream(long runId, String taskId) {
    return of(runId, RerunMode.TASK_AND_UPSTREAM, taskId);
  }

  /** A task and all its downstream tasks. */
  public static RerunRequest taskWithDownstream(long runId, String taskId) {
    return of(runId, RerunMode.TASK_AND_DOWNSTREAM, taskId);
  }

  private static RerunRequest of(long runId, RerunMode mode, String taskId) {
    return new RerunRequest(runId, mode, Optional.of(requireNonNull(taskId, "taskId is null")));
  }
}

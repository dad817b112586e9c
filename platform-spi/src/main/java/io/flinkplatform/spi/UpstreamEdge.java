package io.flinkplatform.spi;

import static java.util.Objects.requireNonNull;

/**
 * One incoming edge of a task as the run stands when the task starts ({@link
 * TaskContext#upstream()}).
 *
 * @param taskId the upstream task
 * @param on the edge's condition: {@code SUCCESS}, {@code FAILURE}, {@code ALWAYS} or {@code
 *     RUNNING} (fires once the upstream task's external work is up and released its downstream
 *     tasks, or when it succeeded without releasing them)
 * @param state the upstream task's latest state: {@code SUCCESS}, {@code FAILED}, {@code KILLED},
 *     {@code SKIPPED}, {@code UPSTREAM_FAILED} (or a non-final one for tasks that start early)
 * @param fired whether the edge fired: the state matches {@code on} and, when the upstream task
 *     chose branches ({@link TaskOutcome#branch}), this task is one of them
 */
public record UpstreamEdge(String taskId, String on, String state, boolean fired) {
  public UpstreamEdge {
    requireNonNull(taskId, "taskId is null");
    requireNonNull(on, "on is null");
    requireNonNull(state, "state is null");
  }

  /** Whether the upstream task ran to an end of its own: it succeeded or failed. */
  public boolean ran() {
    return state.equals("SUCCESS") || state.equals("FAILED");
  }
}

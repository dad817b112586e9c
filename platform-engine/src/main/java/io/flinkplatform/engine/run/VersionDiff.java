package io.flinkplatform.engine.run;

import static java.util.Objects.requireNonNull;

import io.flinkplatform.engine.dag.Edge;
import java.util.List;

/**
 * What changed from one version of a workflow to another, computed from the two definitions. From
 * {@code PlatformClient.diff(name, from, to)}.
 *
 * @param workflow the workflow's name
 * @param from the version compared from
 * @param to the version compared to
 * @param workflowFields the workflow-level fields that differ, among {@code description}, {@code
 *     parameters}, {@code parameterTypes}, {@code priority}, {@code maxActiveRuns} and {@code
 *     maxParallelTasks}
 * @param tasksAdded ids of the tasks only {@code to} has, in its order
 * @param tasksRemoved ids of the tasks only {@code from} has, in its order
 * @param tasksChanged the tasks both have that differ, in {@code to}'s order
 * @param edgesAdded edges only {@code to} has (an edge whose condition changed is removed and
 *     added)
 * @param edgesRemoved edges only {@code from} has
 */
public record VersionDiff(
    String workflow,
    int from,
    int to,
    List<String> workflowFields,
    List<String> tasksAdded,
    List<String> tasksRemoved,
    List<TaskChange> tasksChanged,
    List<Edge> edgesAdded,
    List<Edge> edgesRemoved) {

  public VersionDiff {
    requireNonNull(workflow, "workflow is null");
    workflowFields = List.copyOf(workflowFields);
    tasksAdded = List.copyOf(tasksAdded);
    tasksRemoved = List.copyOf(tasksRemoved);
    tasksChanged = List.copyOf(tasksChanged);
    edgesAdded = List.copyOf(edgesAdded);
    edgesRemoved = List.copyOf(edgesRemoved);
  }

  /** Whether the two versions define the same workflow. */
  public boolean isEmpty() {
    return workflowFields.isEmpty()
        && tasksAdded.isEmpty()
        && tasksRemoved.isEmpty()
        && tasksChanged.isEmpty()
        && edgesAdded.isEmpty()
        && edgesRemoved.isEmpty();
  }

  /**
   * A task both versions have, changed.
   *
   * @param taskId the task's id
   * @param optionKeys the option keys added, removed or given another value, sorted
   * @param fields the other fields that differ, among {@code type}, {@code triggerRule}, {@code
   *     retry}, {@code timeout}, {@code priority}, {@code parameters}, {@code label} and {@code
   *     pool}
   */
  public record TaskChange(String taskId, List<String> optionKeys, List<String> fields) {
    public TaskChange {
      requireNonNull(taskId, "taskId is null");
      optionKeys = List.copyOf(optionKeys);
      fields = List.copyOf(fields);
    }
  }
}

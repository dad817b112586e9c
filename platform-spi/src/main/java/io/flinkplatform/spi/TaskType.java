package io.flinkplatform.spi;

import java.util.List;

/**
 * One kind of task, identified by {@link #id()}, with typed options and validation.
 *
 * <p>A task type runs synchronously in a worker thread: {@link #execute(TaskContext)} returns when
 * the work is done, honouring {@link TaskContext#cancellation()} and {@link
 * TaskContext#deadline()}. Work that lives outside the JVM for a long time (a Flink job) implements
 * {@link ExternalTaskType} instead, so that no thread is held while it runs and a failover can
 * re-attach to it.
 *
 * <p>Implementations must be thread-safe: one instance runs many attempts at once.
 */
public interface TaskType {

  /** The unique id used in workflow definitions, e.g. {@code "shell"}; lower case, no spaces. */
  String id();

  /** One line that says what the task does; shown in error messages and docs. */
  default String description() {
    return "";
  }

  /** The options this task type accepts. Unknown options are rejected at deploy time. */
  default List<TaskOption> options() {
    return List.of();
  }

  /**
   * Checks that go beyond single options (combinations, syntax). Every problem is returned at once,
   * each as one human-readable sentence naming the option. Called after the options themselves
   * passed their type checks.
   */
  default List<String> validate(TaskConfig config) {
    return List.of();
  }

  /**
   * {@link #validate(TaskConfig)} for a workflow deployed in {@code workspace}: a task type that
   * resolves names (a datasource, a catalog) checks here that they exist in the workspace or are
   * granted to it. By default the same as {@link #validate(TaskConfig)}.
   */
  default List<String> validate(TaskConfig config, String workspace) {
    return validate(config);
  }

  /**
   * Runs one attempt. Return an outcome, or throw: an exception counts as a retryable failure whose
   * message is the exception's. Must return soon after {@link TaskContext#cancellation()} fires.
   */
  TaskOutcome execute(TaskContext context) throws Exception;

  /**
   * Whether the task decides on its upstream outcomes itself (a condition). If so, the engine does
   * not apply the task's trigger rule: the task becomes ready once every upstream task has ended,
   * whatever the outcomes (skipped and failed ones included), and reads them from {@link
   * TaskContext#upstream()}.
   *
   * <p>Such a task is a decision: its failure means "false", not an error. Its {@code FAILURE}
   * edges fire; the tasks reached only through its other edges end {@code SKIPPED} (not {@code
   * UPSTREAM_FAILED}), and its failure does not fail the run.
   */
  default boolean evaluatesUpstream() {
    return false;
  }

  /**
   * The workflows a task with this config starts when it runs (a sub-workflow). The platform
   * follows these references when a workflow is deployed and refuses one that would, directly or
   * through others, start itself.
   */
  default List<WorkflowReference> referencedWorkflows(TaskConfig config) {
    return List.of();
  }
}

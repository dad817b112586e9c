package io.flinkplatform.engine.dag;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * One task of a workflow: its id, its type (a plugin's task type id), its raw options, and how it
 * is scheduled.
 *
 * @param id unique within the workflow
 * @param type a task type id such as {@code shell}
 * @param options raw option values (strings, numbers, booleans, lists, maps), checked at deploy
 * @param triggerRule when the task becomes ready given its incoming edges
 * @param retry retries after a failure
 * @param timeout the time one attempt may take, or empty for none
 * @param priority higher runs first among ready tasks
 * @param parameters task-level parameters, overriding global, workflow and run parameters
 * @param label the worker label an instance must have to run the task, if any
 * @param pool the named pool whose slot the task takes while it runs, if any
 */
public record TaskDefinition(
    String id,
    String type,
    Map<String, Object> options,
    TriggerRule triggerRule,
    RetryPolicy retry,
    Optional<Duration> timeout,
    int priority,
    Map<String, String> parameters,
    Optional<String> label,
    Optional<String> pool) {

  /** A task that needs no label and no pool. */
  public TaskDefinition(
      String id,
      String type,
      Map<String, Object> options,
      TriggerRule triggerRule,
      RetryPolicy retry,
      Optional<Duration> timeout,
      int priority,
      Map<String, String> parameters) {
    this(
        id,
        type,
        options,
        triggerRule,
        retry,
        timeout,
        priority,
        parameters,
        Optional.empty(),
        Optional.empty());
  }

  public TaskDefinition {
    requireNonNull(id, "id is null");
    requireNonNull(type, "type is null");
    options =
        java.util.Collections.unmodifiableMap(
            new java.util.LinkedHashMap<>(requireNonNull(options, "options is null")));
    requireNonNull(triggerRule, "triggerRule is null");
    requireNonNull(retry, "retry is null");
    requireNonNull(timeout, "timeout is null");
    parameters =
        java.util.Collections.unmodifiableMap(
            new java.util.LinkedHashMap<>(requireNonNull(parameters, "parameters is null")));
    requireNonNull(label, "label is null");
    requireNonNull(pool, "pool is null");
  }
}

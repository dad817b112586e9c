package io.flinkplatform.tasks.sql;

import io.flinkplatform.spi.TaskContext;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The values a script may bind or splice, by name: the task's parameters, {@code
 * upstream.<taskId>.<key>} for each output of a task directly upstream, and {@code platform.runId},
 * {@code platform.taskId}, {@code platform.attempt}, {@code platform.fencingEpoch}, {@code
 * platform.logicalDate}. The {@code upstream.} and {@code platform.} names come last and win, so no
 * parameter can stand in for them (parameter names cannot hold a '.' anyway; only a definition
 * stored before that rule could have one).
 */
final class SqlParameters {
  private SqlParameters() {}

  static Map<String, String> of(TaskContext context) {
    Map<String, String> values = new LinkedHashMap<>(context.parameters());
    context
        .upstreamOutputs()
        .forEach(
            (task, outputs) ->
                outputs.forEach((key, value) -> values.put("upstream." + task + "." + key, value)));
    values.put("platform.runId", Long.toString(context.runId()));
    values.put("platform.taskId", context.taskId());
    values.put("platform.attempt", Integer.toString(context.attemptNumber()));
    values.put("platform.fencingEpoch", Long.toString(context.fencingEpoch()));
    values.put("platform.logicalDate", context.logicalDate().toString());
    return values;
  }
}

package io.flinkplatform.tasks.logic;

import io.flinkplatform.spi.TaskContext;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What expressions and {@code ${name}} references of logic tasks read: the task's parameters, and
 * each output of a task directly upstream as {@code task.key}. The engine keeps outputs out of the
 * parameters; they join here, and an output wins over a parameter of the same name (parameter names
 * cannot hold a '.', so only a definition deployed before that rule could have one).
 */
final class NamedValues {
  private NamedValues() {}

  static Map<String, String> of(TaskContext context) {
    Map<String, String> values = new LinkedHashMap<>(context.parameters());
    context
        .upstreamOutputs()
        .forEach((task, outputs) -> outputs.forEach((k, v) -> values.put(task + "." + k, v)));
    return values;
  }
}

package io.flinkplatform.engine.internal.definition;

import io.flinkplatform.engine.dag.Edge;
import io.flinkplatform.engine.dag.EdgeCondition;
import io.flinkplatform.engine.dag.TaskDefinition;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.spi.ExternalTaskType;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a workflow's edges: both ends are tasks of the workflow, a RUNNING edge leaves a task of
 * an external task type, no task depends on itself, and no edge is given twice. Cycles are {@link
 * Cycles}'.
 */
final class EdgeChecks {
  private final PluginRegistry plugins;

  EdgeChecks(PluginRegistry plugins) {
    this.plugins = plugins;
  }

  /** Adds the problems of the workflow's edges, without cycles, to {@code problems}. */
  void check(Workflow w, Map<String, TaskDefinition> byId, List<String> problems) {
    Set<String> seenEdges = new HashSet<>();
    for (Edge e : w.edges()) {
      for (String end : List.of(e.from(), e.to())) {
        if (!byId.containsKey(end)) {
          problems.add(
              "edge "
                  + e.from()
                  + " -> "
                  + e.to()
                  + " refers to unknown task '"
                  + end
                  + "'; tasks are "
                  + byId.keySet());
        }
      }
      TaskDefinition upstream = byId.get(e.from());
      if (e.on() == EdgeCondition.RUNNING
          && upstream != null
          && plugins.find(upstream.type()).filter(ExternalTaskType.class::isInstance).isEmpty()
          && plugins.find(upstream.type()).isPresent()) {
        problems.add(
            "edge "
                + e.from()
                + " -> "
                + e.to()
                + " on RUNNING: task '"
                + e.from()
                + "' has type '"
                + upstream.type()
                + "', which runs to its end and never reports running; RUNNING edges need an"
                + " external task type (e.g. flink_sql, flink_jar); use SUCCESS, FAILURE or"
                + " ALWAYS");
      }
      if (e.from().equals(e.to())) {
        problems.add("task '" + e.from() + "' depends on itself");
      } else if (!seenEdges.add(e.from() + "\u0000" + e.to())) {
        problems.add("more than one edge " + e.from() + " -> " + e.to());
      }
    }
  }
}

package io.flinkplatform.engine.internal;

import com.google.common.collect.ImmutableListMultimap;
import com.google.common.collect.ImmutableMap;
import io.flinkplatform.engine.dag.Edge;
import io.flinkplatform.engine.dag.TaskDefinition;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.spi.TaskConfig;
import io.flinkplatform.spi.TaskType;
import java.util.Map;

/** A deployed, validated workflow version ready to run: tasks with resolved types, edges by end. */
final class Dag {
  final long flowId;
  final int version;
  final Workflow workflow;
  final Map<String, TaskDefinition> tasks;
  final Map<String, TaskType> types;
  final Map<String, TaskConfig> configs;
  final ImmutableListMultimap<String, Edge> incoming;
  final ImmutableListMultimap<String, Edge> outgoing;

  Dag(long flowId, int version, Workflow workflow, PluginRegistry plugins) {
    this.flowId = flowId;
    this.version = version;
    this.workflow = workflow;
    ImmutableMap.Builder<String, TaskDefinition> t = ImmutableMap.builder();
    ImmutableMap.Builder<String, TaskType> ty = ImmutableMap.builder();
    ImmutableMap.Builder<String, TaskConfig> c = ImmutableMap.builder();
    for (TaskDefinition def : workflow.tasks()) {
      t.put(def.id(), def);
      plugins
          .find(def.type())
          .ifPresent(
              type -> {
                ty.put(def.id(), type);
                c.put(def.id(), TaskConfig.of(def.options(), type.options()));
              });
    }
    this.tasks = t.buildOrThrow();
    this.types = ty.buildOrThrow();
    this.configs = c.buildOrThrow();
    ImmutableListMultimap.Builder<String, Edge> in = ImmutableListMultimap.builder();
    ImmutableListMultimap.Builder<String, Edge> out = ImmutableListMultimap.builder();
    for (Edge e : workflow.edges()) {
      in.put(e.to(), e);
      out.put(e.from(), e);
    }
    this.incoming = in.build();
    this.outgoing = out.build();
  }

  /** Whether a failure of {@code taskId} is handled by an outgoing FAILURE or ALWAYS edge. */
  boolean failureHandled(String taskId) {
    return outgoing.get(taskId).stream()
        .anyMatch(
            e ->
                e.on() == io.flinkplatform.engine.dag.EdgeCondition.FAILURE
                    || e.on() == io.flinkplatform.engine.dag.EdgeCondition.ALWAYS);
  }
}

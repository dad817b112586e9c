package io.flinkplatform.engine.internal.definition;

import com.google.common.collect.ImmutableMap;
import io.flinkplatform.engine.dag.TaskDefinition;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.internal.model.TaskGraph;
import io.flinkplatform.spi.TaskConfig;
import io.flinkplatform.spi.TaskOption;
import io.flinkplatform.spi.TaskType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A deployed, validated workflow version ready to run: tasks with resolved types, edges by end. */
public final class Dag {
  final long flowId;
  public final int version;
  public final Workflow workflow;
  public final Map<String, TaskDefinition> tasks;
  public final Map<String, TaskType> types;
  public final Map<String, TaskConfig> configs;

  /**
   * Why a task's options can no longer be read, by task id: the task type changed an option since
   * this version was deployed (a plugin upgrade). Such a task has no config; its attempts fail
   * without running (see {@code worker.Executor}), while the rest of the version stays usable.
   */
  public final Map<String, String> unreadable;

  /** The version's shape as the run model reads it, built once with the version. */
  public final TaskGraph graph;

  Dag(long flowId, int version, Workflow workflow, PluginRegistry plugins) {
    this.flowId = flowId;
    this.version = version;
    this.workflow = workflow;
    ImmutableMap.Builder<String, TaskDefinition> t = ImmutableMap.builder();
    ImmutableMap.Builder<String, TaskType> ty = ImmutableMap.builder();
    ImmutableMap.Builder<String, TaskConfig> c = ImmutableMap.builder();
    ImmutableMap.Builder<String, String> u = ImmutableMap.builder();
    for (TaskDefinition def : workflow.tasks()) {
      t.put(def.id(), def);
      plugins
          .find(def.type())
          .ifPresent(
              type -> {
                ty.put(def.id(), type);
                try {
                  c.put(def.id(), TaskConfig.of(def.options(), type.options()));
                } catch (RuntimeException e) {
                  u.put(def.id(), unreadable(workflow, version, def, type, e));
                }
              });
    }
    this.tasks = t.buildOrThrow();
    this.types = ty.buildOrThrow();
    this.configs = c.buildOrThrow();
    this.unreadable = u.buildOrThrow();
    Set<String> decisions = new HashSet<>();
    types.forEach(
        (id, type) -> {
          if (type.evaluatesUpstream()) {
            decisions.add(id);
          }
        });
    this.graph = TaskGraph.of(workflow, decisions);
  }

  /**
   * Names the version, the task and the options that no longer convert, with their declared type
   * but not their values (an option may hold a secret).
   */
  private static String unreadable(
      Workflow workflow, int version, TaskDefinition def, TaskType type, RuntimeException e) {
    List<String> bad = new ArrayList<>();
    for (TaskOption option : type.options()) {
      Object raw = def.options().get(option.name());
      try {
        if (raw != null) {
          option.type().convert(raw);
        }
      } catch (RuntimeException notConverted) {
        bad.add(
            "option '"
                + option.name()
                + "' ("
                + raw.getClass().getSimpleName()
                + ") does not convert to "
                + option.type());
      }
    }
    return "workflow '"
        + workflow.name()
        + "' version "
        + version
        + ", task '"
        + def.id()
        + "': its options no longer fit task type '"
        + def.type()
        + "' as installed ("
        + (bad.isEmpty() ? e.getClass().getSimpleName() : String.join("; ", bad))
        + "); the type changed since this version was deployed: deploy a new version";
  }
}

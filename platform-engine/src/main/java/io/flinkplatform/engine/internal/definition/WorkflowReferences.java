package io.flinkplatform.engine.internal.definition;

import io.flinkplatform.engine.dag.TaskDefinition;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.dag.WorkflowJson;
import io.flinkplatform.engine.internal.store.FlowRow;
import io.flinkplatform.engine.internal.store.Store;
import io.flinkplatform.spi.TaskConfig;
import io.flinkplatform.spi.TaskType;
import io.flinkplatform.spi.WorkflowReference;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Refuses, at deploy time, a workflow that would start itself again and again: it follows the
 * workflows its tasks start ({@code TaskType.referencedWorkflows}, e.g. sub-workflows) through the
 * deployed versions, taking the workflow being deployed as the latest version of its name.
 */
public final class WorkflowReferences {
  private final Store store;
  private final PluginRegistry plugins;

  public WorkflowReferences(Store store, PluginRegistry plugins) {
    this.store = store;
    this.plugins = plugins;
  }

  /** Problems: referenced workflows that are not deployed, and the first cycle found. */
  List<String> problems(Workflow w) {
    List<String> problems = new ArrayList<>();
    Map<String, Optional<Workflow>> loaded = new HashMap<>();
    String root = key(new WorkflowReference(w.name(), Optional.empty()));
    loaded.put(root, Optional.of(w));
    for (TaskDefinition t : w.tasks()) {
      for (WorkflowReference ref : references(t)) {
        if (load(ref, w, loaded).isEmpty()) {
          problems.add(
              "task '"
                  + t.id()
                  + "': workflow '"
                  + ref.name()
                  + "'"
                  + ref.version().map(v -> " version " + v).orElse("")
                  + " is not deployed; deploy it first");
        }
      }
    }
    LinkedHashSet<String> path = new LinkedHashSet<>();
    List<String> cycle = visit(root, w, loaded, path);
    if (cycle != null) {
      problems.add("sub-workflow recursion that would never end: " + String.join(" -> ", cycle));
    }
    return problems;
  }

  private List<String> visit(
      String node,
      Workflow root,
      Map<String, Optional<Workflow>> loaded,
      LinkedHashSet<String> path) {
    if (path.contains(node)) {
      List<String> cycle = new ArrayList<>();
      boolean on = false;
      for (String p : path) {
        on |= p.equals(node);
        if (on) {
          cycle.add(p);
        }
      }
      cycle.add(node);
      return cycle;
    }
    Optional<Workflow> w = loaded.get(node);
    if (w == null || w.isEmpty()) {
      return null;
    }
    path.add(node);
    for (TaskDefinition t : w.get().tasks()) {
      for (WorkflowReference ref : references(t)) {
        load(ref, root, loaded);
        List<String> cycle = visit(key(ref), root, loaded, path);
        if (cycle != null) {
          return cycle;
        }
      }
    }
    path.remove(node);
    return null;
  }

  private Optional<Workflow> load(
      WorkflowReference ref, Workflow root, Map<String, Optional<Workflow>> loaded) {
    return loaded.computeIfAbsent(
        key(ref),
        k -> {
          FlowRow row =
              store.tx(
                  "read workflow '" + ref.name() + "'",
                  m -> m.selectFlow(ref.name(), ref.version().orElse(null)));
          return Optional.ofNullable(row).map(r -> WorkflowJson.read(r.definition));
        });
  }

  private List<WorkflowReference> references(TaskDefinition t) {
    Optional<TaskType> type = plugins.find(t.type());
    if (type.isEmpty()) {
      return List.of();
    }
    try {
      return type.get().referencedWorkflows(TaskConfig.of(t.options(), type.get().options()));
    } catch (RuntimeException e) {
      return List.of(); // bad options are reported by the validator
    }
  }

  private static String key(WorkflowReference ref) {
    return ref.name() + ref.version().map(v -> "@v" + v).orElse("");
  }
}

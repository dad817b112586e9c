package io.flinkplatform.engine.internal.definition;

import io.flinkplatform.engine.dag.TaskDefinition;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.dag.WorkflowJson;
import io.flinkplatform.engine.internal.store.FlowRow;
import io.flinkplatform.engine.internal.store.Store;
import io.flinkplatform.spi.TaskConfig;
import io.flinkplatform.spi.TaskType;
import io.flinkplatform.spi.WorkflowReference;
import io.flinkplatform.spi.WorkspaceAccess;
import io.flinkplatform.spi.Workspaces;
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
  private final WorkspaceAccess access;

  /**
   * @param access whether a workspace may start another's workflow (a grant of kind {@code
   *     workflow})
   */
  public WorkflowReferences(Store store, PluginRegistry plugins, WorkspaceAccess access) {
    this.store = store;
    this.plugins = plugins;
    this.access = access;
  }

  /**
   * Problems of {@code w} deployed in {@code workspace}: referenced workflows that are not deployed
   * or, in another workspace, not granted to this one; and the first cycle found.
   */
  List<String> problems(Workflow w, String workspace) {
    List<String> problems = new ArrayList<>();
    Map<String, Optional<Workflow>> loaded = new HashMap<>();
    String root = key(workspace, new WorkflowReference(w.name(), Optional.empty()));
    loaded.put(root, Optional.of(w));
    for (TaskDefinition t : w.tasks()) {
      for (WorkflowReference ref : references(t)) {
        Workspaces.Ref target;
        try {
          target = Workspaces.resolve(workspace, ref.name());
        } catch (IllegalArgumentException e) {
          problems.add("task '" + t.id() + "': " + e.getMessage());
          continue;
        }
        if (!access.granted(workspace, WorkspaceAccess.WORKFLOW, target)) {
          problems.add(
              "task '"
                  + t.id()
                  + "': workflow '"
                  + ref.name()
                  + "' belongs to workspace '"
                  + target.workspace()
                  + "', which has not granted it to workspace '"
                  + workspace
                  + "'");
          continue;
        }
        if (load(workspace, ref, loaded).isEmpty()) {
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
    if (!problems.isEmpty()) {
      return problems;
    }
    LinkedHashSet<String> path = new LinkedHashSet<>();
    List<String> cycle = visit(root, workspace, loaded, path);
    if (cycle != null) {
      // names as the deploying workspace writes them: its own plain, others' as workspace/name
      String own = workspace + "/";
      problems.add(
          "sub-workflow recursion that would never end: "
              + cycle.stream()
                  .map(n -> n.startsWith(own) ? n.substring(own.length()) : n)
                  .collect(java.util.stream.Collectors.joining(" -> ")));
    }
    return problems;
  }

  private List<String> visit(
      String node,
      String workspace,
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
    // names in a workflow resolve in its own workspace
    String own = node.substring(0, node.indexOf('/'));
    for (TaskDefinition t : w.get().tasks()) {
      for (WorkflowReference ref : references(t)) {
        load(own, ref, loaded);
        List<String> cycle = visit(key(own, ref), workspace, loaded, path);
        if (cycle != null) {
          return cycle;
        }
      }
    }
    path.remove(node);
    return null;
  }

  private Optional<Workflow> load(
      String from, WorkflowReference ref, Map<String, Optional<Workflow>> loaded) {
    Workspaces.Ref target;
    try {
      target = Workspaces.resolve(from, ref.name());
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    return loaded.computeIfAbsent(
        key(from, ref),
        k -> {
          FlowRow row =
              store.tx(
                  "read workflow '" + ref.name() + "'",
                  m -> m.selectFlow(target.workspace(), target.name(), ref.version().orElse(null)));
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

  /** workspace/name[@vN] of the workflow {@code ref} names from workspace {@code from}. */
  private static String key(String from, WorkflowReference ref) {
    String qualified;
    try {
      qualified = Workspaces.resolve(from, ref.name()).qualified();
    } catch (IllegalArgumentException e) {
      qualified = from + "/" + ref.name();
    }
    return qualified + ref.version().map(v -> "@v" + v).orElse("");
  }
}

package io.flinkplatform.engine.internal.query;

import static java.util.Objects.requireNonNull;

import io.flinkplatform.engine.dag.Edge;
import io.flinkplatform.engine.dag.TaskDefinition;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.run.VersionDiff;
import io.flinkplatform.engine.run.VersionDiff.TaskChange;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/** What changed between two definitions of a workflow: a pure function of the two. */
public final class WorkflowDiffs {
  private WorkflowDiffs() {}

  /** The difference from {@code a} (version {@code from}) to {@code b} (version {@code to}). */
  public static VersionDiff diff(String name, int from, Workflow a, int to, Workflow b) {
    requireNonNull(a, "a is null");
    requireNonNull(b, "b is null");
    Map<String, TaskDefinition> before = byId(a);
    Map<String, TaskDefinition> after = byId(b);
    List<String> added = new ArrayList<>();
    List<TaskChange> changed = new ArrayList<>();
    for (TaskDefinition t : after.values()) {
      TaskDefinition old = before.get(t.id());
      if (old == null) {
        added.add(t.id());
      } else if (!old.equals(t)) {
        changed.add(new TaskChange(t.id(), optionKeys(old, t), taskFields(old, t)));
      }
    }
    List<String> removed = before.keySet().stream().filter(id -> !after.containsKey(id)).toList();
    Set<Edge> edgesBefore = new LinkedHashSet<>(a.edges());
    Set<Edge> edgesAfter = new LinkedHashSet<>(b.edges());
    return new VersionDiff(
        name,
        from,
        to,
        workflowFields(a, b),
        added,
        removed,
        changed,
        edgesAfter.stream().filter(e -> !edgesBefore.contains(e)).toList(),
        edgesBefore.stream().filter(e -> !edgesAfter.contains(e)).toList());
  }

  private static Map<String, TaskDefinition> byId(Workflow w) {
    Map<String, TaskDefinition> tasks = new LinkedHashMap<>();
    w.tasks().forEach(t -> tasks.putIfAbsent(t.id(), t));
    return tasks;
  }

  private static List<String> optionKeys(TaskDefinition a, TaskDefinition b) {
    Set<String> keys = new TreeSet<>(a.options().keySet());
    keys.addAll(b.options().keySet());
    return keys.stream()
        .filter(
            k ->
                a.options().containsKey(k) != b.options().containsKey(k)
                    || !Objects.equals(a.options().get(k), b.options().get(k)))
        .toList();
  }

  private static List<String> taskFields(TaskDefinition a, TaskDefinition b) {
    List<String> fields = new ArrayList<>();
    differs(fields, "type", a, b, TaskDefinition::type);
    differs(fields, "triggerRule", a, b, TaskDefinition::triggerRule);
    differs(fields, "retry", a, b, TaskDefinition::retry);
    differs(fields, "timeout", a, b, TaskDefinition::timeout);
    differs(fields, "priority", a, b, TaskDefinition::priority);
    differs(fields, "parameters", a, b, TaskDefinition::parameters);
    differs(fields, "label", a, b, TaskDefinition::label);
    differs(fields, "pool", a, b, TaskDefinition::pool);
    return fields;
  }

  private static List<String> workflowFields(Workflow a, Workflow b) {
    List<String> fields = new ArrayList<>();
    differs(fields, "description", a, b, Workflow::description);
    differs(fields, "parameters", a, b, Workflow::parameters);
    differs(fields, "parameterTypes", a, b, Workflow::parameterTypes);
    differs(fields, "priority", a, b, Workflow::priority);
    differs(fields, "maxActiveRuns", a, b, Workflow::maxActiveRuns);
    differs(fields, "maxParallelTasks", a, b, Workflow::maxParallelTasks);
    return fields;
  }

  private static <T> void differs(
      List<String> fields, String field, T a, T b, Function<T, Object> value) {
    if (!Objects.equals(value.apply(a), value.apply(b))) {
      fields.add(field);
    }
  }
}

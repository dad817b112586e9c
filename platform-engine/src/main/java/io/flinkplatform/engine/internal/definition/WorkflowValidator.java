package io.flinkplatform.engine.internal.definition;

import io.flinkplatform.engine.InvalidRequestException;
import io.flinkplatform.engine.dag.DateMacros;
import io.flinkplatform.engine.dag.Edge;
import io.flinkplatform.engine.dag.TaskDefinition;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.spi.ExternalTaskType;
import io.flinkplatform.spi.TaskConfig;
import io.flinkplatform.spi.TaskOption;
import io.flinkplatform.spi.TaskType;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Finds every problem of a workflow at once: structure, task types and their options. */
public final class WorkflowValidator {
  public static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");
  public static final Pattern LABEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}");
  private final PluginRegistry plugins;
  private final WorkflowReferences references;
  private final io.flinkplatform.spi.SecretNames secretNames;

  public WorkflowValidator(PluginRegistry plugins) {
    this(plugins, null);
  }

  /** A validator that also follows the workflows tasks start, to refuse endless recursion. */
  public WorkflowValidator(PluginRegistry plugins, WorkflowReferences references) {
    this(plugins, references, io.flinkplatform.spi.SecretNames.defaults());
  }

  /** The same, refusing secret options that name a secret outside {@code secretNames}. */
  public WorkflowValidator(
      PluginRegistry plugins,
      WorkflowReferences references,
      io.flinkplatform.spi.SecretNames secretNames) {
    this.plugins = plugins;
    this.references = references;
    this.secretNames = secretNames;
  }

  /** Renders every value once against a sample date, so that malformed macros fail at deploy. */
  private static void checkMacros(String what, Map<String, String> params, List<String> problems) {
    params.forEach(
        (k, v) -> {
          try {
            DateMacros.render(what + " '" + k + "'", v, Instant.EPOCH, ZoneOffset.UTC);
          } catch (InvalidRequestException e) {
            problems.add(e.getMessage());
          }
        });
    if (params.containsKey(DateMacros.TIMEZONE)) {
      try {
        DateMacros.zone(params);
      } catch (InvalidRequestException e) {
        problems.add(what + " " + e.getMessage());
      }
    }
  }

  public List<String> problems(Workflow w) {
    List<String> problems = new ArrayList<>();
    if (!ID.matcher(w.name()).matches()) {
      problems.add("workflow name '" + w.name() + "' must match " + ID.pattern());
    }
    if (w.tasks().isEmpty()) {
      problems.add("the workflow has no tasks");
    }
    DefinitionBounds.check(w, problems);
    Map<String, TaskDefinition> byId = new LinkedHashMap<>();
    for (TaskDefinition t : w.tasks()) {
      if (byId.putIfAbsent(t.id(), t) != null) {
        problems.add("duplicate task id '" + t.id() + "'");
      }
      if (!ID.matcher(t.id()).matches()) {
        problems.add("task id '" + t.id() + "' must match " + ID.pattern());
      }
      t.timeout()
          .filter(d -> d.isNegative() || d.isZero())
          .ifPresent(
              d -> problems.add("task '" + t.id() + "': timeout must be positive but was " + d));
      checkType(t, problems);
      t.label()
          .filter(l -> !LABEL.matcher(l).matches())
          .ifPresent(
              l ->
                  problems.add(
                      "task '" + t.id() + "': label '" + l + "' must match " + LABEL.pattern()));
      t.pool()
          .filter(l -> !LABEL.matcher(l).matches())
          .ifPresent(
              l ->
                  problems.add(
                      "task '" + t.id() + "': pool '" + l + "' must match " + LABEL.pattern()));
      checkMacros("task '" + t.id() + "' parameter", t.parameters(), problems);
    }
    checkMacros("workflow parameter", w.parameters(), problems);
    w.maxActiveRuns()
        .filter(n -> n < 1)
        .ifPresent(n -> problems.add("maxActiveRuns must be at least 1 but was " + n));
    w.maxParallelTasks()
        .filter(n -> n < 1)
        .ifPresent(n -> problems.add("maxParallelTasks must be at least 1 but was " + n));
    problems.addAll(TypedParameters.problems(w));
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
      if (e.on() == io.flinkplatform.engine.dag.EdgeCondition.RUNNING
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
    findCycle(w).ifPresent(path -> problems.add("cycle: " + String.join(" -> ", path)));
    if (problems.isEmpty() && references != null) {
      problems.addAll(references.problems(w));
    }
    return problems;
  }

  private void checkType(TaskDefinition t, List<String> problems) {
    var found = plugins.find(t.type());
    if (found.isEmpty()) {
      problems.add(
          "task '"
              + t.id()
              + "': unknown task type '"
              + t.type()
              + "'; known types are "
              + plugins.ids());
      return;
    }
    TaskType type = found.get();
    Map<String, TaskOption> declared =
        type.options().stream()
            .collect(Collectors.toMap(TaskOption::name, o -> o, (a, b) -> a, LinkedHashMap::new));
    int before = problems.size();
    for (String key : t.options().keySet()) {
      if (!declared.containsKey(key)) {
        problems.add(
            "task '"
                + t.id()
                + "': unknown option '"
                + key
                + "' for type '"
                + t.type()
                + "'; supported options are "
                + declared.keySet());
      }
    }
    for (TaskOption o : declared.values()) {
      Object raw = t.options().get(o.name());
      if (raw == null) {
        if (o.required()) {
          problems.add(
              "task '"
                  + t.id()
                  + "': missing required option '"
                  + o.name()
                  + "' ("
                  + o.type()
                  + ": "
                  + o.description()
                  + ")");
        }
        continue;
      }
      if (o.secret()) {
        Optional<String> reference = io.flinkplatform.spi.Secrets.referenceName(raw);
        if (reference.isEmpty()) {
          problems.add(
              "task '"
                  + t.id()
                  + "': option '"
                  + o.name()
                  + "' is a secret: give a reference secret:NAME (NAME of letters, digits, _ . - /),"
                  + " resolved when the task runs; the secret itself is never stored");
        } else {
          reference
              .flatMap(secretNames::problem)
              .ifPresent(
                  p -> problems.add("task '" + t.id() + "': option '" + o.name() + "': " + p));
        }
        continue;
      }
      try {
        Object value = o.type().convert(raw);
        if (!o.allowedValues().isEmpty() && !o.allowedValues().contains(String.valueOf(value))) {
          problems.add(
              "task '"
                  + t.id()
                  + "': option '"
                  + o.name()
                  + "' must be one of "
                  + o.allowedValues()
                  + " but was '"
                  + (o.secret() ? "****" : value)
                  + "'");
        }
      } catch (RuntimeException e) {
        problems.add(
            "task '"
                + t.id()
                + "': option '"
                + o.name()
                + "' "
                + (o.secret() ? "has a value of the wrong type" : e.getMessage()));
      }
    }
    if (problems.size() == before) {
      try {
        for (String p : type.validate(TaskConfig.of(t.options(), type.options()))) {
          problems.add("task '" + t.id() + "': " + p);
        }
      } catch (RuntimeException e) {
        problems.add("task '" + t.id() + "': options could not be checked: " + e.getMessage());
      }
    }
  }

  /**
   * Depth-first search; returns the first cycle found as a path that starts and ends on one task.
   */
  private static java.util.Optional<List<String>> findCycle(Workflow w) {
    Map<String, List<String>> next = new HashMap<>();
    w.edges().forEach(e -> next.computeIfAbsent(e.from(), k -> new ArrayList<>()).add(e.to()));
    Map<String, Integer> color = new HashMap<>(); // 1 = on stack, 2 = done
    for (TaskDefinition start : w.tasks()) {
      LinkedHashSet<String> stack = new LinkedHashSet<>();
      List<String> cycle = visit(start.id(), next, color, stack);
      if (cycle != null) {
        return java.util.Optional.of(cycle);
      }
    }
    return java.util.Optional.empty();
  }

  private static List<String> visit(
      String node,
      Map<String, List<String>> next,
      Map<String, Integer> color,
      LinkedHashSet<String> stack) {
    // Iterative DFS so that deep DAGs (thousands of tasks in a chain) do not overflow the stack.
    record Frame(String node, java.util.Iterator<String> children) {}
    if (color.getOrDefault(node, 0) != 0) {
      return null;
    }
    java.util.ArrayDeque<Frame> frames = new java.util.ArrayDeque<>();
    frames.push(new Frame(node, next.getOrDefault(node, List.of()).iterator()));
    color.put(node, 1);
    stack.add(node);
    while (!frames.isEmpty()) {
      Frame f = frames.peek();
      if (f.children().hasNext()) {
        String child = f.children().next();
        int c = color.getOrDefault(child, 0);
        if (c == 1) {
          List<String> path = new ArrayList<>();
          boolean on = false;
          for (String s : stack) {
            on |= s.equals(child);
            if (on) {
              path.add(s);
            }
          }
          path.add(child);
          return path;
        }
        if (c == 0) {
          color.put(child, 1);
          stack.add(child);
          frames.push(new Frame(child, next.getOrDefault(child, List.of()).iterator()));
        }
      } else {
        frames.pop();
        color.put(f.node(), 2);
        stack.remove(f.node());
      }
    }
    return null;
  }
}

package io.flinkplatform.engine.internal.definition;

import io.flinkplatform.engine.InvalidRequestException;
import io.flinkplatform.engine.dag.DateMacros;
import io.flinkplatform.engine.dag.TaskDefinition;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.spi.SecretNames;
import io.flinkplatform.spi.Workspaces;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Finds every problem of a workflow at once, in a fixed order: names, bounds and the workflow's own
 * fields here, each task's type and options ({@link TaskOptionChecks}), typed parameters, edges
 * ({@link EdgeChecks}), cycles ({@link Cycles}), and last, if nothing else is wrong, the workflows
 * its tasks start ({@link WorkflowReferences}).
 */
public final class WorkflowValidator {
  public static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");
  public static final Pattern LABEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}");

  /** A pool of the workspace, or {@code workspace/pool} of another one. */
  static final Pattern POOL =
      Pattern.compile("([a-z][a-z0-9_-]{0,63}/)?[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}");

  private final TaskOptionChecks options;
  private final EdgeChecks edges;
  private final WorkflowReferences references;

  public WorkflowValidator(PluginRegistry plugins) {
    this(plugins, null);
  }

  /** A validator that also follows the workflows tasks start, to refuse endless recursion. */
  public WorkflowValidator(PluginRegistry plugins, WorkflowReferences references) {
    this(plugins, references, SecretNames.defaults());
  }

  /** The same, refusing secret options that name a secret outside {@code secretNames}. */
  public WorkflowValidator(
      PluginRegistry plugins, WorkflowReferences references, SecretNames secretNames) {
    this.options = new TaskOptionChecks(plugins, secretNames);
    this.edges = new EdgeChecks(plugins);
    this.references = references;
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
    return problems(w, Workspaces.DEFAULT);
  }

  /**
   * Every problem of {@code w} deployed in {@code workspace}: task types resolve the names they use
   * there ({@code TaskType.validate(config, workspace)}), and so do the workflows its tasks start.
   */
  public List<String> problems(Workflow w, String workspace) {
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
      options.check(t, workspace, problems);
      t.label()
          .filter(l -> !LABEL.matcher(l).matches())
          .ifPresent(
              l ->
                  problems.add(
                      "task '" + t.id() + "': label '" + l + "' must match " + LABEL.pattern()));
      t.pool()
          .filter(l -> !POOL.matcher(l).matches())
          .ifPresent(
              l ->
                  problems.add(
                      "task '"
                          + t.id()
                          + "': pool '"
                          + l
                          + "' must match "
                          + LABEL.pattern()
                          + ", or be workspace/name for a pool another workspace granted"));
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
    edges.check(w, byId, problems);
    Cycles.find(w).ifPresent(path -> problems.add("cycle: " + String.join(" -> ", path)));
    if (problems.isEmpty() && references != null) {
      problems.addAll(references.problems(w, workspace));
    }
    return problems;
  }
}

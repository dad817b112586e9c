package io.flinkplatform.tasks.logic;

import io.flinkplatform.spi.OptionType;
import io.flinkplatform.spi.TaskConfig;
import io.flinkplatform.spi.TaskContext;
import io.flinkplatform.spi.TaskOption;
import io.flinkplatform.spi.TaskOutcome;
import io.flinkplatform.spi.TaskType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code switch}: chooses one branch (or every matching one) by evaluating {@link Expression
 * expressions} over the run's parameters and the upstream outputs ({@code task.key}). It succeeds
 * and only its edges to the chosen branches' tasks fire; the other downstream tasks follow their
 * trigger rules (with the default rule they end {@code SKIPPED}, and so does what only they lead
 * to).
 */
final class SwitchTask implements TaskType {
  static final String ID = "switch";

  @Override
  public String id() {
    return ID;
  }

  @Override
  public String description() {
    return "Chooses downstream branches by expressions over parameters and upstream outputs.";
  }

  @Override
  public List<TaskOption> options() {
    return List.of(
        TaskOption.required(
            "cases",
            OptionType.STRING_MAP,
            "branch name to expression, in order, e.g. {\"big\": \"extract.rows > 1000\"}"),
        TaskOption.optional(
            "branches",
            OptionType.STRING_MAP,
            null,
            "branch name to comma-separated downstream task ids; by default a branch name is"
                + " the id of one downstream task"),
        TaskOption.optional(
            "default",
            OptionType.STRING,
            null,
            "the branch taken when no case holds; none if absent"),
        TaskOption.optional(
                "match", OptionType.STRING, "first", "take the first case that holds, or all")
            .withAllowedValues("first", "all"));
  }

  @Override
  public List<String> validate(TaskConfig config) {
    List<String> problems = new ArrayList<>();
    Map<String, String> cases = config.stringMap("cases");
    if (cases.isEmpty()) {
      problems.add("option 'cases' must name at least one branch");
    }
    cases.forEach(
        (branch, expression) -> {
          try {
            Expression.parse(expression);
          } catch (IllegalArgumentException e) {
            problems.add("option 'cases', branch '" + branch + "': " + e.getMessage());
          }
        });
    config
        .stringMap("branches")
        .forEach(
            (branch, tasks) -> {
              if (tasks(tasks).isEmpty()) {
                problems.add("option 'branches': branch '" + branch + "' names no task");
              }
            });
    return problems;
  }

  @Override
  public TaskOutcome execute(TaskContext context) {
    TaskConfig config = context.config();
    Map<String, String> parameters = NamedValues.of(context);
    boolean all = config.requireString("match").equals("all");
    List<String> chosen = new ArrayList<>();
    for (Map.Entry<String, String> c : config.stringMap("cases").entrySet()) {
      boolean holds;
      try {
        holds = Expression.parse(c.getValue()).test(parameters);
      } catch (IllegalArgumentException e) {
        return TaskOutcome.fatal("case '" + c.getKey() + "': " + e.getMessage());
      }
      context.log().line("case " + c.getKey() + ": " + c.getValue() + " -> " + holds);
      if (holds) {
        chosen.add(c.getKey());
        if (!all) {
          break;
        }
      }
    }
    if (chosen.isEmpty()) {
      config.string("default").ifPresent(chosen::add);
    }
    Map<String, String> branches = config.stringMap("branches");
    List<String> downstream = context.downstreamTaskIds();
    Set<String> taskIds = new LinkedHashSet<>();
    for (String branch : chosen) {
      for (String task : tasks(branches.getOrDefault(branch, branch))) {
        if (!downstream.contains(task)) {
          return TaskOutcome.fatal(
              "branch '"
                  + branch
                  + "' leads to task '"
                  + task
                  + "', which is not directly downstream of this switch; downstream tasks are "
                  + downstream);
        }
        taskIds.add(task);
      }
    }
    context.log().line("chosen: " + (chosen.isEmpty() ? "none" : chosen) + " -> tasks " + taskIds);
    return TaskOutcome.branch(Map.of("branch", String.join(",", chosen)), taskIds);
  }

  private static List<String> tasks(String commaSeparated) {
    return Arrays.stream(commaSeparated.split(","))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .toList();
  }
}

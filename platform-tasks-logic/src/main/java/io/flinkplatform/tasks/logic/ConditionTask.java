package io.flinkplatform.tasks.logic;

import io.flinkplatform.spi.OptionType;
import io.flinkplatform.spi.TaskContext;
import io.flinkplatform.spi.TaskOption;
import io.flinkplatform.spi.TaskOutcome;
import io.flinkplatform.spi.TaskType;
import io.flinkplatform.spi.UpstreamEdge;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code condition}: evaluates the outcomes of its upstream tasks and succeeds when the rule holds,
 * fails (not retried) when it does not, so that the edges after it branch: {@code SUCCESS} edges
 * for "true", {@code FAILURE} edges for "false".
 *
 * <p>It runs once every upstream task has ended, whatever the outcomes, skipped ones included (the
 * engine does not apply its trigger rule). Rules, over the incoming edges:
 *
 * <ul>
 *   <li>{@code AND} ({@code ALL_MATCHED}): every edge fired (its upstream outcome matched the
 *       edge's condition);
 *   <li>{@code OR} ({@code ANY_MATCHED}): at least one edge fired;
 *   <li>{@code ALL_DONE}: every upstream task ran (succeeded or failed);
 *   <li>{@code ANY_DONE}: at least one upstream task ran.
 * </ul>
 *
 * A skipped (or upstream-failed, or killed) upstream task fires no edge and did not run. With
 * {@code on_skipped=skip}, the condition skips itself instead when every upstream task was skipped,
 * so the skip spreads downstream.
 */
final class ConditionTask implements TaskType {
  static final String ID = "condition";

  @Override
  public String id() {
    return ID;
  }

  @Override
  public String description() {
    return "Succeeds or fails on its upstream outcomes (AND, OR, ALL_DONE, ANY_DONE).";
  }

  @Override
  public List<TaskOption> options() {
    return List.of(
        TaskOption.optional("rule", OptionType.STRING, "AND", "how upstream outcomes combine")
            .withAllowedValues("AND", "OR", "ALL_MATCHED", "ANY_MATCHED", "ALL_DONE", "ANY_DONE"),
        TaskOption.optional(
                "on_skipped",
                OptionType.STRING,
                "evaluate",
                "when every upstream task was skipped: evaluate the rule (false), or skip")
            .withAllowedValues("evaluate", "skip"));
  }

  @Override
  public boolean evaluatesUpstream() {
    return true;
  }

  @Override
  public TaskOutcome execute(TaskContext context) {
    List<UpstreamEdge> edges = context.upstream();
    String rule = context.config().requireString("rule");
    String described =
        edges.stream()
            .map(
                e ->
                    e.taskId()
                        + " "
                        + e.state()
                        + " (on "
                        + e.on()
                        + (e.fired() ? ", fired)" : ")"))
            .collect(Collectors.joining(", "));
    context.log().line("rule " + rule + " over: " + (edges.isEmpty() ? "no upstream" : described));
    boolean allSkipped =
        !edges.isEmpty() && edges.stream().allMatch(e -> e.state().equals("SKIPPED"));
    if (allSkipped && context.config().requireString("on_skipped").equals("skip")) {
      return TaskOutcome.skipped("every upstream task was skipped");
    }
    boolean holds = holds(rule, edges);
    Map<String, String> outputs = Map.of("result", Boolean.toString(holds));
    context.log().line("result: " + holds);
    return holds
        ? TaskOutcome.success(outputs)
        : TaskOutcome.fatal("condition " + rule + " is false: " + described);
  }

  static boolean holds(String rule, List<UpstreamEdge> edges) {
    switch (rule.toUpperCase(Locale.ROOT)) {
      case "AND":
      case "ALL_MATCHED":
        return edges.stream().allMatch(UpstreamEdge::fired);
      case "OR":
      case "ANY_MATCHED":
        return edges.stream().anyMatch(UpstreamEdge::fired);
      case "ALL_DONE":
        return edges.stream().allMatch(UpstreamEdge::ran);
      case "ANY_DONE":
        return edges.stream().anyMatch(UpstreamEdge::ran);
      default:
        throw new IllegalArgumentException("unknown rule '" + rule + "'");
    }
  }
}

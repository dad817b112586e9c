package io.flinkplatform.examples;

import io.flinkplatform.engine.PlatformClient;
import io.flinkplatform.engine.dag.TaskDefinition;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.run.TaskAttempt;
import io.flinkplatform.engine.run.WorkflowRun;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** Prints what a finished run did: a summary table per task and a Mermaid diagram of the run. */
final class RunReport {
  private static final String ROW = "%-20s  %-15s  %8s  %8s  %s%n";

  private RunReport() {}

  /** The latest attempt of each task of a run, keyed by task id. */
  static Map<String, TaskAttempt> latestAttempts(List<TaskAttempt> attempts) {
    Map<String, TaskAttempt> latest = new LinkedHashMap<>();
    for (TaskAttempt a : attempts) {
      latest.merge(a.taskId(), a, (x, y) -> x.attempt() >= y.attempt() ? x : y);
    }
    return latest;
  }

  static void print(PrintStream out, PlatformClient client, Workflow workflow, WorkflowRun run) {
    List<TaskAttempt> attempts = client.attempts(run.id());
    Map<String, TaskAttempt> latest = latestAttempts(attempts);
    out.println();
    out.printf(
        "Summary of run %d (%s version %d): %s in %s%n",
        run.id(),
        run.workflowName(),
        run.workflowVersion(),
        run.state(),
        run.endedAt().map(e -> seconds(Duration.between(run.createdAt(), e))).orElse("?"));
    out.println();
    out.printf(ROW, "TASK", "STATE", "ATTEMPTS", "DURATION", "OUTPUTS / MESSAGE");
    for (TaskDefinition t : workflow.tasks()) {
      TaskAttempt a = latest.get(t.id());
      if (a == null) {
        out.printf(ROW, t.id(), "-", "0", "-", "");
        continue;
      }
      out.printf(
          ROW,
          t.id(),
          a.state(),
          a.attempt(),
          a.duration().map(RunReport::seconds).orElse("-"),
          details(a, attempts));
    }
    out.println();
    out.println("The run as a Mermaid flowchart (paste it into https://mermaid.live to see it):");
    out.println();
    out.println("```mermaid");
    out.print(client.mermaid(run.id()));
    out.println("```");
  }

  /** Outputs of a successful attempt, else its message; earlier failed attempts are mentioned. */
  private static String details(TaskAttempt latest, List<TaskAttempt> all) {
    List<String> parts = new ArrayList<>();
    if (!latest.outputs().isEmpty()) {
      parts.add(
          latest.outputs().entrySet().stream()
              .sorted(Map.Entry.comparingByKey())
              .map(e -> e.getKey() + "=" + e.getValue())
              .collect(Collectors.joining(", ")));
    }
    latest.message().map(m -> oneLine(m, 90)).ifPresent(parts::add);
    all.stream()
        .filter(a -> a.taskId().equals(latest.taskId()) && a.attempt() < latest.attempt())
        .forEach(a -> parts.add("attempt " + a.attempt() + " " + a.state() + message(a.message())));
    return String.join("; ", parts);
  }

  private static String message(Optional<String> message) {
    return message.map(m -> ": " + oneLine(m, 80)).orElse("");
  }

  /** A message on one line, cut to {@code max} characters. */
  static String oneLine(String message, int max) {
    String line =
        message
            .lines()
            .map(String::strip)
            .filter(l -> !l.isEmpty())
            .collect(Collectors.joining(" "));
    return line.length() > max ? line.substring(0, max - 3) + "..." : line;
  }

  private static String seconds(Duration d) {
    return String.format("%.2fs", d.toMillis() / 1000.0);
  }
}

package io.flinkplatform.engine.internal.definition;

import io.flinkplatform.engine.dag.Bounds;
import io.flinkplatform.engine.dag.Edge;
import io.flinkplatform.engine.dag.TaskDefinition;
import io.flinkplatform.engine.dag.Workflow;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The {@link Bounds} of a definition: size, priorities, retries, timeouts and fan-out/in. */
public final class DefinitionBounds {
  private DefinitionBounds() {}

  /** Adds one sentence per value out of bounds. */
  static void check(Workflow w, List<String> problems) {
    if (w.tasks().size() > Bounds.MAX_TASKS) {
      problems.add(
          "the workflow has "
              + w.tasks().size()
              + " tasks, more than the "
              + Bounds.MAX_TASKS
              + " allowed; split it into sub-workflows");
    }
    if (w.description().length() > Bounds.MAX_DESCRIPTION) {
      problems.add(
          "description: "
              + w.description().length()
              + " characters, more than the "
              + Bounds.MAX_DESCRIPTION
              + " allowed");
    }
    priority("priority", w.priority(), problems);
    for (TaskDefinition t : w.tasks()) {
      String task = "task '" + t.id() + "': ";
      priority(task + "priority", t.priority(), problems);
      t.timeout()
          .filter(d -> d.compareTo(Bounds.MAX_TIMEOUT) > 0)
          .ifPresent(
              d ->
                  problems.add(
                      task + "timeout must be at most " + Bounds.MAX_TIMEOUT + " but was " + d));
      if (t.retry().maxRetries() > Bounds.MAX_RETRIES) {
        problems.add(
            task
                + "retry.maxRetries must be at most "
                + Bounds.MAX_RETRIES
                + " but was "
                + t.retry().maxRetries());
      }
      Duration longest = t.retry().maxDelay(); // never below the delay
      if (longest.compareTo(Bounds.MAX_RETRY_DELAY) > 0) {
        problems.add(
            task
                + "retry delays must be at most "
                + Bounds.MAX_RETRY_DELAY
                + " but one was "
                + longest);
      }
    }
    fan(w, problems);
  }

  private static void priority(String what, int priority, List<String> problems) {
    if (priority < Bounds.MIN_PRIORITY || priority > Bounds.MAX_PRIORITY) {
      problems.add(
          what
              + " must be "
              + Bounds.MIN_PRIORITY
              + " to "
              + Bounds.MAX_PRIORITY
              + " but was "
              + priority);
    }
  }

  private static void fan(Workflow w, List<String> problems) {
    Map<String, Integer> out = new HashMap<>();
    Map<String, Integer> in = new HashMap<>();
    for (Edge e : w.edges()) {
      out.merge(e.from(), 1, Integer::sum);
      in.merge(e.to(), 1, Integer::sum);
    }
    out.forEach((task, n) -> fan(task, n, "outgoing", problems));
    in.forEach((task, n) -> fan(task, n, "incoming", problems));
  }

  private static void fan(String task, int n, String which, List<String> problems) {
    if (n > Bounds.MAX_EDGES_PER_TASK) {
      problems.add(
          "task '"
              + task
              + "' has "
              + n
              + " "
              + which
              + " edges, more than the "
              + Bounds.MAX_EDGES_PER_TASK
              + " allowed");
    }
  }
}

package io.flinkplatform.tasks.logic;

import static java.util.Objects.requireNonNull;

import io.flinkplatform.spi.PlatformAccess;
import io.flinkplatform.spi.Workspaces;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * One thing a {@code dependent} task waits for: {@code workflow}, {@code workflow/task}, either
 * with {@code @window} to override the task's window, e.g. {@code daily_sales/load@previous_day}.
 * Another workspace's workflow (granted to this one) is {@code workspace/workflow/task}, or {@code
 * workspace/workflow/*} for its runs; {@link #workflow} then holds {@code workspace/workflow}, the
 * form {@link PlatformAccess} resolves.
 */
record DependentItem(String workflow, Optional<String> task, Optional<Window> window) {

  /** Where an item stands in one check. */
  enum Status {
    SATISFIED,
    FAILED,
    PENDING
  }

  /** The item's status and what was seen, for the log. */
  record Check(DependentItem item, Status status, String detail) {}

  DependentItem {
    requireNonNull(workflow, "workflow is null");
    requireNonNull(task, "task is null");
    requireNonNull(window, "window is null");
  }

  /**
   * Parses {@code workflow[/task][@window]} or {@code workspace/workflow/(task|*)[@window]}.
   *
   * @throws IllegalArgumentException saying what is wrong
   */
  static DependentItem parse(String text) {
    String s = text.trim();
    Optional<Window> window = Optional.empty();
    int at = s.indexOf('@');
    if (at >= 0) {
      window = Optional.of(Window.parse(s.substring(at + 1)));
      s = s.substring(0, at);
    }
    String[] parts = s.split("/", -1);
    boolean blank = Arrays.stream(parts).anyMatch(String::isBlank);
    if (parts.length == 3 && !blank) {
      // workspace/workflow/task, or workspace/workflow/* for the workflow's runs
      String workspace = parts[0].trim();
      Workspaces.problem(workspace)
          .ifPresent(
              p -> {
                throw new IllegalArgumentException("item '" + text + "': " + p);
              });
      String task = parts[2].trim();
      return new DependentItem(
          workspace + "/" + parts[1].trim(),
          task.equals("*") ? Optional.empty() : Optional.of(task),
          window);
    }
    if (parts.length > 2 || blank) {
      throw new IllegalArgumentException(
          "item '"
              + text
              + "' must look like workflow, workflow/task, workspace/workflow/task or"
              + " workspace/workflow/*, each optionally with @window");
    }
    return new DependentItem(
        parts[0].trim(),
        parts.length == 2 ? Optional.of(parts[1].trim()) : Optional.empty(),
        window);
  }

  /**
   * Checks the item for a run of {@code logicalDate}: the latest run (or task attempt) of each
   * logical date in the window must have ended in one of {@code expected}; nothing in the window
   * yet, or anything still running, is pending. {@code selfRunId} (the asking run) is ignored.
   */
  Check check(
      PlatformAccess platform,
      Window fallback,
      Instant logicalDate,
      ZoneId zone,
      Set<String> expected,
      long selfRunId) {
    Window w = window.orElse(fallback);
    Instant from = w.from(logicalDate, zone);
    Instant to = w.to(logicalDate, zone);
    Map<Instant, Seen> latest = new TreeMap<>(); // the latest run of each logical date
    if (task.isPresent()) {
      for (PlatformAccess.TaskRunInfo t : platform.taskRuns(workflow, task.get(), from, to)) {
        if (t.runId() != selfRunId) {
          put(latest, t.logicalDate(), t.runId(), t.state(), t.ended());
        }
      }
    } else {
      for (PlatformAccess.RunInfo r : platform.runs(workflow, from, to)) {
        if (r.id() != selfRunId) {
          put(latest, r.logicalDate(), r.id(), r.state(), r.ended());
        }
      }
    }
    String where = describe() + " in " + w.name() + " [" + from + ", " + to + ")";
    if (latest.isEmpty()) {
      return new Check(this, Status.PENDING, where + ": no run yet");
    }
    List<String> seen = new ArrayList<>();
    boolean failed = false;
    boolean pending = false;
    for (Map.Entry<Instant, Seen> e : latest.entrySet()) {
      Seen v = e.getValue();
      seen.add(e.getKey() + " run " + v.runId() + " " + v.state());
      pending |= !v.ended();
      failed |= v.ended() && !expected.contains(v.state());
    }
    Status status = failed ? Status.FAILED : pending ? Status.PENDING : Status.SATISFIED;
    return new Check(this, status, where + ": " + String.join(", ", seen));
  }

  private record Seen(long runId, String state, boolean ended) {}

  private static void put(
      Map<Instant, Seen> latest, Instant date, long runId, String state, boolean ended) {
    Seen prior = latest.get(date);
    if (prior == null || prior.runId() < runId) {
      latest.put(date, new Seen(runId, state, ended));
    }
  }

  String describe() {
    return workflow + task.map(t -> "/" + t).orElse(workflow.indexOf('/') >= 0 ? "/*" : "");
  }
}

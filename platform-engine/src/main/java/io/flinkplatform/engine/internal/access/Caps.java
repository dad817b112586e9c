package io.flinkplatform.engine.internal.access;

import io.flinkplatform.engine.CapExceededException;
import io.flinkplatform.engine.access.WorkspaceCaps;
import io.flinkplatform.engine.dag.TaskDefinition;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.internal.store.StoreMapper;
import io.flinkplatform.engine.internal.store.WorkspaceRow;
import java.time.Duration;
import java.util.Optional;

/**
 * The caps of a workspace ({@link WorkspaceCaps}) and their checks: each throws {@link
 * CapExceededException} naming the cap, the field and the bound, before anything is written.
 */
public final class Caps {
  private Caps() {}

  /** The caps of {@code workspace}; none for a workspace without a row. */
  public static WorkspaceCaps of(StoreMapper m, String workspace) {
    return of(m.selectWorkspace(workspace));
  }

  public static WorkspaceCaps of(WorkspaceRow r) {
    if (r == null) {
      return WorkspaceCaps.NONE;
    }
    return new WorkspaceCaps(
        Optional.ofNullable(r.minPriority),
        Optional.ofNullable(r.maxPriority),
        Optional.ofNullable(r.maxTasksPerWorkflow),
        Optional.ofNullable(r.minCronIntervalMs).map(Duration::ofMillis),
        Optional.ofNullable(r.maxActiveRuns),
        Optional.ofNullable(r.maxBackfillRuns));
  }

  /** Writes {@code caps} into the row's columns. */
  public static void into(WorkspaceCaps caps, WorkspaceRow r) {
    r.minPriority = caps.minPriority().orElse(null);
    r.maxPriority = caps.maxPriority().orElse(null);
    r.maxTasksPerWorkflow = caps.maxTasksPerWorkflow().orElse(null);
    r.minCronIntervalMs = caps.minCronInterval().map(Duration::toMillis).orElse(null);
    r.maxActiveRuns = caps.maxActiveRuns().orElse(null);
    r.maxBackfillRuns = caps.maxBackfillRuns().orElse(null);
  }

  /** The workflow's task count and its priorities (its own and each task's). */
  public static void checkWorkflow(String workspace, WorkspaceCaps caps, Workflow w) {
    caps.maxTasksPerWorkflow()
        .filter(max -> w.tasks().size() > max)
        .ifPresent(
            max -> {
              throw new CapExceededException(
                  workspace,
                  "maxTasksPerWorkflow",
                  "tasks",
                  "workflow '" + w.name() + "' has " + w.tasks().size() + " tasks, at most " + max);
            });
    checkPriority(workspace, caps, "priority", w.priority());
    for (TaskDefinition t : w.tasks()) {
      checkPriority(workspace, caps, "tasks." + t.id() + ".priority", t.priority());
    }
  }

  private static void checkPriority(String workspace, WorkspaceCaps caps, String field, int p) {
    if (caps.minPriority().isPresent() && p < caps.minPriority().get()
        || caps.maxPriority().isPresent() && p > caps.maxPriority().get()) {
      throw new CapExceededException(
          workspace,
          "priority range",
          field,
          "priority "
              + p
              + " is outside "
              + caps.minPriority().map(String::valueOf).orElse("-inf")
              + ".."
              + caps.maxPriority().map(String::valueOf).orElse("+inf"));
    }
  }

  /** The shortest time between two fire times of a schedule. */
  public static void checkCronInterval(String workspace, WorkspaceCaps caps, Duration shortest) {
    caps.minCronInterval()
        .filter(min -> shortest.compareTo(min) < 0)
        .ifPresent(
            min -> {
              throw new CapExceededException(
                  workspace,
                  "minCronInterval",
                  "cron",
                  "the schedule fires " + shortest + " apart, at least " + min + " is allowed");
            });
  }

  /** How many runs one backfill creates. */
  public static void checkBackfill(String workspace, WorkspaceCaps caps, long runs) {
    caps.maxBackfillRuns()
        .filter(max -> runs > max)
        .ifPresent(
            max -> {
              throw new CapExceededException(
                  workspace,
                  "maxBackfillRuns",
                  "logical dates",
                  "the backfill would create " + runs + " runs, at most " + max);
            });
  }

  /**
   * Runs of the workspace that are RUNNING or KILLING or were triggered by hand and wait for
   * admission, plus {@code adding}: a trigger at the cap is refused instead of queued (scheduled
   * and backfill runs wait for admission). Counted in the transaction that creates the runs, after
   * locking the workspace row, so two triggers cannot both pass with one place left.
   */
  public static void checkActiveRuns(
      StoreMapper m, String workspace, WorkspaceCaps caps, int adding) {
    if (caps.maxActiveRuns().isEmpty()) {
      return;
    }
    int max = caps.maxActiveRuns().get();
    m.lockWorkspace(workspace);
    int active = m.countActiveOrTriggeredRunsOfWorkspace(workspace);
    if (active + adding > max) {
      throw new CapExceededException(
          workspace,
          "maxActiveRuns",
          "runs",
          active + " runs are active and " + adding + " more were asked for, at most " + max);
    }
  }
}

package io.flinkplatform.engine.internal.worker;

import static java.util.Objects.requireNonNull;

import io.flinkplatform.engine.internal.common.Json;
import io.flinkplatform.engine.internal.model.LatestAttempts;
import io.flinkplatform.engine.internal.progress.AttemptRows;
import io.flinkplatform.engine.internal.store.AttemptRow;
import io.flinkplatform.engine.internal.store.RunRow;
import io.flinkplatform.engine.internal.store.Store;
import io.flinkplatform.spi.PlatformAccess;
import io.flinkplatform.spi.WorkspaceAccess;
import io.flinkplatform.spi.Workspaces;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The reads {@link PlatformAccess} offers a task: runs of a workflow by logical date, one run, and
 * the latest attempt of tasks, as the SPI's info records.
 */
final class RunReads {
  /** The most runs one window query returns. */
  static final int MAX_WINDOW_RUNS = 5_000;

  private final Store store;
  private final WorkspaceAccess access;

  RunReads(Store store, WorkspaceAccess access) {
    this.store = store;
    this.access = access;
  }

  /**
   * Runs of {@code workflowName} as a task of workspace {@code from} names it: a workflow of its
   * own workspace, or {@code other/name} of one that granted it.
   */
  List<PlatformAccess.RunInfo> runs(String from, String workflowName, Instant start, Instant end) {
    return window(from, workflowName, start, end).stream().map(r -> info(from, r)).toList();
  }

  /** A run the workspace {@code from} may see: its own, or one of a workflow granted to it. */
  Optional<PlatformAccess.RunInfo> run(String from, long runId) {
    return Optional.ofNullable(store.tx("read run " + runId, m -> m.selectRunInfo(runId)))
        .filter(r -> visible(from, r))
        .map(r -> info(from, r));
  }

  private boolean visible(String from, RunRow r) {
    return access.granted(
        from, WorkspaceAccess.WORKFLOW, new Workspaces.Ref(r.workspace, r.flowName));
  }

  private List<RunRow> window(String from, String workflowName, Instant start, Instant end) {
    requireNonNull(workflowName, "workflowName is null");
    requireNonNull(start, "from is null");
    requireNonNull(end, "to is null");
    Workspaces.Ref target = Workspaces.resolve(from, workflowName);
    if (!access.granted(from, WorkspaceAccess.WORKFLOW, target)) {
      throw new IllegalArgumentException(
          "workflow '"
              + workflowName
              + "' belongs to workspace '"
              + target.workspace()
              + "', which does not grant it to workspace '"
              + from
              + "'");
    }
    return store.tx(
        "read runs of '" + workflowName + "' from " + start + " to " + end,
        m ->
            m.selectRunsInWindow(
                target.workspace(),
                target.name(),
                start.toEpochMilli(),
                end.toEpochMilli(),
                MAX_WINDOW_RUNS));
  }

  List<PlatformAccess.TaskRunInfo> taskRuns(
      String from, String workflowName, String taskId, Instant start, Instant end) {
    requireNonNull(taskId, "taskId is null");
    List<RunRow> runs = window(from, workflowName, start, end);
    if (runs.isEmpty()) {
      return List.of();
    }
    // the task's latest attempt in each run
    Map<Long, AttemptRow> latest =
        LatestAttempts.of(
            store.tx(
                "read task '" + taskId + "' of " + runs.size() + " run(s)",
                m -> m.selectTaskOfRuns(runs.stream().map(r -> r.id).toList(), taskId)),
            a -> a.flowRunId,
            a -> a.attempt);
    List<PlatformAccess.TaskRunInfo> out = new ArrayList<>();
    for (RunRow run : runs) {
      AttemptRow a = latest.get(run.id);
      if (a != null) {
        out.add(taskInfo(run.logicalDate, a));
      }
    }
    return out;
  }

  Map<String, PlatformAccess.TaskRunInfo> tasksOf(String from, long runId) {
    RunRow run = store.tx("read run " + runId, m -> m.selectRunInfo(runId));
    if (run == null || !visible(from, run)) {
      throw new IllegalArgumentException("run " + runId + " does not exist");
    }
    Map<String, AttemptRow> latest =
        AttemptRows.latest(
            store.tx("read tasks of run " + runId, m -> m.selectTaskStates(runId, null)));
    Map<String, PlatformAccess.TaskRunInfo> out = new LinkedHashMap<>();
    latest.forEach((task, a) -> out.put(task, taskInfo(run.logicalDate, withRun(a, runId))));
    return out;
  }

  private static AttemptRow withRun(AttemptRow a, long runId) {
    a.flowRunId = runId;
    return a;
  }

  /** The run as workspace {@code from} sees it: another workspace's workflow as other/name. */
  private static PlatformAccess.RunInfo info(String from, RunRow r) {
    return new PlatformAccess.RunInfo(
        r.id,
        r.workspace.equals(from)
            ? r.flowName
            : new Workspaces.Ref(r.workspace, r.flowName).qualified(),
        r.flowVersion,
        r.state.name(),
        Instant.ofEpochMilli(r.logicalDate),
        r.depth,
        Optional.ofNullable(r.parentAttemptId));
  }

  private static PlatformAccess.TaskRunInfo taskInfo(long logicalDate, AttemptRow a) {
    return new PlatformAccess.TaskRunInfo(
        a.flowRunId,
        Instant.ofEpochMilli(logicalDate),
        a.taskId,
        a.attempt,
        a.state.name(),
        Json.stringMap(a.outputs));
  }
}

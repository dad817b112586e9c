package io.flinkplatform.engine.internal.worker;

import static java.util.Objects.requireNonNull;

import io.flinkplatform.engine.internal.common.Json;
import io.flinkplatform.engine.internal.model.LatestAttempts;
import io.flinkplatform.engine.internal.progress.AttemptRows;
import io.flinkplatform.engine.internal.store.AttemptRow;
import io.flinkplatform.engine.internal.store.RunRow;
import io.flinkplatform.engine.internal.store.Store;
import io.flinkplatform.spi.PlatformAccess;
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

  RunReads(Store store) {
    this.store = store;
  }

  List<PlatformAccess.RunInfo> runs(String workflowName, Instant from, Instant to) {
    return window(workflowName, from, to).stream().map(RunReads::info).toList();
  }

  Optional<PlatformAccess.RunInfo> run(long runId) {
    return Optional.ofNullable(store.tx("read run " + runId, m -> m.selectRunInfo(runId)))
        .map(RunReads::info);
  }

  private List<RunRow> window(String workflowName, Instant from, Instant to) {
    requireNonNull(workflowName, "workflowName is null");
    requireNonNull(from, "from is null");
    requireNonNull(to, "to is null");
    return store.tx(
        "read runs of '" + workflowName + "' from " + from + " to " + to,
        m ->
            m.selectRunsInWindow(
                workflowName, from.toEpochMilli(), to.toEpochMilli(), MAX_WINDOW_RUNS));
  }

  List<PlatformAccess.TaskRunInfo> taskRuns(
      String workflowName, String taskId, Instant from, Instant to) {
    requireNonNull(taskId, "taskId is null");
    List<RunRow> runs = window(workflowName, from, to);
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

  Map<String, PlatformAccess.TaskRunInfo> tasksOf(long runId) {
    RunRow run = store.tx("read run " + runId, m -> m.selectRunInfo(runId));
    if (run == null) {
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

  private static PlatformAccess.RunInfo info(RunRow r) {
    return new PlatformAccess.RunInfo(
        r.id,
        r.flowName,
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

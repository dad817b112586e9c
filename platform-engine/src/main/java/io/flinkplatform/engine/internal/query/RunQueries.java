package io.flinkplatform.engine.internal.query;

import static java.util.Objects.requireNonNull;

import io.flinkplatform.engine.NotFoundException;
import io.flinkplatform.engine.RunTimeoutException;
import io.flinkplatform.engine.internal.access.Caller;
import io.flinkplatform.engine.internal.definition.Definitions;
import io.flinkplatform.engine.internal.store.AttemptRow;
import io.flinkplatform.engine.internal.store.RunRow;
import io.flinkplatform.engine.internal.store.Store;
import io.flinkplatform.engine.internal.store.StoreMapper;
import io.flinkplatform.engine.internal.worker.LocalLogStore;
import io.flinkplatform.engine.run.LogChunk;
import io.flinkplatform.engine.run.LogRange;
import io.flinkplatform.engine.run.TaskAttempt;
import io.flinkplatform.engine.run.WorkflowRun;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Reads runs, their attempts, the attempts' logs and a run's diagram, and waits for a run to end:
 * each read is one short transaction mapped to the API's records by {@link ApiMapping}.
 */
public final class RunQueries {
  private final Store store;
  private final Definitions definitions;
  private final LocalLogStore logs;
  private final RunWaiters waiters;

  public RunQueries(Store store, Definitions definitions, LocalLogStore logs, RunWaiters waiters) {
    this.store = store;
    this.definitions = definitions;
    this.logs = logs;
    this.waiters = waiters;
  }

  /** A run of the caller's workspace; runs of other workspaces are not found. */
  public Optional<WorkflowRun> run(Caller caller, long runId) {
    return Optional.ofNullable(store.tx("read run " + runId, m -> own(m, caller, runId)))
        .map(ApiMapping::toRun);
  }

  private static RunRow own(StoreMapper m, Caller caller, long runId) {
    RunRow run = m.selectRun(runId);
    return run != null && run.workspace.equals(caller.workspace()) ? run : null;
  }

  public List<WorkflowRun> runs(Caller caller, String workflowName, int limit) {
    requireNonNull(workflowName, "workflowName is null");
    return store
        .tx(
            "read runs of '" + workflowName + "'",
            m -> m.selectRunsOfFlow(caller.workspace(), workflowName, limit))
        .stream()
        .map(ApiMapping::toRun)
        .toList();
  }

  /** The attempts of a run of the caller's workspace; none for a run of another workspace. */
  public List<TaskAttempt> attempts(Caller caller, long runId) {
    return store
        .tx(
            "read attempts of run " + runId,
            m ->
                own(m, caller, runId) == null
                    ? List.<AttemptRow>of()
                    : m.selectAttemptsOfRun(runId))
        .stream()
        .map(ApiMapping::toAttempt)
        .toList();
  }

  /**
   * Waits until the run has ended, re-reading it at least every 200 ms and when one closes here.
   */
  public WorkflowRun awaitRun(Caller caller, long runId, Duration timeout) {
    long end = System.nanoTime() + timeout.toNanos();
    while (true) {
      WorkflowRun run =
          run(caller, runId)
              .orElseThrow(() -> new NotFoundException("run " + runId + " does not exist"));
      long left = end - System.nanoTime();
      if (run.state().isFinal()) {
        return run;
      }
      if (left <= 0) {
        throw new RunTimeoutException(runId, run.state(), timeout);
      }
      try {
        waiters.await(Math.min(200, Math.max(1, left / 1_000_000)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RunTimeoutException(runId, run.state(), timeout);
      }
    }
  }

  /**
   * The tail of an attempt's log. The log is found through the attempt's stored pointer, never the
   * one the caller's record holds, so a made-up record reads nothing it may not.
   */
  public String log(Caller caller, TaskAttempt attempt) {
    requireNonNull(attempt, "attempt is null");
    return log(caller, attempt.id(), LogRange.tail(LogRange.DEFAULT_TAIL_BYTES)).text();
  }

  /**
   * A range of the log of an attempt of the caller's workspace.
   *
   * @throws NotFoundException if the workspace has no such attempt
   */
  public LogChunk log(Caller caller, long attemptId, LogRange range) {
    requireNonNull(range, "range is null");
    List<AttemptRow> rows =
        store.tx(
            "read attempt " + attemptId,
            m ->
                caller.workspace().equals(m.selectWorkspaceOfAttempt(attemptId))
                    ? m.selectAttempts(List.of(attemptId))
                    : List.of());
    if (rows.isEmpty()) {
      throw new NotFoundException("attempt " + attemptId + " does not exist");
    }
    AttemptRow row = rows.get(0);
    return logs.read(row.logPath, row.flowRunId, row.taskId, row.attempt, range);
  }

  /** The run's workflow as a Mermaid diagram, its tasks colored by their latest attempts. */
  public String mermaid(Caller caller, long runId) {
    RunRow run = store.tx("read run " + runId, m -> own(m, caller, runId));
    if (run == null) {
      throw new NotFoundException("run " + runId + " does not exist");
    }
    return Diagrams.mermaid(definitions.get(run.flowId).workflow, attempts(caller, runId));
  }
}

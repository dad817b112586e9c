package io.flinkplatform.engine.internal.query;

import static java.util.Objects.requireNonNull;

import io.flinkplatform.engine.NotFoundException;
import io.flinkplatform.engine.RunTimeoutException;
import io.flinkplatform.engine.internal.definition.Definitions;
import io.flinkplatform.engine.internal.store.AttemptRow;
import io.flinkplatform.engine.internal.store.RunRow;
import io.flinkplatform.engine.internal.store.Store;
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

  public Optional<WorkflowRun> run(long runId) {
    return Optional.ofNullable(store.tx("read run " + runId, m -> m.selectRun(runId)))
        .map(ApiMapping::toRun);
  }

  public List<WorkflowRun> runs(String workflowName, int limit) {
    requireNonNull(workflowName, "workflowName is null");
    return store
        .tx("read runs of '" + workflowName + "'", m -> m.selectRunsOfFlow(workflowName, limit))
        .stream()
        .map(ApiMapping::toRun)
        .toList();
  }

  public List<TaskAttempt> attempts(long runId) {
    return store.tx("read attempts of run " + runId, m -> m.selectAttemptsOfRun(runId)).stream()
        .map(ApiMapping::toAttempt)
        .toList();
  }

  /**
   * Waits until the run has ended, re-reading it at least every 200 ms and when one closes here.
   */
  public WorkflowRun awaitRun(long runId, Duration timeout) {
    long end = System.nanoTime() + timeout.toNanos();
    while (true) {
      WorkflowRun run =
          run(runId).orElseThrow(() -> new NotFoundException("run " + runId + " does not exist"));
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

  /** The tail of an attempt's log. */
  public String log(TaskAttempt attempt) {
    requireNonNull(attempt, "attempt is null");
    LogRange tail = LogRange.tail(LogRange.DEFAULT_TAIL_BYTES);
    // a running attempt's pointer may have been stored after this TaskAttempt was read
    return attempt.logPath().isPresent()
        ? logs.read(attempt.logPath().get(), tail).text()
        : log(attempt.id(), tail).text();
  }

  public LogChunk log(long attemptId, LogRange range) {
    requireNonNull(range, "range is null");
    List<AttemptRow> rows =
        store.tx("read attempt " + attemptId, m -> m.selectAttempts(List.of(attemptId)));
    if (rows.isEmpty()) {
      throw new NotFoundException("attempt " + attemptId + " does not exist");
    }
    String pointer = rows.get(0).logPath;
    return pointer == null ? new LogChunk("", 0, 0, 0) : logs.read(pointer, range);
  }

  /** The run's workflow as a Mermaid diagram, its tasks colored by their latest attempts. */
  public String mermaid(long runId) {
    RunRow run = store.tx("read run " + runId, m -> m.selectRun(runId));
    if (run == null) {
      throw new NotFoundException("run " + runId + " does not exist");
    }
    return Diagrams.mermaid(definitions.get(run.flowId).workflow, attempts(runId));
  }
}

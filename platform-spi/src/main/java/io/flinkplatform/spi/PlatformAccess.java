package io.flinkplatform.spi;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a task may ask of the platform about runs other than its own attempt: read runs of any
 * workflow by logical date, start a child run, read or kill a run. Offered to a running attempt by
 * {@link TaskContext#platform()}; every call is one short database transaction and returns
 * promptly.
 *
 * <p>States are the platform's state names: for runs {@code CREATED}, {@code RUNNING}, {@code
 * KILLING}, {@code SUCCESS}, {@code FAILED}, {@code KILLED}; for tasks {@code WAITING}, {@code
 * READY}, {@code RUNNING}, {@code SUCCESS}, {@code FAILED}, {@code KILLED}, {@code SKIPPED}, {@code
 * UPSTREAM_FAILED}.
 */
public interface PlatformAccess {

  /** Runs of {@code workflowName} whose logical date is in {@code [from, to)}, oldest first. */
  List<RunInfo> runs(String workflowName, Instant from, Instant to);

  /**
   * The latest attempt of task {@code taskId} in each run of {@code workflowName} whose logical
   * date is in {@code [from, to)}, oldest run first.
   */
  List<TaskRunInfo> taskRuns(String workflowName, String taskId, Instant from, Instant to);

  /** One run, if it exists. */
  Optional<RunInfo> run(long runId);

  /** The latest attempt of every task of a run, by task id. */
  Map<String, TaskRunInfo> tasksOf(long runId);

  /**
   * Starts a run of another workflow as the child of the calling attempt, with the caller's logical
   * date and a depth one more than the caller's run. Idempotent per attempt: calling it again for
   * the same attempt (for instance after a failover) returns the child started the first time and
   * starts nothing.
   *
   * @param workflowName the workflow to run
   * @param version the version to pin, or empty for the latest deployed one
   * @param parameters the child run's parameters
   * @throws IllegalArgumentException if the workflow (or the version) is not deployed
   */
  ChildRun startChild(
      String workflowName, Optional<Integer> version, Map<String, String> parameters);

  /**
   * Kills a run (see {@code PlatformClient.kill}). Returns false if it had already ended.
   *
   * @throws IllegalArgumentException if the run does not exist
   */
  boolean kill(long runId);

  /**
   * A workflow run as stored.
   *
   * @param id the run id
   * @param workflowName the workflow
   * @param workflowVersion the version the run pinned
   * @param state the run's state name
   * @param logicalDate the run's logical date
   * @param depth 0 for a run started on its own, one more than its parent's for a child run
   * @param parentAttemptId the attempt that started this run as a child, if one did
   */
  record RunInfo(
      long id,
      String workflowName,
      int workflowVersion,
      String state,
      Instant logicalDate,
      int depth,
      Optional<Long> parentAttemptId) {
    public RunInfo {
      requireNonNull(workflowName, "workflowName is null");
      requireNonNull(state, "state is null");
      requireNonNull(logicalDate, "logicalDate is null");
      requireNonNull(parentAttemptId, "parentAttemptId is null");
    }

    /** Whether the run has ended (SUCCESS, FAILED or KILLED). */
    public boolean ended() {
      return state.equals("SUCCESS") || state.equals("FAILED") || state.equals("KILLED");
    }
  }

  /**
   * The latest attempt of one task in one run.
   *
   * @param runId the run
   * @param logicalDate the run's logical date
   * @param taskId the task
   * @param attempt the attempt number
   * @param state the attempt's state name
   * @param outputs the outputs of a successful attempt
   */
  record TaskRunInfo(
      long runId,
      Instant logicalDate,
      String taskId,
      int attempt,
      String state,
      Map<String, String> outputs) {
    public TaskRunInfo {
      requireNonNull(logicalDate, "logicalDate is null");
      requireNonNull(taskId, "taskId is null");
      requireNonNull(state, "state is null");
      outputs = Map.copyOf(requireNonNull(outputs, "outputs is null"));
    }

    /** Whether the task is done: it will not change state in this run any more. */
    public boolean ended() {
      return !(state.equals("WAITING") || state.equals("READY") || state.equals("RUNNING"));
    }
  }

  /**
   * A child run started by {@link #startChild}.
   *
   * @param runId the child run's id
   * @param workflowVersion the version it pinned
   * @param created false when the attempt had started it before and this call only found it
   */
  record ChildRun(long runId, int workflowVersion, boolean created) {}
}

package io.flinkplatform.engine.run;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * Why a run, or the tasks of a run, have not started (or not finished) yet, as the database shows
 * it now. From {@code PlatformClient.explain}.
 *
 * @param runId the run
 * @param state the run's state
 * @param run why the run itself has not started, if it is held in CREATED
 * @param tasks one entry per task that has not ended, in the workflow's order
 */
public record Explanation(
    long runId, RunState state, Optional<Reason> run, List<TaskExplanation> tasks) {

  public Explanation {
    requireNonNull(state, "state is null");
    requireNonNull(run, "run is null");
    tasks = List.copyOf(tasks);
  }

  /** What holds something back. */
  public enum Code {
    /** The run waits for its workflow's max active runs. */
    MAX_ACTIVE_RUNS,
    /** The schedule has no fire time left (its end passed). */
    SCHEDULE_ENDED,
    /**
     * Fire times were skipped: the misfire policy after an outage or a pause, or the overlap policy
     * SKIP / CANCEL_PREVIOUS. The detail says which and when.
     */
    MISFIRE,
    /** The schedule's workflow is not deployed, so its fire times are skipped. */
    WORKFLOW_NOT_DEPLOYED,
    /**
     * The schedule's row could not be read when it was due (e.g. a zone id the instance's JDK does
     * not know, a truncated cron); it is set aside and tried again later. Saving it clears this.
     */
    SCHEDULE_QUARANTINED,
    /** The run waits for earlier runs of its schedule (overlap policy QUEUE or ALLOW(n)). */
    SCHEDULE_OVERLAP,
    /** The run waits for its backfill's parallelism. */
    BACKFILL_PARALLELISM,
    /** The run's backfill was cancelled or its schedule paused while it was held. */
    SCHEDULE_PAUSED,
    /** Upstream tasks have not ended yet. */
    WAITING_FOR_UPSTREAM,
    /** A retry waits for its backoff delay. */
    RETRY_BACKOFF,
    /** No live instance has the label the task requires. */
    NO_INSTANCE_WITH_LABEL,
    /** No live instance has the task's type. */
    NO_INSTANCE_WITH_TASK_TYPE,
    /** The task's named pool has no free slot. */
    POOL_FULL,
    /** The limit on the task's type has no free slot. */
    TASK_TYPE_LIMIT,
    /** The workflow's max parallel tasks are running. */
    MAX_PARALLEL_TASKS,
    /** Ready tasks of higher priority (or older at equal priority) are claimed first. */
    PRIORITY,
    /** The task is running; a sensor (e.g. a dependent task) says what it still waits for. */
    RUNNING
  }

  /** One reason, with the details a person needs (names, counts, times). */
  public record Reason(Code code, String detail) {
    public Reason {
      requireNonNull(code, "code is null");
      requireNonNull(detail, "detail is null");
    }
  }

  /** Why one task has not ended. */
  public record TaskExplanation(String taskId, TaskState state, List<Reason> reasons) {
    public TaskExplanation {
      requireNonNull(taskId, "taskId is null");
      requireNonNull(state, "state is null");
      reasons = List.copyOf(reasons);
    }
  }
}

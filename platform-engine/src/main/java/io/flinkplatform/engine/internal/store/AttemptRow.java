package io.flinkplatform.engine.internal.store;

import io.flinkplatform.engine.dag.TaskDefinition;
import io.flinkplatform.engine.run.TaskState;

/** An attempt of a task in a run (t_job_run): its state, lease, outputs and log. */
public final class AttemptRow {
  public Long id;

  /** Who created it by a rerun or a mark; null for the platform's own. */
  public String rerunBy;

  /** Who asked to kill its run while it was not done. */
  public String killedBy;

  public long flowRunId;
  public long flowId;
  public String taskId;
  public int attempt;
  public TaskState state;
  public int negPriority;
  public long readyAt;
  public String taskType;
  public String label;
  public String pool;
  public String owner;
  public long epoch;
  public Long leaseUntil;
  public String externalRef;
  public String outputs;
  public String message;
  public String logPath;
  public long createdAt;
  public Long startedAt;
  public Long endedAt;

  /** JSON list of the downstream tasks a successful attempt chose, or null for all. */
  public String branches;

  /** Attempts of the task before the rerun that started this series; retries count from it. */
  public int rerunBase;

  /** When the attempt released the tasks behind its RUNNING edges, if it did. */
  public Long releasedAt;

  /**
   * On a WAITING attempt, how many of its incoming edges have not resolved yet; null when unknown
   * (the next arrival then reads the task's upstream). See {@code TriggerRules#openEdges}.
   */
  public Integer openEdges;

  /** The largest effective priority stored; far from INT's ends, so ageing cannot overflow. */
  static final long MAX_EFFECTIVE_PRIORITY = 1_000_000_000L;

  /**
   * A new attempt of {@code task}; {@code priority} is the effective one (the run's workflow
   * priority plus the task's).
   */
  public static AttemptRow of(
      long runId,
      long flowId,
      TaskDefinition task,
      int attempt,
      TaskState state,
      long priority,
      long readyAt,
      long now) {
    AttemptRow r = new AttemptRow();
    r.flowRunId = runId;
    r.flowId = flowId;
    r.taskId = task.id();
    r.taskType = task.type();
    r.label = task.label().orElse("");
    r.pool = task.pool().orElse(null);
    r.attempt = attempt;
    r.state = state;
    // summed in long and clamped: definitions deployed before priorities were bounded may hold
    // any int, and ageing still needs room below the lowest value
    r.negPriority =
        (int) -Math.max(-MAX_EFFECTIVE_PRIORITY, Math.min(MAX_EFFECTIVE_PRIORITY, priority));
    r.readyAt = readyAt;
    r.createdAt = now;
    return r;
  }
}

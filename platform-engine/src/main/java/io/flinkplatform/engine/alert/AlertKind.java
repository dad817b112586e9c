package io.flinkplatform.engine.alert;

/** What an {@link AlertRule} fires on. */
public enum AlertKind {
  /** A run ended FAILED. */
  RUN_FAILED(Scope.RUN),
  /** A run ended KILLED. */
  RUN_KILLED(Scope.RUN),
  /** A run ended SUCCESS. */
  RUN_SUCCEEDED(Scope.RUN),
  /** A task ended FAILED after its last retry (no retry follows). */
  TASK_FAILED(Scope.TASK),
  /** A task failed and will be retried. */
  TASK_RETRIED(Scope.TASK),
  /** A run has been running for longer than the rule's {@code after} duration. */
  RUN_OVERDUE(Scope.RUN),
  /**
   * A run was still unfinished at the rule's deadline (a time of day in its zone); raised also when
   * no instance was up at the deadline, by the next one to start.
   */
  RUN_DEADLINE(Scope.RUN),
  /** A task has been running for longer than the rule's {@code after} duration. */
  TASK_OVERDUE(Scope.TASK),
  /**
   * A task attempt started before the rule's deadline (a time of day in its zone) was still
   * unfinished at it; raised also when no instance was up at the deadline, by the next one to
   * start.
   */
  TASK_DEADLINE(Scope.TASK),
  /** A schedule found fire times older than its misfire threshold. */
  SCHEDULE_MISFIRED(Scope.SCHEDULE),
  /** A schedule's fire time started no run (overlap SKIP, workflow not deployed). */
  SCHEDULE_SKIPPED(Scope.SCHEDULE),
  /** A backfill ended (all its runs created and finished, or cancelled). */
  BACKFILL_FINISHED(Scope.SCHEDULE),
  /** A Flink job is RESTARTING. */
  FLINK_JOB_RESTARTING(Scope.TASK),
  /** A Flink job is FAILING or FAILED. */
  FLINK_JOB_FAILING(Scope.TASK),
  /** A Flink job's failed checkpoints in a row reached the rule's {@code threshold}. */
  FLINK_CHECKPOINTS_FAILING(Scope.TASK),
  /** An instance stopped renewing its lease and was reaped by another. */
  INSTANCE_LOST(Scope.PLATFORM),
  /** An instance could not reach the database for longer than the rule's {@code after}. */
  DATABASE_UNREACHABLE(Scope.PLATFORM),
  /** A test message sent by hand ({@code Alerts.test}). */
  TEST(Scope.PLATFORM);

  /** What the kind is about, which says which filters apply. */
  public enum Scope {
    RUN,
    TASK,
    SCHEDULE,
    PLATFORM
  }

  private final Scope scope;

  AlertKind(Scope scope) {
    this.scope = scope;
  }

  public Scope scope() {
    return scope;
  }

  /** Whether a rule of this kind needs {@code after} (a duration). */
  public boolean needsDuration() {
    return this == RUN_OVERDUE || this == TASK_OVERDUE || this == DATABASE_UNREACHABLE;
  }

  /** Whether a rule of this kind needs {@code deadline} (a time of day, in {@code zone}). */
  public boolean needsDeadline() {
    return this == RUN_DEADLINE || this == TASK_DEADLINE;
  }
}

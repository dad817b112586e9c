package io.flinkplatform.engine.internal;

import io.flinkplatform.engine.dag.TaskDefinition;

/** Plain rows as MyBatis maps them (fields, camel case of the columns). */
final class Rows {
  private Rows() {}

  static final class FlowRow {
    Long id;
    String name;
    int version;
    String description;
    String definition;
    long createdAt;
  }

  static final class JobRow {
    long flowId;
    String taskId;
    String type;
    String options;
    String triggerRule;
    int maxRetries;
    Long timeoutMs;
    int priority;
    String label;
    String pool;
  }

  static final class RunRow {
    Long id;
    long flowId;
    String flowName;
    int flowVersion;
    String state;
    long logicalDate;
    String params;
    long createdAt;
    Long startedAt;
    Long endedAt;
    Long scheduleId;
    Long fireTime;
    Long backfillId;
    Integer maxActive;
    int priority;
    Long parentAttemptId;
    int depth;
  }

  static final class ScheduleRow {
    Long id;
    String name;
    String flowName;
    String lastSkip;
    String cron;
    String zone;
    Long startAt;
    Long endAt;
    boolean paused;
    String dstGap;
    String dstOverlap;
    String misfire;
    int catchUpLimit;
    long misfireAfterMs;
    String overlap;
    int maxParallel;
    String params;
    Long nextFireAt;
    Long lastFireAt;
    long createdAt;
    long updatedAt;

    /** Why an instance could not fire it, until an instance reads it again (or it is saved). */
    String quarantine;

    Long quarantinedUntil;
  }

  static final class BackfillRow {
    Long id;
    String flowName;
    long firstDate;
    long lastDate;
    int runs;
    int parallelism;
    String state;
    long createdAt;
    Long endedAt;
  }

  /** Runs held in CREATED for one admission scope (a schedule or a backfill). */
  static final class ScopeRow {
    Long scheduleId;
    Long backfillId;
    String flowName;
  }

  /** How many runs of a backfill are in one state. */
  static final class StateCount {
    String state;
    int count;
  }

  static final class AttemptRow {
    Long id;
    long flowRunId;
    long flowId;
    String taskId;
    int attempt;
    String state;
    int negPriority;
    long readyAt;
    String taskType;
    String label;
    String pool;
    String owner;
    long epoch;
    Long leaseUntil;
    String externalRef;
    String outputs;
    String message;
    String logPath;
    long createdAt;
    Long startedAt;
    Long endedAt;

    /** JSON list of the downstream tasks a successful attempt chose, or null for all. */
    String branches;

    /** Attempts of the task before the rerun that started this series; retries count from it. */
    int rerunBase;

    /** When the attempt released the tasks behind its RUNNING edges, if it did. */
    Long releasedAt;

    /** The largest effective priority stored; far from INT's ends, so ageing cannot overflow. */
    static final long MAX_EFFECTIVE_PRIORITY = 1_000_000_000L;

    /**
     * A new attempt of {@code task}; {@code priority} is the effective one (the run's workflow
     * priority plus the task's).
     */
    static AttemptRow of(
        long runId,
        long flowId,
        TaskDefinition task,
        int attempt,
        String state,
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

  static final class WorkerRow {
    String name;
    String instanceName;
    String host;
    long pid;
    String version;
    String labels;
    String taskTypes;
    String state;
    long startedAt;
    long heartbeatAt;
    long leaseUntil;
  }

  /** A concurrency limit. */
  static final class PoolRow {
    String kind;
    String name;
    int slots;
  }

  /** RUNNING attempts per pool, task type and workflow. */
  static final class UsageRow {
    String pool;
    String taskType;
    String flowName;
    int n;
  }

  /** A due schedule's move to its next fire time, a compare-and-set on the one it had. */
  static final class ScheduleMove {
    long id;
    long expected;
    Long next;
    Long last;
    String skip;
  }
}

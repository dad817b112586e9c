package io.flinkplatform.engine.internal;

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
  }

  static final class ScheduleRow {
    Long id;
    String name;
    String flowName;
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

    /** When the attempt released the tasks behind its RUNNING edges, if it did. */
    Long releasedAt;

    static AttemptRow of(
        long runId,
        long flowId,
        String taskId,
        int attempt,
        String state,
        int priority,
        long readyAt,
        long now) {
      AttemptRow r = new AttemptRow();
      r.flowRunId = runId;
      r.flowId = flowId;
      r.taskId = taskId;
      r.attempt = attempt;
      r.state = state;
      r.negPriority = -priority;
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
    String state;
    long startedAt;
    long heartbeatAt;
    long leaseUntil;
  }
}

package io.flinkplatform.engine.internal.store;

import io.flinkplatform.engine.dag.TaskDefinition;
import io.flinkplatform.engine.dag.TriggerRule;
import io.flinkplatform.engine.run.Limit;
import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.run.TaskState;
import io.flinkplatform.engine.schedule.Backfill;

/**
 * Plain rows as MyBatis maps them (fields, camel case of the columns). States, trigger rules and
 * limit kinds are enums here, so the engine never compares their strings: MyBatis stores an enum by
 * its name and refuses a stored name it does not know.
 */
public final class Rows {
  private Rows() {}

  public static final class FlowRow {
    public Long id;
    public String name;
    public int version;
    public String description;
    public String definition;
    public long createdAt;
  }

  public static final class JobRow {
    public long flowId;
    public String taskId;
    public String type;
    public String options;
    public TriggerRule triggerRule;
    public int maxRetries;
    public Long timeoutMs;
    public int priority;
    public String label;
    public String pool;
  }

  public static final class RunRow {
    public Long id;
    public long flowId;
    public String flowName;
    public int flowVersion;
    public RunState state;
    public long logicalDate;
    public String params;
    public long createdAt;
    public Long startedAt;
    public Long endedAt;
    public Long scheduleId;
    public Long fireTime;
    public Long backfillId;
    public Integer maxActive;
    public int priority;
    public Long parentAttemptId;
    public int depth;
  }

  public static final class ScheduleRow {
    public Long id;
    public String name;
    public String flowName;
    public String lastSkip;
    public String cron;
    public String zone;
    public Long startAt;
    public Long endAt;
    public boolean paused;
    public String dstGap;
    public String dstOverlap;
    public String misfire;
    public int catchUpLimit;
    public long misfireAfterMs;
    public String overlap;
    public int maxParallel;
    public String params;
    public Long nextFireAt;
    public Long lastFireAt;
    public long createdAt;
    public long updatedAt;

    /** Why an instance could not fire it, until an instance reads it again (or it is saved). */
    public String quarantine;

    public Long quarantinedUntil;
  }

  public static final class BackfillRow {
    public Long id;
    public String flowName;
    public long firstDate;
    public long lastDate;
    public int runs;
    public int parallelism;
    public Backfill.State state;
    public long createdAt;
    public Long endedAt;
  }

  /** Runs held in CREATED for one admission scope (a schedule or a backfill). */
  public static final class ScopeRow {
    public Long scheduleId;
    public Long backfillId;
    public String flowName;
  }

  /** How many runs of a backfill are in one state. */
  public static final class StateCount {
    public RunState state;
    public int count;
  }

  public static final class AttemptRow {
    public Long id;
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

  /** A worker row's state: registered and heartbeating, or stopped by its instance. */
  public enum WorkerState {
    ACTIVE,
    STOPPED
  }

  public static final class WorkerRow {
    public String name;
    public String instanceName;
    public String host;
    public long pid;
    public String version;
    public String labels;
    public String taskTypes;
    public WorkerState state;
    public long startedAt;
    public long heartbeatAt;
    public long leaseUntil;
  }

  /** A concurrency limit. */
  public static final class PoolRow {
    public Limit.Kind kind;
    public String name;
    public int slots;
  }

  /** RUNNING attempts per pool, task type and workflow. */
  static final class UsageRow {
    public String pool;
    public String taskType;
    public String flowName;
    int n;
  }

  /** A due schedule's move to its next fire time, a compare-and-set on the one it had. */
  public static final class ScheduleMove {
    public long id;
    public long expected;
    public Long next;
    public Long last;
    public String skip;
  }

  /** An attempt whose lease lapsed, by how long, both by the database's clock (the reaper's). */
  public static final class Expired {
    public long id;
    public long flowRunId;
    public String taskId;
    public int attempt;
    public String owner;
    public long epoch;
    public long lapsedMillis;
  }
}

package io.flinkplatform.engine.internal.store;

import io.flinkplatform.engine.run.RunState;

/** A run of a workflow version (t_job_flow_run). */
public final class RunRow {
  public Long id;
  public String workspace;
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

  /** Who started the run: a user, {@code system}, or {@code schedule:NAME}. */
  public String triggeredBy;

  public String killedBy;

  /** Who started its latest rerun or mark. */
  public String rerunBy;
}

package io.flinkplatform.engine.internal.store;

/** A workspace and its caps (t_workspace); a null cap is no cap. */
public final class WorkspaceRow {
  public String name;
  public String description;
  public Integer minPriority;
  public Integer maxPriority;
  public Integer maxTasksPerWorkflow;
  public Long minCronIntervalMs;
  public Integer maxActiveRuns;
  public Integer maxBackfillRuns;
  public long createdAt;
  public String createdBy;
}

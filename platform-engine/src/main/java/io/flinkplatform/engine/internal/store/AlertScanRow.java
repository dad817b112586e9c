package io.flinkplatform.engine.internal.store;

/**
 * A run or attempt an overdue or deadline rule may alert on (OverdueScan): its run, workflow and,
 * for an attempt, task, attempt number and label.
 */
public final class AlertScanRow {
  public long runId;
  public String workspace;
  public String flowName;
  public String state;
  public long createdAt;
  public Long startedAt;
  public String taskId;
  public int attempt;
  public String label;
}

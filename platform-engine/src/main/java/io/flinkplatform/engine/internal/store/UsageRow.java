package io.flinkplatform.engine.internal.store;

/** RUNNING attempts per pool, task type and workflow. */
final class UsageRow {
  public String pool;
  public String taskType;
  public String flowName;
  int n;
}

package io.flinkplatform.engine.internal.store;

import io.flinkplatform.engine.dag.TriggerRule;

/** A task of a workflow version (t_job), as the claim and the limits read it. */
public final class JobRow {
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

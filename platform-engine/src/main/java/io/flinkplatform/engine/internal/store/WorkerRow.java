package io.flinkplatform.engine.internal.store;

/** A worker (t_worker): who it is, what it runs and until when its lease holds. */
public final class WorkerRow {
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

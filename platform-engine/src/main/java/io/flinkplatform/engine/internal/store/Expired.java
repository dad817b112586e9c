package io.flinkplatform.engine.internal.store;

/** An attempt whose lease lapsed, by how long, both by the database's clock (the reaper's). */
public final class Expired {
  public long id;
  public long flowRunId;
  public String taskId;
  public int attempt;
  public String owner;
  public long epoch;
  public long lapsedMillis;
}

package io.flinkplatform.engine.internal.store;

/** A workflow version without its definition (t_job_flow), with the count of its tasks. */
public final class VersionRow {
  public long id;
  public String name;
  public int version;
  public String description;
  public long createdAt;
  public String createdBy;
  public int taskCount;
}

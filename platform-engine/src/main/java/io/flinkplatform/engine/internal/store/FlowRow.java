package io.flinkplatform.engine.internal.store;

/** A workflow version (t_job_flow): its name, version and definition JSON. */
public final class FlowRow {
  public Long id;
  public String workspace;
  public String name;
  public int version;
  public String description;
  public String definition;
  public long createdAt;
  public String createdBy;

  /** Read with the version by selectFlow: its workspace's max active runs cap, null for none. */
  public Integer workspaceMaxActiveRuns;
}

package io.flinkplatform.engine.internal.store;

/** What a workspace may use of another one, or of the platform (t_grant). */
public final class GrantRow {
  public String workspace;
  public String kind;
  public String owner;
  public String name;
  public long createdAt;
  public String createdBy;
}

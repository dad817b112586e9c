package io.flinkplatform.engine.internal.store;

/** One row of the audit trail (t_audit). */
public final class AuditRow {
  public Long id;
  public long at;
  public String actor;
  public String workspace;
  public String action;
  public String target;
  public String digest;
  public String address;
}

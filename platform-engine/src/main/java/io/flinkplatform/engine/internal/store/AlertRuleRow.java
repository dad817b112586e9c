package io.flinkplatform.engine.internal.store;

/** A stored alert rule (t_alert_rule); {@code spec} is the whole rule as JSON (RuleJson). */
public final class AlertRuleRow {
  public long id;
  public String workspace;
  public String name;
  public String kind;
  public String spec;
  public boolean enabled;
  public String updatedBy;
  public long updatedAt;
}

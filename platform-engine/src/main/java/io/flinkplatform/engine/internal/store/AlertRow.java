package io.flinkplatform.engine.internal.store;

/** A raised alert (t_alert). */
public final class AlertRow {
  public long id;
  public String workspace;
  public long ruleId;
  public String ruleName;
  public String kind;
  public String severity;
  public String dedupKey;
  public String groupKey;
  public String idempotencyKey;
  public String title;
  public String text;
  public String link;
  public String facts;
  public String workflow;
  public Long runId;
  public int itemCount = 1;
  public long raisedAt;
}

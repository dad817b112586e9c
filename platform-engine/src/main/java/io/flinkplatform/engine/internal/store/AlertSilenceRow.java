package io.flinkplatform.engine.internal.store;

/** A silence of a workspace's alerts (t_alert_silence). */
public final class AlertSilenceRow {
  public long id;
  public String workspace;
  public String ruleName;
  public String workflow;
  public long endsAt;
  public String reason;
  public String createdBy;
  public long createdAt;
  public String endedBy;
}

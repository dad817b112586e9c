package io.flinkplatform.engine.internal.store;

/** A stored alert channel (t_alert_channel); secret options in {@code options} are sealed. */
public final class AlertChannelRow {
  public long id;
  public String workspace;
  public String name;
  public String type;
  public String options;
  public String updatedBy;
  public long updatedAt;
}

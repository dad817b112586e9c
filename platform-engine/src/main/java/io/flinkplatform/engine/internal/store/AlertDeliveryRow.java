package io.flinkplatform.engine.internal.store;

/** The delivery of an alert to one channel (t_alert_delivery), claimed like an attempt. */
public final class AlertDeliveryRow {
  public long id;
  public long alertId;
  public String workspace;
  public String channelName;
  public String state;
  public int attempts;
  public long nextAt;
  public String owner;
  public long epoch;
  public Long leaseUntil;
  public Long deliveredAt;
  public String lastError;
  public Long digestId;
}

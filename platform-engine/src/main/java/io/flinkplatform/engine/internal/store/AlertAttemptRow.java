package io.flinkplatform.engine.internal.store;

/** One try to send a delivery (t_alert_attempt). */
public final class AlertAttemptRow {
  public long id;
  public long deliveryId;
  public int attempt;
  public String owner;
  public long epoch;
  public long startedAt;
  public Long endedAt;
  public String error;
}

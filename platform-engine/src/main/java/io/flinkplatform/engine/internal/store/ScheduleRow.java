package io.flinkplatform.engine.internal.store;

/** A schedule (t_schedule): its cron, DST and misfire policies and next fire time. */
public final class ScheduleRow {
  public Long id;
  public String workspace;
  public String name;
  public String flowName;
  public String lastSkip;
  public String cron;
  public String zone;
  public Long startAt;
  public Long endAt;
  public boolean paused;
  public String dstGap;
  public String dstOverlap;
  public String misfire;
  public int catchUpLimit;
  public long misfireAfterMs;
  public String overlap;
  public int maxParallel;
  public String params;
  public Long nextFireAt;
  public Long lastFireAt;
  public long createdAt;
  public long updatedAt;

  /** Why an instance could not fire it, until an instance reads it again (or it is saved). */
  public String quarantine;

  public Long quarantinedUntil;
}

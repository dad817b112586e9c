package io.flinkplatform.engine.internal.store;

import io.flinkplatform.engine.schedule.Backfill;

/** A backfill (t_backfill): the range of logical dates it runs and how many at once. */
public final class BackfillRow {
  public Long id;
  public String workspace;
  public String createdBy;
  public String flowName;
  public long firstDate;
  public long lastDate;
  public int runs;
  public int parallelism;
  public Backfill.State state;
  public long createdAt;
  public Long endedAt;
}

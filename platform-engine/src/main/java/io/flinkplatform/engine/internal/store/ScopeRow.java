package io.flinkplatform.engine.internal.store;

/** Runs held in CREATED for one admission scope (a schedule or a backfill). */
public final class ScopeRow {
  public String workspace;
  public Long scheduleId;
  public Long backfillId;
  public String flowName;
}

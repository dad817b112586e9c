package io.flinkplatform.engine.internal.store;

/** A due schedule's move to its next fire time, a compare-and-set on the one it had. */
public final class ScheduleMove {
  public long id;
  public long expected;
  public Long next;
  public Long last;
  public String skip;
}

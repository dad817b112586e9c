package io.flinkplatform.engine.internal.store;

import io.flinkplatform.engine.run.RunState;

/**
 * A row of a grouped count: the rows counted and the group's key, in whichever of the fields the
 * statement groups by (an hour index and a run state, an attempt's owner, a priority).
 */
public final class GroupCount {
  public long bucket;
  public RunState state;
  public String owner;
  public int count;
}

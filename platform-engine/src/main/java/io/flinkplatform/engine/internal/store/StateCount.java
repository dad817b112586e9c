package io.flinkplatform.engine.internal.store;

import io.flinkplatform.engine.run.RunState;

/** How many runs of a backfill are in one state. */
public final class StateCount {
  public RunState state;
  public int count;
}

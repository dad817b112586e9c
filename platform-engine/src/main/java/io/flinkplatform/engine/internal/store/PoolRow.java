package io.flinkplatform.engine.internal.store;

import io.flinkplatform.engine.run.Limit;

/** A concurrency limit (t_pool): its kind, name and slots. */
public final class PoolRow {
  public Limit.Kind kind;
  public String name;
  public int slots;
}

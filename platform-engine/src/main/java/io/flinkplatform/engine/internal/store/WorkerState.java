package io.flinkplatform.engine.internal.store;

/** A worker row's state: registered and heartbeating, or stopped by its instance. */
public enum WorkerState {
  ACTIVE,
  STOPPED
}

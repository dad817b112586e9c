package io.flinkplatform.engine.testing;

import io.flinkplatform.engine.InstanceStats;
import io.flinkplatform.engine.Platform;
import io.flinkplatform.engine.PlatformClient;

/**
 * The engine of a {@link ManualPlatform}, built in the engine's manual mode (everything wired, no
 * loop thread started), and the one pass over its loops that {@link ManualPlatform#tick()} runs.
 */
final class ManualLoops implements AutoCloseable {
  private ManualLoops() {}

  /** Builds the engine of {@code platform} in manual mode and starts it without threads. */
  static ManualLoops start(Platform platform) {
    throw new UnsupportedOperationException(
        "the engine's manual mode is not available yet; ManualPlatform cannot be built");
  }

  PlatformClient client() {
    throw new UnsupportedOperationException();
  }

  Tick tick() {
    throw new UnsupportedOperationException();
  }

  InstanceStats stats() {
    throw new UnsupportedOperationException();
  }

  @Override
  public void close() {}
}

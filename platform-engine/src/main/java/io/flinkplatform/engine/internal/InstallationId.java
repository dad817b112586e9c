package io.flinkplatform.engine.internal;

import io.flinkplatform.engine.internal.store.Store;
import java.time.Clock;
import java.util.function.Supplier;

/**
 * The installation's id (one per database), read (and on first use written) once per start, when
 * first asked for: by the task log directory's mark and by plugins through their context.
 */
final class InstallationId implements Supplier<String> {
  private final Store store;
  private final Clock clock;
  private volatile String id;

  InstallationId(Store store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  @Override
  public String get() {
    String read = id;
    if (read == null) {
      read = store.installationId(clock.millis());
      id = read;
    }
    return read;
  }
}

package io.flinkplatform.engine.internal;

import io.flinkplatform.engine.PlatformSettings;
import io.flinkplatform.engine.internal.claim.LeaseClock;
import io.flinkplatform.engine.internal.store.Store;
import io.flinkplatform.engine.internal.store.WorkerRow;
import io.flinkplatform.engine.internal.store.WorkerState;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.util.Collection;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance's row in {@code t_worker}: written ACTIVE at start (host, pid, engine version,
 * labels, the task types it claims, a first lease) and marked stopped at the end. The version is
 * the engine jar's {@code Implementation-Version}, or {@value #DEV_VERSION} when the engine runs
 * from classes (an IDE, the build's own tests).
 */
final class WorkerRegistration {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerRegistration.class);
  static final String DEV_VERSION = "dev";
  private final PlatformSettings settings;
  private final Store store;
  private final LeaseClock leaseClock;
  private final String owner;

  WorkerRegistration(PlatformSettings settings, Store store, LeaseClock leaseClock, String owner) {
    this.settings = settings;
    this.store = store;
    this.leaseClock = leaseClock;
    this.owner = owner;
  }

  /** The engine's version from its jar's manifest. */
  static String version() {
    String v = Engine.class.getPackage().getImplementationVersion();
    return v == null || v.isBlank() ? DEV_VERSION : v;
  }

  void register(Collection<String> taskTypes) {
    long now = settings.clock().millis();
    WorkerRow w = new WorkerRow();
    w.name = owner;
    w.instanceName = settings.instanceName();
    try {
      w.host = InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      w.host = "unknown";
    }
    w.pid = ManagementFactory.getRuntimeMXBean().getPid();
    w.version = version();
    w.labels = String.join(",", new TreeSet<>(settings.labels()));
    // an instance without worker threads claims nothing: it offers no task types
    w.taskTypes = settings.workerThreads() == 0 ? "" : String.join(",", new TreeSet<>(taskTypes));
    w.state = WorkerState.ACTIVE;
    w.startedAt = now;
    w.heartbeatAt = now;
    store.run(
        "register instance " + owner,
        m -> {
          leaseClock.sync(m);
          w.leaseUntil = leaseClock.millis() + settings.leaseDuration().toMillis();
          m.upsertWorker(w);
        });
  }

  /** Marks the row stopped; a failure is logged (the row's lease lapses anyway). */
  void deregister() {
    try {
      store.run("deregister " + owner, m -> m.stopWorker(owner, settings.clock().millis()));
    } catch (RuntimeException e) {
      LOG.warn("[{}] could not mark itself stopped: {}", settings.instanceName(), e.getMessage());
    }
  }
}

package io.flinkplatform.engine.internal.worker;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The attempts this instance holds now, by attempt id: added when claimed, removed when ended. The
 * heartbeat renews their leases, a kill or a stop cancels them.
 */
final class LocalAttempts {
  private final Map<Long, LocalAttempt> byId = new ConcurrentHashMap<>();

  /** Holds a newly claimed attempt; returns the one it replaces (an older claim of it), if any. */
  LocalAttempt hold(LocalAttempt la) {
    return byId.put(la.claim.id(), la);
  }

  /** Forgets an ended attempt, unless a newer claim of it replaced it already. */
  void forget(LocalAttempt la) {
    byId.remove(la.claim.id(), la);
  }

  Collection<LocalAttempt> all() {
    return byId.values();
  }

  Stream<LocalAttempt> ofRun(long runId) {
    return byId.values().stream().filter(la -> la.claim.run().id == runId);
  }
}

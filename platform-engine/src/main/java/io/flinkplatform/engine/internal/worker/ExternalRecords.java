package io.flinkplatform.engine.internal.worker;

import io.flinkplatform.engine.internal.claim.Claim;
import io.flinkplatform.engine.internal.common.Json;
import io.flinkplatform.engine.internal.store.Store;
import io.flinkplatform.spi.ExternalRef;

/**
 * What the external driver stores with a RUNNING attempt, each write fenced by the claim's epoch:
 * the reference of its external work and the detail its last poll reported.
 */
final class ExternalRecords {
  private final Store store;

  ExternalRecords(Store store) {
    this.store = store;
  }

  /** Stores the reference of work just submitted; false if the claim was lost meanwhile. */
  boolean submitted(Claim claim, ExternalRef ref) {
    int updated =
        store.tx(
            "store the external reference of " + claim.describe(),
            m -> m.setExternalRef(claim.id(), claim.epoch(), Json.writeRef(ref)));
    return updated > 0;
  }

  /** Stores a new reference the task type handed over, while the claim's epoch holds. */
  void changed(ExternalAttempt t, ExternalRef ref) {
    int updated =
        store.tx(
            "store the new external reference of " + t.la.claim.describe(),
            m -> m.setExternalRef(t.la.claim.id(), t.la.claim.epoch(), Json.writeRef(ref)));
    if (updated > 0) {
      t.note("external work is now " + ref.id() + " " + ref.attributes());
    }
  }

  /** Stores what a poll says the work is doing (what explain shows), if it changed. */
  void detail(ExternalAttempt t, String detail) {
    if (!detail.equals(t.detail)) {
      t.detail = detail; // what explain() shows, e.g. what a sensor still waits for
      store.run(
          "record the status of " + t.la.claim.describe(),
          m -> m.setRunningMessage(t.la.claim.id(), t.la.claim.epoch(), detail));
    }
  }
}

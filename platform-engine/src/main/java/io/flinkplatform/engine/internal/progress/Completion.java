package io.flinkplatform.engine.internal.progress;

import io.flinkplatform.engine.internal.claim.Claim;

/**
 * One item of the completer's queue: an attempt's outcome, a claim handed back, a release of the
 * tasks behind RUNNING edges, or the mark that stops the completer.
 */
sealed interface Completion {
  /** An attempt ended with {@code result}. */
  record Outcome(Result result) implements Completion {}

  /** A claimed attempt goes back to READY (stop, lost lease) so any instance may claim it. */
  record HandBack(Claim claim) implements Completion {}

  /** A running external attempt released the tasks behind its RUNNING edges. */
  record Release(Claim claim) implements Completion {}

  /** The completer stops once everything queued before this was committed. */
  record Stop() implements Completion {}
}

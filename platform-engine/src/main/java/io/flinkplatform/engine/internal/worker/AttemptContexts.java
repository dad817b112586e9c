package io.flinkplatform.engine.internal.worker;

import io.flinkplatform.engine.internal.claim.Claim;
import io.flinkplatform.engine.internal.definition.Dag;
import io.flinkplatform.engine.internal.store.Store;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Builds the {@link AttemptContext} of a claimed attempt: its parameters ({@link Parameters}), its
 * upstream outputs ({@link UpstreamOutputs}, read once and only when asked for), its log, its
 * cancellation and deadline, and the logic tasks' view of the platform.
 */
final class AttemptContexts {
  private final Store store;
  private final Parameters parameters;
  private final Clock clock;
  private final RunAccess runAccess;

  /** {@code runAccess} gives tasks access to other runs ({@code TaskContext.platform()}). */
  AttemptContexts(Store store, Parameters parameters, Clock clock, RunAccess runAccess) {
    this.store = store;
    this.parameters = parameters;
    this.clock = clock;
    this.runAccess = runAccess;
  }

  AttemptContext context(
      Claim claim, Dag dag, LogSink log, CancelSignal cancel, Optional<Instant> deadline) {
    return new AttemptContext(
            claim,
            dag,
            () -> parameters.of(dag, claim),
            () -> UpstreamOutputs.read(store, claim, dag),
            log,
            cancel,
            deadline,
            clock)
        .withLogic(new LogicContext(store, claim, dag, runAccess.forAttempt(claim)));
  }
}

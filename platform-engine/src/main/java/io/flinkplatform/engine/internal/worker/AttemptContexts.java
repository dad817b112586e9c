package io.flinkplatform.engine.internal.worker;

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
  private volatile RunAccess runAccess;

  AttemptContexts(Store store, Parameters parameters, Clock clock) {
    this.store = store;
    this.parameters = parameters;
    this.clock = clock;
  }

  /** Gives tasks access to other runs ({@code TaskContext.platform()}); set once at start. */
  void runAccess(RunAccess access) {
    this.runAccess = access;
  }

  AttemptContext context(
      Claim claim,
      Dag dag,
      LocalLogStore.Sink log,
      CancelSignal cancel,
      Optional<Instant> deadline) {
    RunAccess access = runAccess;
    return new AttemptContext(
            claim,
            dag,
            () -> parameters.of(dag, claim),
            () -> UpstreamOutputs.read(store, claim, dag),
            log,
            cancel,
            deadline,
            clock)
        .withLogic(
            new LogicContext(store, claim, dag, access == null ? null : access.forAttempt(claim)));
  }
}

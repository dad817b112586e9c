package io.flinkplatform.engine.internal.command;

import static java.util.Objects.requireNonNull;

import io.flinkplatform.engine.internal.common.Events;
import io.flinkplatform.engine.internal.common.Signals;
import io.flinkplatform.engine.internal.rerun.Reruns;
import io.flinkplatform.engine.internal.store.Store;
import io.flinkplatform.engine.run.RerunRequest;
import io.flinkplatform.engine.run.RerunResult;
import io.flinkplatform.engine.run.TaskState;
import java.time.Clock;

/**
 * Reruns tasks of a run and marks tasks by hand, each in one transaction through {@link Reruns},
 * then announces what changed: events, a wake-up of the dispatcher for READY attempts, and of
 * waiters and admission for runs that closed.
 */
public final class RerunCommands {
  private final Store store;
  private final Reruns reruns;
  private final Events events;
  private final Signals signals;
  private final Clock clock;

  public RerunCommands(Store store, Reruns reruns, Events events, Signals signals, Clock clock) {
    this.store = store;
    this.reruns = reruns;
    this.events = events;
    this.signals = signals;
    this.clock = clock;
  }

  public RerunResult rerun(RerunRequest request) {
    requireNonNull(request, "request is null");
    long now = clock.millis();
    return announce(
        store.tx("rerun run " + request.runId(), m -> reruns.rerun(m, request, now)), now);
  }

  public RerunResult markTask(long runId, String taskId, TaskState state) {
    requireNonNull(taskId, "taskId is null");
    requireNonNull(state, "state is null");
    long now = clock.millis();
    return announce(
        store.tx(
            "mark task '" + taskId + "' of run " + runId + " " + state,
            m -> reruns.mark(m, runId, taskId, state, now)),
        now);
  }

  private RerunResult announce(Reruns.Done done, long now) {
    events.emitAll(done.changes.events);
    if (done.changes.readied) {
      signals.workReady(now);
    }
    if (!done.changes.closedRuns.isEmpty()) {
      signals.runClosed();
    }
    return done.result;
  }
}

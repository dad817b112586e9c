package io.flinkplatform.engine.internal.command;

import static java.util.Objects.requireNonNull;

import io.flinkplatform.engine.NotFoundException;
import io.flinkplatform.engine.access.Action;
import io.flinkplatform.engine.event.PlatformEvent;
import io.flinkplatform.engine.internal.access.Access;
import io.flinkplatform.engine.internal.access.Caller;
import io.flinkplatform.engine.internal.alert.AlertRaiser;
import io.flinkplatform.engine.internal.common.Events;
import io.flinkplatform.engine.internal.common.Signals;
import io.flinkplatform.engine.internal.rerun.Reruns;
import io.flinkplatform.engine.internal.store.RunRow;
import io.flinkplatform.engine.internal.store.Store;
import io.flinkplatform.engine.internal.store.StoreMapper;
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
  private final Access access;
  private final Clock clock;
  private final AlertRaiser alerts;

  public RerunCommands(
      Store store,
      Reruns reruns,
      Events events,
      Signals signals,
      Access access,
      Clock clock,
      AlertRaiser alerts) {
    this.access = access;
    this.store = store;
    this.reruns = reruns;
    this.events = events;
    this.signals = signals;
    this.clock = clock;
    this.alerts = alerts;
  }

  /** Reruns tasks of a run of the caller's workspace, with its audit row. */
  public RerunResult rerun(Caller caller, RerunRequest request) {
    requireNonNull(request, "request is null");
    long now = clock.millis();
    return announce(
        store.tx(
            "rerun run " + request.runId(),
            m -> {
              requireOwn(m, caller, request.runId());
              Reruns.Done done = reruns.rerun(m, request, now);
              record(
                  m,
                  caller,
                  Action.RERUN,
                  done,
                  now,
                  request.mode() + request.taskId().map(t -> " " + t).orElse(""));
              return done;
            }),
        now);
  }

  /** Marks a task of a run of the caller's workspace, with its audit row. */
  public RerunResult markTask(Caller caller, long runId, String taskId, TaskState state) {
    requireNonNull(taskId, "taskId is null");
    requireNonNull(state, "state is null");
    long now = clock.millis();
    return announce(
        store.tx(
            "mark task '" + taskId + "' of run " + runId + " " + state,
            m -> {
              requireOwn(m, caller, runId);
              Reruns.Done done = reruns.mark(m, runId, taskId, state, now);
              record(m, caller, Action.MARK, done, now, "task " + taskId + " " + state);
              return done;
            }),
        now);
  }

  /** Runs of other workspaces are not found, as if they did not exist. */
  private static void requireOwn(StoreMapper m, Caller caller, long runId) {
    RunRow run = m.selectRun(runId);
    if (run == null || !run.workspace.equals(caller.workspace())) {
      throw new NotFoundException("run " + runId + " does not exist");
    }
  }

  private void record(
      StoreMapper m, Caller caller, Action action, Reruns.Done done, long now, String digest) {
    long runId = done.result.runId();
    // the events of the reopened run, its attempts' included, are the caller's doing
    done.changes.events.replaceAll(
        e -> {
          if (e instanceof PlatformEvent.RunStateChanged r && r.runId() == runId) {
            return r.by(caller.workspace(), caller.name());
          }
          if (e instanceof PlatformEvent.RunReopened r && r.runId() == runId) {
            return r.by(caller.workspace(), caller.name());
          }
          if (e instanceof PlatformEvent.TaskStateChanged t && t.runId() == runId) {
            return t.by(caller.workspace(), caller.name());
          }
          return e;
        });
    m.setRunRerunBy(runId, caller.name());
    if (!done.result.tasks().isEmpty()) {
      m.setAttemptsRerunBy(runId, done.result.tasks(), now, caller.name());
    }
    access.audit(m, caller, action, "run:" + runId, digest + ", tasks " + done.result.tasks());
    // a mark can end the run (and fail a task by hand): its alerts commit with it
    done.changes.alerted = alerts.raise(m, done.changes.events, now);
  }

  private RerunResult announce(Reruns.Done done, long now) {
    events.emitAll(done.changes.events);
    if (done.changes.readied) {
      signals.workReady(now);
    }
    if (!done.changes.closedRuns.isEmpty()) {
      signals.runClosed();
    }
    if (done.changes.alerted) {
      signals.alertsDue();
    }
    return done.result;
  }
}

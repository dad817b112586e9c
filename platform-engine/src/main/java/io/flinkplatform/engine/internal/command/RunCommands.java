package io.flinkplatform.engine.internal.command;

import static java.util.Objects.requireNonNull;

import io.flinkplatform.engine.NotFoundException;
import io.flinkplatform.engine.access.Action;
import io.flinkplatform.engine.access.WorkspaceCaps;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.event.PlatformEvent;
import io.flinkplatform.engine.internal.access.Access;
import io.flinkplatform.engine.internal.access.Caller;
import io.flinkplatform.engine.internal.access.Caps;
import io.flinkplatform.engine.internal.alert.AlertRaiser;
import io.flinkplatform.engine.internal.common.Events;
import io.flinkplatform.engine.internal.common.Json;
import io.flinkplatform.engine.internal.common.Signals;
import io.flinkplatform.engine.internal.definition.Definitions;
import io.flinkplatform.engine.internal.definition.TypedParameters;
import io.flinkplatform.engine.internal.model.Attempt;
import io.flinkplatform.engine.internal.model.RunModel;
import io.flinkplatform.engine.internal.progress.AttemptRows;
import io.flinkplatform.engine.internal.progress.Progress;
import io.flinkplatform.engine.internal.progress.Runs;
import io.flinkplatform.engine.internal.store.FlowRow;
import io.flinkplatform.engine.internal.store.RunRow;
import io.flinkplatform.engine.internal.store.Store;
import io.flinkplatform.engine.internal.store.StoreMapper;
import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.run.TaskState;
import io.flinkplatform.engine.run.TriggerRequest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Triggers and kills runs. Each is one transaction, followed by what it makes due: the run events,
 * a wake-up of the dispatcher (new READY attempts), of admission (runs held by a workflow's max
 * active runs, or a run closed), and the cancellation of this instance's attempts of a killed run.
 */
public final class RunCommands {
  private final Store store;
  private final Definitions definitions;
  private final Progress progress;
  private final Events events;
  private final Signals signals;
  private final Access access;
  private final Clock clock;
  private final AlertRaiser alerts;

  public RunCommands(
      Store store,
      Definitions definitions,
      Progress progress,
      Events events,
      Signals signals,
      Access access,
      Clock clock,
      AlertRaiser alerts) {
    this.alerts = alerts;
    this.access = access;
    this.store = store;
    this.definitions = definitions;
    this.progress = progress;
    this.events = events;
    this.signals = signals;
    this.clock = clock;
  }

  /**
   * Creates and starts one run per request of workflows of the caller's workspace, all in one
   * transaction with one audit row each; returns their ids in order.
   */
  public List<Long> triggerAll(Caller caller, List<TriggerRequest> requests) {
    requireNonNull(requests, "requests is null");
    if (requests.isEmpty()) {
      return List.of();
    }
    long now = clock.millis();
    List<RunRow> runs =
        store.tx(
            "trigger " + requests.size() + " run(s)", m -> createRuns(m, caller, requests, now));
    for (RunRow run : runs) {
      events.emit(
          new PlatformEvent.RunStateChanged(
              Instant.ofEpochMilli(now),
              run.id,
              run.flowName,
              run.state,
              run.workspace,
              caller.name()));
    }
    signals.workReady(now);
    if (runs.stream().anyMatch(r -> RunState.CREATED == r.state)) {
      signals.scheduleChanged(); // held by the workflow's max active runs: admission starts them
    }
    return runs.stream().map(r -> r.id).toList();
  }

  private List<RunRow> createRuns(
      StoreMapper m, Caller caller, List<TriggerRequest> requests, long now) {
    String workspace = caller.workspace();
    Map<String, FlowRow> versions = new HashMap<>();
    Map<String, List<String>> zones = new HashMap<>();
    List<RunRow> created = new ArrayList<>(requests.size());
    for (TriggerRequest r : requests) {
      FlowRow version =
          versions.computeIfAbsent(
              r.workflowName() + "#" + r.version().orElse(0),
              k -> m.selectFlow(workspace, r.workflowName(), r.version().orElse(null)));
      if (version == null) {
        throw new NotFoundException(
            "workflow '"
                + r.workflowName()
                + "'"
                + r.version().map(v -> " version " + v).orElse("")
                + " is not deployed");
      }
      long logicalDate = r.logicalDate().map(Instant::toEpochMilli).orElse(now);
      Workflow w = definitions.get(version.id).workflow;
      Map<String, String> params =
          Runs.withZone(
              r.parameters(),
              w,
              null,
              () -> zones.computeIfAbsent(version.name, n -> m.selectScheduleZones(workspace, n)));
      TypedParameters.checkRequest(w, params, Instant.ofEpochMilli(logicalDate));
      created.add(Runs.newRun(version, params, logicalDate, now, RunState.RUNNING, caller.name()));
    }
    // the cap came with the workflow versions (selectFlow), so triggering reads no more rows
    Integer maxActive = versions.values().iterator().next().workspaceMaxActiveRuns;
    WorkspaceCaps caps =
        maxActive == null ? WorkspaceCaps.NONE : WorkspaceCaps.NONE.withMaxActiveRuns(maxActive);
    Caps.checkActiveRuns(m, workspace, caps, created.size());
    Runs.insert(m, definitions, created, now, Map.of(workspace, caps));
    for (RunRow run : created) {
      access.audit(
          m,
          caller,
          Action.TRIGGER,
          "run:" + run.id,
          "workflow "
              + run.flowName
              + " version "
              + run.flowVersion
              + ", logical date "
              + Instant.ofEpochMilli(run.logicalDate)
              + ", parameters "
              + Json.stringMap(run.params).keySet());
    }
    return created;
  }

  /**
   * Kills a run of the caller's workspace, with an audit row: KILLING, its unstarted attempts
   * KILLED, the run closed once nothing runs. Returns false when the run had already ended.
   *
   * @throws NotFoundException if the workspace has no such run
   */
  public boolean kill(Caller caller, long runId) {
    return kill(caller, runId, true);
  }

  /**
   * A kill the platform decides (a schedule's overlap policy): as the system acting for {@code
   * actingFor}, in the run's own workspace, without an audit row of its own.
   *
   * @return false if the run had ended or does not exist
   */
  public boolean killByPlatform(String actingFor, long runId) {
    RunRow run = store.tx("read run " + runId, m -> m.selectRun(runId));
    return run != null && kill(Caller.system(actingFor, run.workspace), runId, false);
  }

  /**
   * {@link #kill(Caller, long)}; {@code audited} false for a kill that is part of another audited
   * change (a cancelled backfill, a schedule's overlap policy), which records it.
   */
  public boolean kill(Caller caller, long runId, boolean audited) {
    long now = clock.millis();
    Progress.Changes changes =
        store.tx(
            "kill run " + runId,
            m -> {
              Progress.Changes c = markKilling(m, caller, runId, now);
              if (c != null && audited) {
                access.audit(m, caller, Action.KILL, "run:" + runId, "");
              }
              if (c != null) {
                c.alerted = alerts.raise(m, c.events, now); // a run killed before it ran ends here
              }
              return c;
            });
    if (changes == null) {
      return false;
    }
    events.emitAll(changes.events);
    signals.runKilled(runId);
    if (!changes.closedRuns.isEmpty()) {
      signals.runClosed();
    }
    if (changes.alerted) {
      signals.alertsDue();
    }
    return true;
  }

  private Progress.Changes markKilling(StoreMapper m, Caller caller, long runId, long now) {
    RunRow run = Progress.lockRuns(m, List.of(runId)).get(runId);
    if (run == null || !run.workspace.equals(caller.workspace())) {
      throw new NotFoundException("run " + runId + " does not exist");
    }
    RunState state = run.state;
    if (state.isFinal()) {
      return null;
    }
    Progress.Changes c = new Progress.Changes();
    if (state != RunState.KILLING) {
      m.setRunState(runId, run.state, RunState.KILLING);
      m.setRunKilledBy(runId, caller.name());
      m.setAttemptsKilledBy(runId, caller.name());
      run.state = RunState.KILLING;
      c.events.add(
          new PlatformEvent.RunStateChanged(
              Instant.ofEpochMilli(now),
              runId,
              run.flowName,
              RunState.KILLING,
              run.workspace,
              caller.name()));
    }
    killUnstarted(m, run, caller, now, c);
    progress.closeIfDone(m, List.of(run), now, c);
    return c;
  }

  /**
   * Ends KILLED the run's attempts the model says a kill ends (those that never started), each only
   * if it still has not (a claim that took one is left to meet the kill when it starts), with an
   * event by the caller for each it ended.
   */
  private static void killUnstarted(
      StoreMapper m, RunRow run, Caller caller, long now, Progress.Changes c) {
    Map<String, Attempt> latest = new HashMap<>();
    AttemptRows.latest(m.selectStatesOfRuns(List.of(run.id), null))
        .forEach((task, row) -> latest.put(task, AttemptRows.toModel(row)));
    Map<String, Attempt> killed = RunModel.killedBeforeStart(latest);
    if (killed.isEmpty()) {
      return;
    }
    List<Long> ids = killed.values().stream().map(Attempt::id).toList();
    Set<Long> ended =
        m.killUnstarted(ids, RunModel.KILLED_BEFORE_START, now) == ids.size()
            ? Set.copyOf(ids)
            : endedOf(m, ids);
    killed.forEach(
        (task, a) -> {
          if (ended.contains(a.id())) {
            c.events.add(
                Progress.taskEvent(
                        now, run, task, a.number(), TaskState.KILLED, RunModel.KILLED_BEFORE_START)
                    .by(run.workspace, caller.name()));
          }
        });
  }

  /**
   * Which of {@code ids} the kill ended, when a claim took some first: those KILLED now. The run is
   * locked, so no outcome ended any of them in between.
   */
  private static Set<Long> endedOf(StoreMapper m, List<Long> ids) {
    Set<Long> ended = new HashSet<>();
    m.lockAttempts(ids).stream()
        .filter(a -> a.state == TaskState.KILLED)
        .forEach(a -> ended.add(a.id));
    return ended;
  }
}

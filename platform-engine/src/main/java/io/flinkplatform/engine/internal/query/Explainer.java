package io.flinkplatform.engine.internal.query;

import io.flinkplatform.engine.NotFoundException;
import io.flinkplatform.engine.dag.TaskDefinition;
import io.flinkplatform.engine.internal.access.Caller;
import io.flinkplatform.engine.internal.definition.Dag;
import io.flinkplatform.engine.internal.definition.Definitions;
import io.flinkplatform.engine.internal.progress.AttemptRows;
import io.flinkplatform.engine.internal.store.AttemptRow;
import io.flinkplatform.engine.internal.store.RunRow;
import io.flinkplatform.engine.internal.store.Store;
import io.flinkplatform.engine.internal.store.StoreMapper;
import io.flinkplatform.engine.run.Explanation;
import io.flinkplatform.engine.run.Explanation.Code;
import io.flinkplatform.engine.run.Explanation.Reason;
import io.flinkplatform.engine.run.Explanation.TaskExplanation;
import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.run.TaskState;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Answers "why has this not started?" from the database alone, in one read-only transaction: it
 * reads the run and picks the reasons by state (held, waiting, ready, running); the reasons of each
 * state have their own class.
 */
public final class Explainer {
  private final Store store;
  private final Definitions definitions;
  private final Clock clock;

  public Explainer(Store store, Definitions definitions, Clock clock) {
    this.store = store;
    this.definitions = definitions;
    this.clock = clock;
  }

  /** Why a run of the caller's workspace has not started or ended yet. */
  Explanation explain(Caller caller, long runId) {
    return store.tx("explain run " + runId, m -> explain(m, caller, runId));
  }

  /** Why a schedule is not starting runs now, or what it skipped last; empty if nothing. */
  List<Reason> explainSchedule(Caller caller, String name) {
    return store.tx(
        "explain schedule " + name, m -> ScheduleReasons.of(m, caller.workspace(), name));
  }

  private Explanation explain(StoreMapper m, Caller caller, long runId) {
    RunRow run = m.selectRun(runId);
    if (run == null || !run.workspace.equals(caller.workspace())) {
      throw new NotFoundException("run " + runId + " does not exist");
    }
    long now = clock.millis();
    RunState state = run.state;
    Dag dag = definitions.get(run.flowId);
    if (state == RunState.CREATED) {
      return new Explanation(runId, state, Optional.of(HeldReasons.of(m, run)), List.of());
    }
    Map<String, AttemptRow> latest = AttemptRows.latest(m.selectAttemptsOfRun(runId));
    LiveInstances instances = new LiveInstances(m.selectLiveWorkers());
    ReadyReasons ready = new ReadyReasons(m, instances, LimitReasons.read(m), now);
    List<TaskExplanation> out = new ArrayList<>();
    for (TaskDefinition t : dag.workflow.tasks()) {
      AttemptRow a = latest.get(t.id());
      if (a == null) {
        continue;
      }
      TaskState ts = a.state;
      List<Reason> reasons =
          switch (ts) {
            case WAITING -> List.of(WaitingReasons.of(dag, t, latest));
            case READY -> ready.of(a, run, t);
            case RUNNING -> List.of(running(a));
            default -> null;
          };
      if (reasons != null) {
        out.add(new TaskExplanation(t.id(), ts, reasons));
      }
    }
    return new Explanation(runId, state, Optional.empty(), out);
  }

  private static Reason running(AttemptRow a) {
    return new Reason(
        Code.RUNNING,
        "running on "
            + a.owner
            + (a.message == null || a.message.isEmpty() ? "" : ": " + a.message));
  }
}

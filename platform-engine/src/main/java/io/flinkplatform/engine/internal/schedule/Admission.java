package io.flinkplatform.engine.internal.schedule;

import io.flinkplatform.engine.event.PlatformEvent.RunStateChanged;
import io.flinkplatform.engine.internal.access.Caps;
import io.flinkplatform.engine.internal.common.Events;
import io.flinkplatform.engine.internal.common.Loop;
import io.flinkplatform.engine.internal.common.Signals;
import io.flinkplatform.engine.internal.definition.Definitions;
import io.flinkplatform.engine.internal.progress.Runs;
import io.flinkplatform.engine.internal.store.BackfillRow;
import io.flinkplatform.engine.internal.store.Limits;
import io.flinkplatform.engine.internal.store.PoolRow;
import io.flinkplatform.engine.internal.store.RunRow;
import io.flinkplatform.engine.internal.store.ScopeRow;
import io.flinkplatform.engine.internal.store.Store;
import io.flinkplatform.engine.internal.store.StoreMapper;
import io.flinkplatform.engine.run.Limit;
import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.schedule.Backfill;
import io.flinkplatform.spi.Actor;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Admits runs held in CREATED: for each scope with held runs (a schedule, a backfill, or a workflow
 * with max active runs) it locks the schedule or backfill row, counts the scope's active runs and
 * starts the oldest held ones up to the limit (the runs' max parallel, and the workflow's max
 * active runs). Every instance runs it; the row locks serialise them.
 */
public final class Admission implements Loop.Pass {
  private static final int MAX_HELD_READ = 1000;
  private final Store store;
  private final Definitions definitions;
  private final Events events;
  private final Clock clock;
  private final Signals signals;

  /** Where the next pass starts in the list of scopes (the pass's thread only). */
  private int cursor;

  /** The runs one transaction started, and when. */
  private record Admitted(List<RunRow> runs, long at) {}

  public Admission(
      Store store, Definitions definitions, Events events, Clock clock, Signals signals) {
    this.store = store;
    this.definitions = definitions;
    this.events = events;
    this.clock = clock;
    this.signals = signals;
  }

  /**
   * One pass: starts held runs whose scope has room now, one transaction per scope. A failed
   * transaction ends the pass; the next pass starts at the scope that failed, so that while the
   * database fails now and then, every scope gets its turn instead of the first few in the list.
   */
  @Override
  public long runOnce() {
    List<ScopeRow> scopes = store.tx("find held runs", StoreMapper::selectWaitingScopes);
    int n = scopes.size();
    int from = n == 0 ? 0 : Math.floorMod(cursor, n);
    for (int i = 0; i < n; i++) {
      admit(scopes.get((from + i) % n));
      cursor++;
    }
    return Loop.IDLE;
  }

  private void admit(ScopeRow scope) {
    Admitted admitted = store.tx("admit held runs", m -> admitTx(m, scope));
    if (!admitted.runs().isEmpty()) {
      Instant at = Instant.ofEpochMilli(admitted.at());
      for (RunRow r : admitted.runs()) {
        events.emit(
            new RunStateChanged(
                at, r.id, r.flowName, RunState.RUNNING, r.workspace, Actor.SYSTEM.name()));
      }
      signals.workReady(admitted.at());
    }
  }

  /**
   * How many more runs the workspace's max active runs cap lets start; the workspace row is locked
   * first, so admissions of two scopes of one workspace take turns.
   */
  private static int workspaceRoom(StoreMapper m, String workspace) {
    Optional<Integer> max = Caps.of(m, workspace).maxActiveRuns();
    if (max.isEmpty()) {
      return Integer.MAX_VALUE;
    }
    m.lockWorkspace(workspace);
    return max.get() - m.countActiveRunsOfWorkspace(workspace);
  }

  private Admitted admitTx(StoreMapper m, ScopeRow scope) {
    boolean scoped = scope.backfillId != null || scope.scheduleId != null;
    if (scope.backfillId != null) {
      BackfillRow b = m.selectBackfill(scope.backfillId, true);
      if (b == null || b.state != Backfill.State.RUNNING) {
        return new Admitted(List.of(), 0);
      }
    } else if (scope.scheduleId != null && m.lockSchedule(null, null, scope.scheduleId) == null) {
      // the schedule was deleted (its held runs still start): no row to serialise admission on,
      // so lock its held runs instead; a second instance waits here and then counts the runs the
      // first one started
      m.lockCreatedRunsOfSchedule(scope.scheduleId);
    }
    int active =
        scoped ? m.selectActiveRunIds(scope.scheduleId, scope.backfillId, Firing.ACTIVE).size() : 0;
    PoolRow workflowLimit =
        m.lockPool(Limit.Kind.RUNS, Limits.scoped(scope.workspace, scope.flowName));
    int workflowRoom =
        workflowLimit == null
            ? Integer.MAX_VALUE
            : workflowLimit.slots - m.countActiveRunsOfFlow(scope.workspace, scope.flowName);
    int room = Math.min(workflowRoom, workspaceRoom(m, scope.workspace));
    List<RunRow> go = new ArrayList<>();
    for (RunRow r :
        m.selectCreatedRuns(
            scope.scheduleId, scope.backfillId, scope.workspace, scope.flowName, MAX_HELD_READ)) {
      int limit = r.maxActive == null ? 1 : r.maxActive;
      if ((scoped && active + go.size() >= limit) || go.size() >= room) {
        break;
      }
      go.add(r);
    }
    if (go.isEmpty()) {
      return new Admitted(go, 0);
    }
    // read after the count, so a run starts no earlier than the ones it waited for ended
    long now = clock.millis();
    m.admitRuns(go.stream().map(r -> r.id).toList(), now);
    for (RunRow r : go) {
      r.state = RunState.RUNNING;
      r.startedAt = now;
    }
    Runs.start(m, definitions, go, now);
    return new Admitted(go, now);
  }
}

package io.flinkplatform.engine.internal.progress;

import io.flinkplatform.engine.access.WorkspaceCaps;
import io.flinkplatform.engine.dag.DateMacros;
import io.flinkplatform.engine.dag.TaskDefinition;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.internal.access.Caps;
import io.flinkplatform.engine.internal.common.Json;
import io.flinkplatform.engine.internal.definition.Dag;
import io.flinkplatform.engine.internal.definition.Definitions;
import io.flinkplatform.engine.internal.model.TriggerRules;
import io.flinkplatform.engine.internal.store.AttemptRow;
import io.flinkplatform.engine.internal.store.FlowRow;
import io.flinkplatform.engine.internal.store.RunRow;
import io.flinkplatform.engine.internal.store.Store;
import io.flinkplatform.engine.internal.store.StoreMapper;
import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.run.TaskState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Creates runs and starts them (their first attempts), inside the caller's transaction. */
public final class Runs {
  public static final int INSERT_CHUNK = Store.INSERT_CHUNK;

  private Runs() {}

  /**
   * The run parameters with the run's time zone (parameter {@code timezone}, which date macros and
   * dependent windows read) made explicit, so that a rerun renders as the first run did. The zone
   * is the first of: the {@code timezone} the parameters give; the zone of what starts the run
   * ({@code originZone}: a schedule's, a backfill's, the parent run's for a child); the workflow's
   * own {@code timezone} parameter (then nothing is added); the zone of the workflow's schedules
   * when they all name the same one ({@code scheduleZones}, read only when needed); otherwise
   * nothing is added and the global parameter or UTC applies.
   */
  public static Map<String, String> withZone(
      Map<String, String> params,
      Workflow workflow,
      String originZone,
      java.util.function.Supplier<List<String>> scheduleZones) {
    if (params.containsKey(DateMacros.TIMEZONE)) {
      return params;
    }
    String zone = originZone;
    if (zone == null && !workflow.parameters().containsKey(DateMacros.TIMEZONE)) {
      List<String> zones = scheduleZones.get().stream().distinct().toList();
      zone = zones.size() == 1 ? zones.get(0) : null;
    }
    if (zone == null) {
      return params;
    }
    Map<String, String> out = new LinkedHashMap<>(params);
    out.put(DateMacros.TIMEZONE, zone);
    return out;
  }

  /** The zone a run's macros are read in when it starts a child run, or null for the default. */
  public static String zoneOf(RunRow run, Workflow workflow) {
    String zone = Json.stringMap(run.params).get(DateMacros.TIMEZONE);
    return zone != null ? zone : workflow.parameters().get(DateMacros.TIMEZONE);
  }

  /** A new run; RUNNING starts at once, CREATED waits for admission. */
  public static RunRow newRun(
      FlowRow flow,
      Map<String, String> params,
      long logicalDate,
      long now,
      RunState state,
      String triggeredBy) {
    RunRow run = new RunRow();
    run.workspace = flow.workspace;
    run.triggeredBy = triggeredBy;
    run.flowId = flow.id;
    run.flowName = flow.name;
    run.flowVersion = flow.version;
    run.state = state;
    run.logicalDate = logicalDate;
    run.params = Json.write(params);
    run.createdAt = now;
    run.startedAt = state == RunState.RUNNING ? now : null;
    return run;
  }

  /**
   * Inserts the runs (ids are filled in) and the attempts of those that are RUNNING. A run of a
   * workflow with max active runs, or of a workspace with the max active runs cap, is held CREATED
   * for admission instead.
   */
  public static void insert(StoreMapper m, Definitions definitions, List<RunRow> runs, long now) {
    insert(m, definitions, runs, now, Map.of());
  }

  /**
   * {@link #insert(StoreMapper, Definitions, List, long)} with the caps of workspaces the caller
   * read already in this transaction, so they are not read twice.
   */
  public static void insert(
      StoreMapper m,
      Definitions definitions,
      List<RunRow> runs,
      long now,
      Map<String, WorkspaceCaps> known) {
    Map<String, Boolean> capped = new HashMap<>();
    known.forEach((ws, caps) -> capped.put(ws, caps.maxActiveRuns().isPresent()));
    for (RunRow run : runs) {
      Workflow w = definitions.get(run.flowId).workflow;
      run.priority = w.priority();
      boolean held =
          w.maxActiveRuns().isPresent()
              || capped.computeIfAbsent(
                  run.workspace, ws -> Caps.of(m, ws).maxActiveRuns().isPresent());
      if (held && RunState.RUNNING == run.state) {
        run.state = RunState.CREATED; // admission starts it when the workflow has room
        run.startedAt = null;
      }
    }
    for (int i = 0; i < runs.size(); i += INSERT_CHUNK) {
      m.insertRuns(runs.subList(i, Math.min(runs.size(), i + INSERT_CHUNK)));
    }
    start(m, definitions, runs.stream().filter(r -> RunState.RUNNING == r.state).toList(), now);
  }

  /**
   * Inserts the first attempt of every task of the runs: roots READY, the rest WAITING with none of
   * their incoming edges resolved.
   */
  public static void start(StoreMapper m, Definitions definitions, List<RunRow> runs, long now) {
    List<AttemptRow> rows = new ArrayList<>();
    runs.forEach(
        run -> {
          Dag dag = definitions.get(run.flowId);
          for (TaskDefinition t : dag.tasks.values()) {
            AttemptRow row =
                AttemptRow.of(
                    run.id,
                    run.flowId,
                    t,
                    1,
                    TriggerRules.firstState(dag.graph, t.id()),
                    (long) run.priority + t.priority(),
                    now,
                    now);
            if (TaskState.WAITING == row.state) {
              row.openEdges = dag.graph.incoming(t.id()).size(); // no edge resolved yet
            }
            rows.add(row);
          }
        });
    for (int i = 0; i < rows.size(); i += INSERT_CHUNK) {
      m.insertAttempts(rows.subList(i, Math.min(rows.size(), i + INSERT_CHUNK)));
    }
  }
}

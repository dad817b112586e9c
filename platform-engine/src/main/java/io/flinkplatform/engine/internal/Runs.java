package io.flinkplatform.engine.internal;

import io.flinkplatform.engine.dag.TaskDefinition;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.internal.Rows.AttemptRow;
import io.flinkplatform.engine.internal.Rows.FlowRow;
import io.flinkplatform.engine.internal.Rows.RunRow;
import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.run.TaskState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Creates runs and starts them (their first attempts), inside the caller's transaction. */
final class Runs {
  static final int INSERT_CHUNK = 1000;

  private Runs() {}

  /** A new run; RUNNING starts at once, CREATED waits for admission. */
  static RunRow newRun(
      FlowRow flow, Map<String, String> params, long logicalDate, long now, RunState state) {
    RunRow run = new RunRow();
    run.flowId = flow.id;
    run.flowName = flow.name;
    run.flowVersion = flow.version;
    run.state = state.name();
    run.logicalDate = logicalDate;
    run.params = Json.write(params);
    run.createdAt = now;
    run.startedAt = state == RunState.RUNNING ? now : null;
    return run;
  }

  /** Inserts the runs (ids are filled in) and the attempts of those that are RUNNING. */
  static void insert(StoreMapper m, Definitions definitions, List<RunRow> runs, long now) {
    for (RunRow run : runs) {
      Workflow w = definitions.get(run.flowId).workflow;
      run.priority = w.priority();
      if (w.maxActiveRuns().isPresent() && RunState.RUNNING.name().equals(run.state)) {
        run.state = RunState.CREATED.name(); // admission starts it when the workflow has room
        run.startedAt = null;
      }
    }
    for (int i = 0; i < runs.size(); i += INSERT_CHUNK) {
      m.insertRuns(runs.subList(i, Math.min(runs.size(), i + INSERT_CHUNK)));
    }
    start(
        m,
        definitions,
        runs.stream().filter(r -> RunState.RUNNING.name().equals(r.state)).toList(),
        now);
  }

  /** Inserts the first attempt of every task of the runs: roots READY, the rest WAITING. */
  static void start(StoreMapper m, Definitions definitions, List<RunRow> runs, long now) {
    List<AttemptRow> rows = new ArrayList<>();
    runs.forEach(
        run -> {
          Dag dag = definitions.get(run.flowId);
          for (TaskDefinition t : dag.tasks.values()) {
            boolean root = dag.incoming.get(t.id()).isEmpty();
            rows.add(
                AttemptRow.of(
                    run.id,
                    run.flowId,
                    t,
                    1,
                    (root ? TaskState.READY : TaskState.WAITING).name(),
                    (long) run.priority + t.priority(),
                    now,
                    now));
          }
        });
    for (int i = 0; i < rows.size(); i += INSERT_CHUNK) {
      m.insertAttempts(rows.subList(i, Math.min(rows.size(), i + INSERT_CHUNK)));
    }
  }
}

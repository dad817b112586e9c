package io.flinkplatform.engine.internal.store;

import io.flinkplatform.engine.dag.RetryPolicy;
import io.flinkplatform.engine.dag.TaskDefinition;
import io.flinkplatform.engine.dag.TriggerRule;
import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.run.TaskState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The rows the store's tests start from: a workflow version {@code w} in the workspace {@code
 * default}, running runs of it, and first attempts of no-op tasks.
 */
public final class StoreRows {
  private StoreRows() {}

  /** Inserts the workflow version; returns its id. */
  public static long flow(Store store) {
    FlowRow f = new FlowRow();
    f.workspace = "default";
    f.createdBy = "system";
    f.name = "w";
    f.version = 1;
    f.description = "";
    f.definition = "{}";
    f.createdAt = 1;
    store.run("insert flow", m -> m.insertFlow(f));
    return f.id;
  }

  /** Inserts {@code n} RUNNING runs of {@code flowId}; returns their ids in order. */
  public static List<Long> runs(Store store, long flowId, int n) {
    List<RunRow> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      RunRow r = new RunRow();
      r.workspace = "default";
      r.triggeredBy = "system";
      r.flowId = flowId;
      r.flowName = "w";
      r.flowVersion = 1;
      r.state = RunState.RUNNING;
      r.params = "{}";
      r.createdAt = 1;
      rows.add(r);
    }
    store.run("insert runs", m -> m.insertRuns(rows));
    return rows.stream().map(r -> r.id).toList();
  }

  /**
   * The first attempt of the no-op task {@code taskId} of {@code runId}, with the task priority
   * {@code taskPriority} and the attempt's own {@code priority} (the sum the platform would store).
   */
  public static AttemptRow attempt(
      long runId,
      long flowId,
      String taskId,
      int taskPriority,
      long priority,
      TaskState state,
      long readyAt) {
    return AttemptRow.of(
        runId,
        flowId,
        new TaskDefinition(
            taskId,
            "noop",
            Map.of(),
            TriggerRule.ALL_MATCHED,
            RetryPolicy.NONE,
            Optional.empty(),
            taskPriority,
            Map.of()),
        1,
        state,
        priority,
        readyAt,
        1);
  }

  /**
   * Inserts {@code rows}, attempts of {@code runId}; returns their ids as the run's attempts are
   * read (by task id).
   */
  public static List<Long> insert(Store store, long runId, List<AttemptRow> rows) {
    Set<String> tasks = rows.stream().map(r -> r.taskId).collect(Collectors.toSet());
    store.run("insert attempts", m -> m.insertAttempts(rows));
    return store.tx("ids", m -> m.selectStatesOfRuns(List.of(runId), null)).stream()
        .filter(r -> tasks.contains(r.taskId))
        .map(r -> r.id)
        .toList();
  }
}

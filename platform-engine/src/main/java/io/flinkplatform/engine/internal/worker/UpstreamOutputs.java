package io.flinkplatform.engine.internal.worker;

import io.flinkplatform.engine.internal.claim.Claim;
import io.flinkplatform.engine.internal.common.Json;
import io.flinkplatform.engine.internal.definition.Dag;
import io.flinkplatform.engine.internal.progress.AttemptRows;
import io.flinkplatform.engine.internal.store.Store;
import io.flinkplatform.engine.run.TaskState;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The outputs a task sees of its upstream tasks: those of each upstream task whose latest attempt
 * in the run succeeded, by task id. One read, made when the task first asks for them.
 */
final class UpstreamOutputs {
  private UpstreamOutputs() {}

  static Map<String, Map<String, String>> read(Store store, Claim claim, Dag dag) {
    long runId = claim.run().id;
    String taskId = claim.attempt().taskId;
    List<String> upstream =
        dag.graph.incoming(taskId).stream().map(e -> e.from()).distinct().toList();
    return upstream.isEmpty()
        ? Map.of()
        // the latest attempt of each upstream task counts (a rerun adds attempts)
        : AttemptRows.latest(
                store.tx(
                    "read upstream outputs of " + claim.describe(),
                    m -> m.selectTaskStates(runId, upstream)))
            .values()
            .stream()
            .filter(r -> TaskState.SUCCESS == r.state)
            .collect(Collectors.toMap(r -> r.taskId, r -> Json.stringMap(r.outputs)));
  }
}

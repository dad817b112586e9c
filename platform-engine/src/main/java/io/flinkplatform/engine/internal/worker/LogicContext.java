package io.flinkplatform.engine.internal.worker;

import com.google.common.base.Suppliers;
import io.flinkplatform.engine.dag.Edge;
import io.flinkplatform.engine.internal.claim.Claim;
import io.flinkplatform.engine.internal.definition.Dag;
import io.flinkplatform.engine.internal.model.EdgeState;
import io.flinkplatform.engine.internal.model.TriggerRules;
import io.flinkplatform.engine.internal.progress.AttemptRows;
import io.flinkplatform.engine.internal.store.AttemptRow;
import io.flinkplatform.engine.internal.store.Store;
import io.flinkplatform.spi.PlatformAccess;
import io.flinkplatform.spi.UpstreamEdge;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The parts of a {@link io.flinkplatform.spi.TaskContext} that logic tasks use: the upstream edges
 * with their states and whether each fired, as the run model decides it (read on first use), the
 * downstream task ids, and the platform access.
 */
public final class LogicContext {
  private final Supplier<List<UpstreamEdge>> upstream;
  private final List<String> downstream;
  private final PlatformAccess platform;

  LogicContext(Store store, Claim claim, Dag dag, PlatformAccess platform) {
    String taskId = claim.attempt().taskId;
    this.upstream = Suppliers.memoize(() -> read(store, claim, dag, taskId));
    this.downstream = dag.graph.downstream(taskId);
    this.platform = platform;
  }

  /** The incoming edges as the run model sees them from the upstream tasks' latest attempts. */
  private static List<UpstreamEdge> read(Store store, Claim claim, Dag dag, String taskId) {
    List<Edge> in = dag.graph.incoming(taskId);
    if (in.isEmpty()) {
      return List.of();
    }
    long runId = claim.run().id;
    List<String> from = in.stream().map(Edge::from).distinct().toList();
    Map<String, AttemptRow> latest =
        AttemptRows.latest(
            store.tx(
                "read upstream states of " + claim.describe(),
                m -> m.selectTaskStates(runId, from)));
    List<UpstreamEdge> out = new ArrayList<>(in.size());
    for (EdgeState e :
        TriggerRules.edges(
            dag.graph,
            taskId,
            t -> latest.containsKey(t) ? AttemptRows.toModel(latest.get(t)) : null)) {
      out.add(
          new UpstreamEdge(e.edge().from(), e.edge().on().name(), e.upstream().name(), e.fired()));
    }
    return out;
  }

  List<UpstreamEdge> upstream() {
    return upstream.get();
  }

  List<String> downstream() {
    return downstream;
  }

  PlatformAccess platform() {
    if (platform == null) {
      throw new UnsupportedOperationException("this task context offers no platform access");
    }
    return platform;
  }
}

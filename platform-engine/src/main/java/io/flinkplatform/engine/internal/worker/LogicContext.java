package io.flinkplatform.engine.internal.worker;

import com.google.common.base.Suppliers;
import io.flinkplatform.engine.dag.Edge;
import io.flinkplatform.engine.internal.common.Json;
import io.flinkplatform.engine.internal.definition.Dag;
import io.flinkplatform.engine.internal.progress.Branches;
import io.flinkplatform.engine.internal.store.Rows.AttemptRow;
import io.flinkplatform.engine.internal.store.Store;
import io.flinkplatform.engine.run.TaskState;
import io.flinkplatform.spi.PlatformAccess;
import io.flinkplatform.spi.UpstreamEdge;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The parts of a {@link io.flinkplatform.spi.TaskContext} that logic tasks use: the upstream edges
 * with their states (read on first use), the downstream task ids, and the platform access.
 */
public final class LogicContext {
  private final Supplier<List<UpstreamEdge>> upstream;
  private final List<String> downstream;
  private final PlatformAccess platform;

  LogicContext(Store store, Claim claim, Dag dag, PlatformAccess platform) {
    String taskId = claim.attempt().taskId;
    List<Edge> in = dag.incoming.get(taskId);
    this.upstream = Suppliers.memoize(() -> read(store, claim, in));
    this.downstream = dag.outgoing.get(taskId).stream().map(Edge::to).distinct().toList();
    this.platform = platform;
  }

  private static List<UpstreamEdge> read(Store store, Claim claim, List<Edge> in) {
    if (in.isEmpty()) {
      return List.of();
    }
    long runId = claim.run().id;
    List<String> from = in.stream().map(Edge::from).distinct().toList();
    Map<String, AttemptRow> latest = new HashMap<>();
    store
        .tx("read upstream states of " + claim.describe(), m -> m.selectTaskStates(runId, from))
        .forEach(a -> latest.merge(a.taskId, a, (x, y) -> x.attempt >= y.attempt ? x : y));
    return in.stream()
        .map(
            e -> {
              AttemptRow a = latest.get(e.from());
              TaskState s = a == null ? TaskState.WAITING : TaskState.valueOf(a.state);
              boolean fired =
                  Branches.fires(
                      e,
                      s,
                      s == TaskState.SUCCESS && a != null ? Json.stringSet(a.branches) : null);
              return new UpstreamEdge(e.from(), e.on().name(), s.name(), fired);
            })
        .toList();
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

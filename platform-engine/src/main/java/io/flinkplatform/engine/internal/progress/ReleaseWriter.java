package io.flinkplatform.engine.internal.progress;

import io.flinkplatform.engine.internal.claim.Claim;
import io.flinkplatform.engine.internal.definition.Dag;
import io.flinkplatform.engine.internal.definition.Definitions;
import io.flinkplatform.engine.internal.definition.UnreadableDefinitionException;
import io.flinkplatform.engine.internal.model.RunModel;
import io.flinkplatform.engine.internal.progress.DownstreamResolver.Step;
import io.flinkplatform.engine.internal.store.AttemptRow;
import io.flinkplatform.engine.internal.store.RunRow;
import io.flinkplatform.engine.internal.store.StoreMapper;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Records, in the caller's transaction, that running attempts released the tasks behind their
 * RUNNING edges (their external work is up and may be depended on), and has those tasks decided.
 * The attempts stay RUNNING, and so do their runs. A claim whose epoch no longer holds changes
 * nothing, and neither does a release the run model refuses (an attempt not running or released
 * already, a run not RUNNING, a version that can no longer be read).
 */
final class ReleaseWriter {
  private final Definitions definitions;
  private final Clock clock;
  private final DownstreamResolver downstream;

  ReleaseWriter(Definitions definitions, Clock clock, DownstreamResolver downstream) {
    this.definitions = definitions;
    this.clock = clock;
    this.downstream = downstream;
  }

  void release(StoreMapper m, List<Claim> claims, Progress.Changes c) {
    long now = clock.millis();
    Map<Long, RunRow> runs = Progress.lockRuns(m, claims.stream().map(cl -> cl.run().id).toList());
    Map<Long, AttemptRow> current = new HashMap<>();
    m.lockAttempts(claims.stream().map(Claim::id).toList()).forEach(a -> current.put(a.id, a));
    Map<Long, RunModel> models = new HashMap<>();
    List<Step> level = new ArrayList<>();
    List<Long> released = new ArrayList<>();
    for (Claim cl : claims) {
      AttemptRow a = current.get(cl.id());
      RunRow run = runs.get(cl.run().id);
      if (a == null || a.epoch != cl.epoch() || run == null) {
        continue;
      }
      RunModel model = models.get(run.id);
      if (model == null) {
        Dag dag = readable(run.flowId);
        if (dag == null) {
          continue;
        }
        model = new RunModel(dag.graph, run.state);
        models.put(run.id, model);
      }
      if (model.release(a.taskId, AttemptRows.toModel(a))) {
        released.add(a.id);
        level.add(new Step(run.id, a.taskId));
      }
    }
    if (released.isEmpty()) {
      return;
    }
    m.markReleased(released, now);
    downstream.advance(m, runs, models, level, now, c);
  }

  /** The version, or null when it cannot be read (nothing is released from it). */
  private Dag readable(long flowId) {
    try {
      return definitions.get(flowId);
    } catch (UnreadableDefinitionException e) {
      return null;
    }
  }
}

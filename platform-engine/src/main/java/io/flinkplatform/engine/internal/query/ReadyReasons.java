package io.flinkplatform.engine.internal.query;

import io.flinkplatform.engine.dag.TaskDefinition;
import io.flinkplatform.engine.internal.store.AttemptRow;
import io.flinkplatform.engine.internal.store.RunRow;
import io.flinkplatform.engine.internal.store.StoreMapper;
import io.flinkplatform.engine.run.Explanation.Code;
import io.flinkplatform.engine.run.Explanation.Reason;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Why a READY attempt is not claimed yet: its retry backoff, no instance to run it, full limits, or
 * else the ready tasks claimed before it by priority.
 */
final class ReadyReasons {
  private final StoreMapper m;
  private final LiveInstances instances;
  private final LimitReasons limits;
  private final long now;

  ReadyReasons(StoreMapper m, LiveInstances instances, LimitReasons limits, long now) {
    this.m = m;
    this.instances = instances;
    this.limits = limits;
    this.now = now;
  }

  List<Reason> of(AttemptRow a, RunRow run, TaskDefinition t) {
    List<Reason> reasons = new ArrayList<>();
    if (a.readyAt > now) {
      reasons.add(
          new Reason(
              Code.RETRY_BACKOFF,
              "attempt " + a.attempt + " not before " + Instant.ofEpochMilli(a.readyAt)));
    }
    instances.missing(a).ifPresent(reasons::add);
    reasons.addAll(limits.full(a, run));
    if (reasons.isEmpty()) {
      int ahead = m.countReadyAhead(a.negPriority, a.id, now, instances.taskTypes());
      reasons.add(
          new Reason(
              Code.PRIORITY,
              ahead
                  + " ready task(s) are claimed before it (priority "
                  + -a.negPriority
                  + (a.negPriority == -t.priority() - run.priority ? "" : ", aged")
                  + ")"));
    }
    return reasons;
  }
}

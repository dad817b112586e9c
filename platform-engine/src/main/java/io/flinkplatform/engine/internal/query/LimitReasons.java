package io.flinkplatform.engine.internal.query;

import io.flinkplatform.engine.internal.store.AttemptRow;
import io.flinkplatform.engine.internal.store.Limits;
import io.flinkplatform.engine.internal.store.RunRow;
import io.flinkplatform.engine.internal.store.StoreMapper;
import io.flinkplatform.engine.run.Explanation.Code;
import io.flinkplatform.engine.run.Explanation.Reason;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The concurrency limits as explain sees them: which of the limits that apply to a READY attempt
 * (pool, task type, the workflow's parallel tasks) have no free slot.
 */
final class LimitReasons {
  private final Limits limits;
  private final Map<Limits.Key, Integer> used;

  private LimitReasons(Limits limits, Map<Limits.Key, Integer> used) {
    this.limits = limits;
    this.used = used;
  }

  static LimitReasons read(StoreMapper m) {
    return new LimitReasons(Limits.read(m), Limits.usage(m.selectRunningUsage()));
  }

  /** One reason per full limit that applies to {@code a} of {@code run}. */
  List<Reason> full(AttemptRow a, RunRow run) {
    List<Reason> reasons = new ArrayList<>();
    for (Limits.Key key : limits.keys(a, run)) {
      String name = key.name();
      int slots = limits.slots(key);
      int n = used.getOrDefault(key, 0);
      if (n >= slots) {
        Code code =
            switch (key.kind()) {
              case POOL -> Code.POOL_FULL;
              case TASK_TYPE -> Code.TASK_TYPE_LIMIT;
              default -> Code.MAX_PARALLEL_TASKS;
            };
        reasons.add(new Reason(code, "'" + name + "' uses " + n + " of " + slots + " slot(s)"));
      }
    }
    return reasons;
  }
}

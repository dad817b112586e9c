package io.flinkplatform.engine.internal.query;

import io.flinkplatform.engine.internal.access.Caps;
import io.flinkplatform.engine.internal.store.BackfillRow;
import io.flinkplatform.engine.internal.store.Limits;
import io.flinkplatform.engine.internal.store.PoolRow;
import io.flinkplatform.engine.internal.store.RunRow;
import io.flinkplatform.engine.internal.store.StoreMapper;
import io.flinkplatform.engine.run.Explanation.Code;
import io.flinkplatform.engine.run.Explanation.Reason;
import io.flinkplatform.engine.run.Limit;
import io.flinkplatform.engine.schedule.Backfill;
import java.util.Optional;

/**
 * Why a run is still CREATED: its workflow's run limit, its backfill's parallelism, or its
 * schedule's pause or overlap policy holds it back from admission.
 */
final class HeldReasons {
  private HeldReasons() {}

  static Reason of(StoreMapper m, RunRow run) {
    PoolRow runs =
        m.selectPools().stream()
            .filter(
                p ->
                    p.kind == Limit.Kind.RUNS
                        && p.name.equals(Limits.scoped(run.workspace, run.flowName)))
            .findFirst()
            .orElse(null);
    int active = m.countActiveRunsOfFlow(run.workspace, run.flowName);
    if (runs != null && active >= runs.slots) {
      return new Reason(
          Code.MAX_ACTIVE_RUNS,
          "workflow '" + run.flowName + "' has " + active + " of " + runs.slots + " runs active");
    }
    Optional<Integer> cap = Caps.of(m, run.workspace).maxActiveRuns();
    if (cap.isPresent()) {
      int inWorkspace = m.countActiveRunsOfWorkspace(run.workspace);
      if (inWorkspace >= cap.get()) {
        return new Reason(
            Code.MAX_ACTIVE_RUNS,
            "workspace '"
                + run.workspace
                + "' has "
                + inWorkspace
                + " of "
                + cap.get()
                + " runs active (its max active runs cap)");
      }
    }
    if (run.backfillId != null) {
      BackfillRow b = m.selectBackfill(run.backfillId, false);
      if (b == null || b.state != Backfill.State.RUNNING) {
        return new Reason(Code.SCHEDULE_PAUSED, "backfill " + run.backfillId + " is not running");
      }
      return new Reason(
          Code.BACKFILL_PARALLELISM,
          "backfill " + run.backfillId + " runs " + b.parallelism + " date(s) at a time");
    }
    if (run.scheduleId != null) {
      if (Boolean.TRUE.equals(m.selectSchedulePaused(run.scheduleId))) {
        return new Reason(Code.SCHEDULE_PAUSED, "its schedule is paused");
      }
      return new Reason(
          Code.SCHEDULE_OVERLAP,
          "earlier runs of its schedule are active (at most "
              + (run.maxActive == null ? 1 : run.maxActive)
              + " at once)");
    }
    return new Reason(Code.MAX_ACTIVE_RUNS, "waiting for admission");
  }
}

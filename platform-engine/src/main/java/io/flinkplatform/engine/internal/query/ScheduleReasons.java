package io.flinkplatform.engine.internal.query;

import io.flinkplatform.engine.NotFoundException;
import io.flinkplatform.engine.internal.store.ScheduleRow;
import io.flinkplatform.engine.internal.store.StoreMapper;
import io.flinkplatform.engine.run.Explanation.Code;
import io.flinkplatform.engine.run.Explanation.Reason;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Why a schedule is not starting runs: paused, out of fire times, quarantined, its last skip, or
 * its workflow not deployed.
 */
final class ScheduleReasons {
  private ScheduleReasons() {}

  /** The reasons for schedule {@code name}; empty if nothing holds it. */
  static List<Reason> of(StoreMapper m, String workspace, String name) {
    ScheduleRow s = m.selectScheduleExplain(workspace, name);
    if (s == null) {
      throw new NotFoundException("schedule '" + name + "' does not exist");
    }
    List<Reason> out = new ArrayList<>();
    if (s.paused) {
      out.add(new Reason(Code.SCHEDULE_PAUSED, "schedule '" + name + "' is paused"));
    }
    if (s.nextFireAt == null) {
      out.add(new Reason(Code.SCHEDULE_ENDED, "schedule '" + name + "' has no fire time left"));
    }
    if (s.quarantine != null) {
      out.add(
          new Reason(
              Code.SCHEDULE_QUARANTINED,
              "schedule '"
                  + name
                  + "' could not be fired: "
                  + s.quarantine
                  + (s.quarantinedUntil == null
                      ? ""
                      : "; tried again from " + Instant.ofEpochMilli(s.quarantinedUntil))
                  + " (saving it again clears this)"));
    }
    if (s.lastSkip != null) {
      out.add(new Reason(Code.MISFIRE, s.lastSkip));
    }
    if (m.selectFlow(workspace, s.flowName, null) == null) {
      out.add(
          new Reason(Code.WORKFLOW_NOT_DEPLOYED, "workflow '" + s.flowName + "' is not deployed"));
    }
    return out;
  }
}

package io.flinkplatform.engine.internal.alert;

import io.flinkplatform.engine.internal.store.BackfillRow;
import io.flinkplatform.engine.internal.store.StateCount;
import io.flinkplatform.engine.internal.store.StoreMapper;
import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.schedule.Backfill;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Whether the run that just ended was the last open run of its backfill. A backfill's end is not
 * stored (its state is read from its runs), so it is decided where its runs end: its row is locked
 * first, so that of two transactions ending its last two runs, the second waits for the first and
 * then (at READ COMMITTED) counts both runs ended; exactly one of them sees none open.
 */
final class BackfillEnd {
  private BackfillEnd() {}

  /** The BACKFILL_FINISHED occurrence if backfill {@code id} has no open run left, else null. */
  static Occurrence of(StoreMapper m, long id) {
    BackfillRow b = m.selectBackfill(id, true);
    if (b == null) {
      return null;
    }
    int total = 0;
    int succeeded = 0;
    Map<String, String> counts = new LinkedHashMap<>();
    for (StateCount c : m.countRunsOfBackfill(id)) {
      if (!c.state.isFinal()) {
        return null;
      }
      total += c.count;
      if (c.state == RunState.SUCCESS) {
        succeeded = c.count;
      }
      counts.put(c.state.name(), Integer.toString(c.count));
    }
    Backfill.State state;
    if (b.state == Backfill.State.CANCELLED) {
      state = Backfill.State.CANCELLED;
    } else if (total < b.runs) {
      return null; // runs not created yet
    } else {
      state = succeeded == b.runs ? Backfill.State.SUCCESS : Backfill.State.FAILED;
    }
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("backfill", Long.toString(id));
    facts.put("workflow", b.flowName);
    facts.put("workspace", b.workspace);
    facts.put("state", state.name());
    facts.put("runs", Integer.toString(b.runs));
    facts.put("succeeded", Integer.toString(succeeded));
    facts.put("actor", b.createdBy);
    facts.put("firstDate", Instant.ofEpochMilli(b.firstDate).toString());
    facts.put("lastDate", Instant.ofEpochMilli(b.lastDate).toString());
    facts.put(
        "message", succeeded + " of " + b.runs + " run(s) succeeded; runs by state " + counts);
    return new Occurrence("backfill:" + id, b.flowName, null, null, facts);
  }
}

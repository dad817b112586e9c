package io.flinkplatform.engine.internal.schedule;

import io.flinkplatform.engine.event.PlatformEvent;
import io.flinkplatform.engine.internal.store.FlowRow;
import io.flinkplatform.engine.internal.store.RunRow;
import io.flinkplatform.engine.internal.store.ScheduleMove;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What one firing transaction decided, acted upon after it commits: the events to emit, the runs to
 * kill (overlap policy CANCEL_PREVIOUS), the new runs and the schedules' moves, plus what the batch
 * read once (workflows, open runs per schedule).
 */
final class Fired {
  final List<PlatformEvent> events = new ArrayList<>();
  final List<Long> kills = new ArrayList<>();
  final Map<String, FlowRow> flows = new HashMap<>();
  final Map<Long, List<RunRow>> open = new HashMap<>();
  final List<RunRow> runs = new ArrayList<>();
  final List<ScheduleMove> moves = new ArrayList<>();
  int schedules;
  boolean startedRuns;

  /** Whether the batch wrote alerts (misfires, skips). */
  boolean alerted;

  /** The time the batch fired at: the earlier of this instance's and the database's clock. */
  long now;

  /** How much of each list there is, to undo what one schedule of the batch added. */
  record Mark(int events, int runs, int moves, int kills) {}

  Mark mark() {
    return new Mark(events.size(), runs.size(), moves.size(), kills.size());
  }

  void undoTo(Mark m) {
    events.subList(m.events(), events.size()).clear();
    runs.subList(m.runs(), runs.size()).clear();
    moves.subList(m.moves(), moves.size()).clear();
    kills.subList(m.kills(), kills.size()).clear();
  }
}

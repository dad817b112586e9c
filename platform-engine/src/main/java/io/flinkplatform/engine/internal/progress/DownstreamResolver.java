package io.flinkplatform.engine.internal.progress;

import io.flinkplatform.engine.internal.model.Decision;
import io.flinkplatform.engine.internal.model.RunModel;
import io.flinkplatform.engine.internal.store.AttemptRow;
import io.flinkplatform.engine.internal.store.StoreMapper;
import io.flinkplatform.engine.run.TaskState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides the tasks downstream of ended or released ones, level by level as skips spread, in the
 * caller's transaction: each level loads only the downstream tasks and their upstream tasks that
 * the run models do not know yet (one statement for all runs), lets the models decide, and writes
 * the decisions together at the end.
 */
final class DownstreamResolver {

  /** A task whose downstream tasks are to be decided. */
  record Step(long runId, String taskId) {}

  void advance(
      StoreMapper m, Map<Long, RunModel> models, List<Step> level, long now, Progress.Changes c) {
    List<AttemptRow> resolutions = new ArrayList<>();
    while (!level.isEmpty()) {
      load(m, models, level);
      List<Step> next = new ArrayList<>();
      for (Step s : level) {
        for (Decision d : models.get(s.runId).decideDownstream(s.taskId)) {
          TaskState to = d.state();
          AttemptRow w = new AttemptRow();
          w.id = d.attempt().id();
          w.state = to;
          w.message = d.reason();
          w.endedAt = to == TaskState.READY ? null : now;
          resolutions.add(w);
          c.events.add(
              Progress.taskEvent(now, s.runId, d.task(), d.attempt().number(), to, d.reason()));
          if (to == TaskState.READY) {
            c.readyAt(now);
          } else {
            next.add(new Step(s.runId, d.task()));
          }
        }
      }
      level = next;
    }
    Progress.resolveWaiting(m, resolutions, now);
  }

  /** Reads the latest attempts the models need to decide downstream of {@code level}. */
  private static void load(StoreMapper m, Map<Long, RunModel> models, List<Step> level) {
    Map<Long, Set<String>> need = new HashMap<>();
    for (Step s : level) {
      models.get(s.runId).missing(s.taskId, need.computeIfAbsent(s.runId, k -> new HashSet<>()));
    }
    need.values().removeIf(Set::isEmpty);
    if (need.isEmpty()) {
      return;
    }
    Set<String> needed = new HashSet<>();
    need.values().forEach(needed::addAll);
    List<String> tasks = new ArrayList<>(needed);
    for (int i = 0; i < tasks.size(); i += Progress.CHUNK) {
      for (AttemptRow r :
          m.selectStatesOfRuns(
              need.keySet(), tasks.subList(i, Math.min(tasks.size(), i + Progress.CHUNK)))) {
        if (need.get(r.flowRunId).contains(r.taskId)) {
          models.get(r.flowRunId).load(r.taskId, AttemptRows.toModel(r));
        }
      }
    }
  }
}

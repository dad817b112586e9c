package io.flinkplatform.engine.internal.progress;

import io.flinkplatform.engine.internal.model.Arrivals;
import io.flinkplatform.engine.internal.model.Attempt;
import io.flinkplatform.engine.internal.model.Decision;
import io.flinkplatform.engine.internal.model.LatestAttempts;
import io.flinkplatform.engine.internal.model.RunModel;
import io.flinkplatform.engine.internal.store.AttemptRow;
import io.flinkplatform.engine.internal.store.RunRow;
import io.flinkplatform.engine.internal.store.StoreMapper;
import io.flinkplatform.engine.run.TaskState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides the tasks downstream of ended or released ones, level by level as skips spread, in the
 * caller's transaction. Each level groups the edges that resolved by the waiting task they lead to,
 * and reads only those tasks' latest attempts (one statement for all runs). A waiting attempt keeps
 * a fan-in counter, its unresolved edges: while edges remain and none of those that arrived can
 * decide its trigger rule alone, the counter goes down and nothing else is read, so an outcome
 * costs the same whatever the fan-in of the task behind it. Otherwise, and when the counter is
 * unknown (null), the task's upstream tasks are loaded and the run model decides it with the full
 * rule; one that still waits gets its exact counter. The run rows are locked by the caller, so the
 * counters of one run never change concurrently. Decisions and counters are written together at the
 * end.
 */
final class DownstreamResolver {

  /** A task whose downstream tasks are to be decided. */
  record Step(long runId, String taskId) {}

  /** A task of a run, reached by resolved edges. */
  private record Target(long runId, String taskId) {}

  /**
   * Decides what {@code level} resolved, and what that resolves in turn. Returns the runs it left
   * with a target READY or still WAITING: the attempts of a locked run that this transaction made
   * or found waiting, which no other transaction ends before it commits, so these runs go on.
   * {@code runs} are the locked rows of the runs of {@code models}.
   */
  Set<Long> advance(
      StoreMapper m,
      Map<Long, RunRow> runs,
      Map<Long, RunModel> models,
      List<Step> level,
      long now,
      Progress.Changes c) {
    Pass pass = new Pass(runs, models, now, c);
    while (!level.isEmpty()) {
      Map<Target, Arrivals> arrived = arrivals(models, level);
      readTargets(m, models, pass.open, arrived.keySet());
      List<Target> full = new ArrayList<>();
      arrived.forEach(
          (t, edges) -> {
            if (pass.countDown(t, edges)) {
              full.add(t);
            }
          });
      loadUpstream(m, models, full);
      level = pass.decide(full);
    }
    Progress.resolveWaiting(m, pass.resolutions, now);
    writeCounters(m, pass.counters);
    return pass.goingOn();
  }

  /** What one call of {@link #advance} decided and counted so far. */
  private static final class Pass {
    private final Map<Long, RunRow> runs;
    private final Map<Long, RunModel> models;
    private final long now;
    private final Progress.Changes changes;

    /** The counters read or changed in this transaction, by target (null: unknown). */
    final Map<Target, Integer> open = new HashMap<>();

    /** The counters to write, by attempt id. */
    final Map<Long, Integer> counters = new LinkedHashMap<>();

    final List<AttemptRow> resolutions = new ArrayList<>();

    /** The runs of the targets that, all levels decided, are READY or still WAITING. */
    Set<Long> goingOn() {
      Set<Long> runs = new HashSet<>();
      for (Target t : open.keySet()) {
        Attempt a = models.get(t.runId).latest(t.taskId);
        if (a != null && (a.state() == TaskState.WAITING || a.state() == TaskState.READY)) {
          runs.add(t.runId);
        }
      }
      return runs;
    }

    Pass(Map<Long, RunRow> runs, Map<Long, RunModel> models, long now, Progress.Changes changes) {
      this.runs = runs;
      this.models = models;
      this.now = now;
      this.changes = changes;
    }

    /**
     * Lowers the counter of a waiting target by the edges that arrived. Returns true when the
     * target is to be decided in full instead: its counter is unknown, none is left open, or an
     * arriving edge can decide its rule alone. A target that no longer waits needs neither.
     */
    boolean countDown(Target t, Arrivals edges) {
      RunModel model = models.get(t.runId);
      Attempt a = model.latest(t.taskId);
      if (a == null || a.state() != TaskState.WAITING) {
        return false;
      }
      Integer before = open.get(t);
      if (before == null) {
        return true;
      }
      int left = before - edges.edges();
      if (model.mayDecide(t.taskId, left, edges)) {
        return true;
      }
      open.put(t, left);
      counters.put(a.id(), left);
      return false;
    }

    /**
     * Decides {@code full} (their upstream tasks loaded) by the full rule; one that still waits
     * gets its exact counter. Returns the tasks decided not to run: their downstream is next.
     */
    List<Step> decide(List<Target> full) {
      // the exact counters before this level's decisions, which arrive as the next level
      Map<Target, Integer> exact = new HashMap<>();
      full.forEach(t -> exact.put(t, models.get(t.runId).openEdges(t.taskId)));
      List<Step> next = new ArrayList<>();
      for (Target t : full) {
        RunModel model = models.get(t.runId);
        Decision d = model.decide(t.taskId);
        if (d == null) {
          open.put(t, exact.get(t));
          counters.put(model.latest(t.taskId).id(), exact.get(t));
          continue;
        }
        counters.remove(d.attempt().id());
        TaskState to = d.state();
        resolutions.add(Progress.resolution(d, now));
        changes.events.add(
            Progress.taskEvent(
                now, runs.get(t.runId), d.task(), d.attempt().number(), to, d.reason()));
        if (to == TaskState.READY) {
          changes.readyAt(now);
        } else {
          next.add(new Step(t.runId, d.task()));
        }
      }
      return next;
    }
  }

  /** The edges {@code level} resolved, by the task they lead to; each task once per level. */
  private static Map<Target, Arrivals> arrivals(Map<Long, RunModel> models, List<Step> level) {
    Map<Target, Arrivals> out = new LinkedHashMap<>();
    for (Step s : level) {
      models
          .get(s.runId)
          .arrivals(s.taskId)
          .forEach((task, a) -> out.merge(new Target(s.runId, task), a, Arrivals::plus));
    }
    return out;
  }

  /**
   * Reads the latest attempts of the targets whose counters this transaction has not read yet into
   * the models, and their counters into {@code open}.
   */
  private static void readTargets(
      StoreMapper m, Map<Long, RunModel> models, Map<Target, Integer> open, Set<Target> targets) {
    Map<Long, Set<String>> need = new HashMap<>();
    for (Target t : targets) {
      if (!open.containsKey(t)) {
        need.computeIfAbsent(t.runId, k -> new HashSet<>()).add(t.taskId);
      }
    }
    Map<Target, AttemptRow> latest = new HashMap<>();
    for (AttemptRow r : read(m, need)) {
      models.get(r.flowRunId).load(r.taskId, AttemptRows.toModel(r));
      LatestAttempts.put(latest, new Target(r.flowRunId, r.taskId), r, row -> row.attempt);
    }
    latest.forEach((t, r) -> open.put(t, r.openEdges));
  }

  /** Loads the upstream tasks the models need to decide {@code full} in full. */
  private static void loadUpstream(StoreMapper m, Map<Long, RunModel> models, List<Target> full) {
    Map<Long, Set<String>> need = new HashMap<>();
    for (Target t : full) {
      models.get(t.runId).missingFor(t.taskId, need.computeIfAbsent(t.runId, k -> new HashSet<>()));
    }
    for (AttemptRow r : read(m, need)) {
      models.get(r.flowRunId).load(r.taskId, AttemptRows.toModel(r));
    }
  }

  /** The attempts of the tasks {@code need} names per run, {@link Progress#CHUNK} per statement. */
  private static List<AttemptRow> read(StoreMapper m, Map<Long, Set<String>> need) {
    need.values().removeIf(Set::isEmpty);
    List<AttemptRow> out = new ArrayList<>();
    if (need.isEmpty()) {
      return out;
    }
    Set<String> needed = new HashSet<>();
    need.values().forEach(needed::addAll);
    List<String> tasks = new ArrayList<>(needed);
    for (int i = 0; i < tasks.size(); i += Progress.CHUNK) {
      for (AttemptRow r :
          m.selectStatesOfRuns(
              need.keySet(), tasks.subList(i, Math.min(tasks.size(), i + Progress.CHUNK)))) {
        if (need.get(r.flowRunId).contains(r.taskId)) {
          out.add(r);
        }
      }
    }
    return out;
  }

  private static void writeCounters(StoreMapper m, Map<Long, Integer> counters) {
    List<AttemptRow> rows = new ArrayList<>();
    counters.forEach(
        (id, n) -> {
          AttemptRow r = new AttemptRow();
          r.id = id;
          r.openEdges = n;
          rows.add(r);
        });
    for (int i = 0; i < rows.size(); i += Progress.CHUNK) {
      m.setOpenEdges(rows.subList(i, Math.min(rows.size(), i + Progress.CHUNK)));
    }
  }
}

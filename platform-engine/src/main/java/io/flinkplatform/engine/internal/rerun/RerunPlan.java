package io.flinkplatform.engine.internal.rerun;

import io.flinkplatform.engine.event.PlatformEvent;
import io.flinkplatform.engine.event.PlatformEvent.RunStateChanged;
import io.flinkplatform.engine.internal.common.Json;
import io.flinkplatform.engine.internal.definition.Dag;
import io.flinkplatform.engine.internal.definition.Graphs;
import io.flinkplatform.engine.internal.progress.Advance;
import io.flinkplatform.engine.internal.progress.Progress;
import io.flinkplatform.engine.internal.store.Rows.AttemptRow;
import io.flinkplatform.engine.internal.store.Rows.RunRow;
import io.flinkplatform.engine.internal.store.StoreMapper;
import io.flinkplatform.engine.run.RerunResult;
import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.run.TaskState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The new attempts of one rerun or mark, decided in memory: renewed tasks start WAITING, then every
 * waiting task is decided by its trigger rule in topological order (READY, SKIPPED,
 * UPSTREAM_FAILED, or still WAITING), against the latest attempts of the tasks left alone. The
 * decision is {@link Advance#decide} with what {@link Progress} gives it too: the branches a switch
 * or condition chose and the RUNNING edges an attempt released, so a rerun or a mark never runs a
 * branch the run did not take, nor holds back a task a release had started.
 */
public final class RerunPlan {
  private final Dag dag;
  private final RunRow run;
  private final long now;
  private final Map<String, AttemptRow> latest;
  private final Map<String, TaskState> view = new HashMap<>();
  private final Map<String, Set<String>> chosen = new HashMap<>();
  private final Set<String> released = new HashSet<>();
  private final Map<String, AttemptRow> fresh = new LinkedHashMap<>();
  private final List<AttemptRow> resolved = new ArrayList<>();
  private final List<PlatformEvent> taskEvents = new ArrayList<>();

  RerunPlan(Dag dag, RunRow run, List<AttemptRow> attempts, long now) {
    this.dag = dag;
    this.run = run;
    this.now = now;
    this.latest = Reruns.latest(attempts);
    latest.forEach(
        (t, a) -> {
          view.put(t, TaskState.valueOf(a.state));
          if (TaskState.SUCCESS.name().equals(a.state) && a.branches != null) {
            chosen.put(t, Json.stringSet(a.branches));
          }
          if (a.releasedAt != null) {
            released.add(t);
          }
        });
  }

  /** The task gets a new attempt: what its old one chose or released no longer counts. */
  private void forget(String taskId) {
    chosen.remove(taskId);
    released.remove(taskId);
  }

  AttemptRow latest(String taskId) {
    return latest.get(taskId);
  }

  /** The task runs again: a new attempt, WAITING until decided. */
  void renew(String taskId) {
    fresh.put(taskId, next(taskId, TaskState.WAITING));
    view.put(taskId, TaskState.WAITING);
    forget(taskId);
  }

  /** The task is marked by hand: a new attempt that ended in {@code state}. */
  void mark(String taskId, TaskState state, String message) {
    AttemptRow row = next(taskId, state);
    row.message = message;
    row.endedAt = now;
    fresh.put(taskId, row);
    view.put(taskId, state);
    forget(taskId);
  }

  /** The task's unstarted attempt was ended by hand (already written). */
  void markedInPlace(String taskId, TaskState state, String message) {
    view.put(taskId, state);
    forget(taskId);
    taskEvents.add(
        Progress.taskEvent(now, run.id, taskId, latest.get(taskId).attempt, state, message));
  }

  private AttemptRow next(String taskId, TaskState state) {
    AttemptRow prev = latest.get(taskId);
    AttemptRow row =
        AttemptRow.of(
            run.id,
            run.flowId,
            dag.tasks.get(taskId),
            prev.attempt + 1,
            state.name(),
            (long) run.priority + dag.tasks.get(taskId).priority(),
            now,
            now);
    row.rerunBase = prev.attempt;
    return row;
  }

  /** Decides every waiting task, upstream first, so skips spread in one pass. */
  void decide() {
    for (String t : Graphs.topologicalOrder(dag)) {
      if (view.get(t) != TaskState.WAITING) {
        continue;
      }
      TaskState to;
      if (dag.incoming.get(t).isEmpty()) {
        to = TaskState.READY;
      } else {
        Advance.Decision d = Advance.decide(dag, t, view::get, chosen::get, released::contains);
        if (d == Advance.Decision.WAIT) {
          continue;
        }
        to = TaskState.valueOf(d.name());
      }
      view.put(t, to);
      String message = to == TaskState.READY ? null : Advance.unmetReason(dag, t, view::get);
      AttemptRow row = fresh.get(t);
      if (row == null) {
        row = new AttemptRow();
        row.id = latest.get(t).id;
        resolved.add(row);
      }
      row.state = to.name();
      row.message = message;
      row.endedAt = to.isFinal() ? now : null;
    }
  }

  boolean anyReady() {
    return view.containsValue(TaskState.READY);
  }

  /** Why the renewed tasks cannot run, for an error message. */
  String blockedReason() {
    StringBuilder sb = new StringBuilder();
    fresh.forEach(
        (t, row) -> {
          if (!TaskState.READY.name().equals(row.state)) {
            sb.append(sb.length() == 0 ? "" : "; ")
                .append("task '")
                .append(t)
                .append("' would be ")
                .append(row.state)
                .append(row.message == null ? "" : " (" + row.message + ")");
          }
        });
    return sb.toString();
  }

  /** Leaves out new attempts that would only repeat the outcome the task already has. */
  void dropUnchanged() {
    fresh
        .entrySet()
        .removeIf(
            e ->
                TaskState.valueOf(e.getValue().state).isFinal()
                    && e.getValue().message != null
                    && !e.getValue().message.startsWith("marked ")
                    && e.getValue().state.equals(latest.get(e.getKey()).state));
  }

  /** Writes the plan, opens the run again if it had ended, and closes it if nothing is left. */
  Reruns.Done apply(StoreMapper m, RunState from, String what, Progress progress) {
    Reruns.Done done = new Reruns.Done();
    Progress.Changes c = done.changes;
    List<AttemptRow> rows = new ArrayList<>(fresh.values());
    for (int i = 0; i < rows.size(); i += Progress.CHUNK) {
      m.insertRerunAttempts(rows.subList(i, Math.min(rows.size(), i + Progress.CHUNK)));
    }
    Progress.resolveWaiting(m, resolved, now);
    if (from.isFinal()) {
      if (m.reopenRun(run.id, from.name()) != 1) {
        throw new IllegalStateException("run " + run.id + " changed under its row lock");
      }
      run.state = RunState.RUNNING.name();
      c.events.add(
          new RunStateChanged(Instant.ofEpochMilli(now), run.id, run.flowName, RunState.RUNNING));
    }
    List<String> tasks = new ArrayList<>();
    for (String t : Graphs.topologicalOrder(dag)) {
      if (fresh.containsKey(t)) {
        tasks.add(t);
      }
    }
    c.events.add(Reruns.reopened(now, run, what, tasks));
    c.events.addAll(taskEvents);
    for (AttemptRow r : rows) {
      c.events.add(
          Progress.taskEvent(
              now, run.id, r.taskId, r.attempt, TaskState.valueOf(r.state), r.message));
    }
    Map<Long, String> taskOf = new HashMap<>();
    latest.values().forEach(a -> taskOf.put(a.id, a.taskId));
    for (AttemptRow r : resolved) {
      String t = taskOf.get(r.id);
      c.events.add(
          Progress.taskEvent(
              now, run.id, t, latest.get(t).attempt, TaskState.valueOf(r.state), r.message));
    }
    if (view.containsValue(TaskState.READY)) {
      c.readyAt(now);
    }
    progress.closeIfDone(m, List.of(run), now, c);
    done.result = new RerunResult(run.id, tasks, RunState.valueOf(run.state));
    return done;
  }
}

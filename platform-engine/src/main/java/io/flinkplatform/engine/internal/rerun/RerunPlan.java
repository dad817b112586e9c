package io.flinkplatform.engine.internal.rerun;

import io.flinkplatform.engine.event.PlatformEvent;
import io.flinkplatform.engine.event.PlatformEvent.RunStateChanged;
import io.flinkplatform.engine.internal.definition.Dag;
import io.flinkplatform.engine.internal.model.Attempt;
import io.flinkplatform.engine.internal.model.Decision;
import io.flinkplatform.engine.internal.model.RunModel;
import io.flinkplatform.engine.internal.progress.AttemptRows;
import io.flinkplatform.engine.internal.progress.Progress;
import io.flinkplatform.engine.internal.store.AttemptRow;
import io.flinkplatform.engine.internal.store.RunRow;
import io.flinkplatform.engine.internal.store.StoreMapper;
import io.flinkplatform.engine.run.RerunMode;
import io.flinkplatform.engine.run.RerunResult;
import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.run.TaskState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The new attempts of one rerun or mark, decided in memory by the run model over the whole run:
 * renewed tasks start WAITING, then every waiting task is decided by its trigger rule in
 * topological order (READY, SKIPPED, UPSTREAM_FAILED, or still WAITING), against the latest
 * attempts of the tasks left alone, with the same rules and inputs as a running run's progress: the
 * branches a switch or condition chose and the RUNNING edges an attempt released. This class turns
 * the model's attempts into rows and events, and writes them.
 */
public final class RerunPlan {
  private final Dag dag;
  private final RunRow run;
  private final long now;
  private final Map<String, AttemptRow> latest;
  private final RunModel model;
  private final Map<String, AttemptRow> fresh = new LinkedHashMap<>();
  private final List<AttemptRow> resolved = new ArrayList<>();
  private final List<PlatformEvent> taskEvents = new ArrayList<>();

  RerunPlan(Dag dag, RunRow run, List<AttemptRow> attempts, long now) {
    this.dag = dag;
    this.run = run;
    this.now = now;
    this.latest = AttemptRows.latest(attempts);
    this.model = new RunModel(dag.graph, run.state);
    latest.forEach((t, a) -> model.load(t, AttemptRows.toModel(a)));
  }

  AttemptRow latest(String taskId) {
    return latest.get(taskId);
  }

  /** The tasks a rerun in {@code mode} runs again (empty for FAILED_TASKS without failures). */
  Set<String> scope(RerunMode mode, String taskId) {
    return model.rerunScope(mode, taskId);
  }

  /** The task runs again: a new attempt, WAITING until decided. */
  void renew(String taskId) {
    fresh.put(taskId, row(taskId, model.renew(taskId)));
  }

  /** Whether marking the task ends its unstarted attempt itself rather than adding one. */
  boolean marksInPlace(String taskId) {
    return model.marksInPlace(taskId);
  }

  /**
   * The task is marked by hand: a new attempt that ended in {@code state}, or its unstarted attempt
   * ended so (already written by the caller); the tasks downstream that did not run are renewed.
   */
  void mark(String taskId, TaskState state, String message) {
    boolean inPlace = model.marksInPlace(taskId);
    Attempt marked = model.mark(taskId, state);
    if (inPlace) {
      taskEvents.add(Progress.taskEvent(now, run, taskId, marked.number(), state, message));
    } else {
      AttemptRow row = row(taskId, marked);
      row.message = message;
      row.endedAt = now;
      fresh.put(taskId, row);
    }
    for (String t : model.renewed()) {
      if (!fresh.containsKey(t)) {
        fresh.put(t, row(t, model.latest(t)));
      }
    }
  }

  /** A new attempt row for the model's new attempt {@code a} of the task. */
  private AttemptRow row(String taskId, Attempt a) {
    AttemptRow row =
        AttemptRow.of(
            run.id,
            run.flowId,
            dag.tasks.get(taskId),
            a.number(),
            a.state(),
            (long) run.priority + dag.tasks.get(taskId).priority(),
            now,
            now);
    row.rerunBase = a.rerunBase();
    return row;
  }

  /** Decides every waiting task, upstream first, so skips spread in one pass. */
  void decide() {
    for (Decision d : model.decideWaiting()) {
      AttemptRow row = fresh.get(d.task());
      if (row == null) {
        row = new AttemptRow();
        row.id = d.attempt().id();
        row.taskId = d.task();
        row.attempt = d.attempt().number();
        resolved.add(row);
      }
      row.state = d.state();
      row.message = d.reason();
      row.endedAt = d.state().isFinal() ? now : null;
    }
  }

  boolean anyReady() {
    return model.anyReady();
  }

  /** Why the renewed tasks cannot run, for an error message. */
  String blockedReason() {
    StringBuilder sb = new StringBuilder();
    fresh.forEach(
        (t, row) -> {
          if (TaskState.READY != row.state) {
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
    fresh.keySet().removeIf(model::repeats);
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
    // the renewed tasks and those left waiting have unknown fan-in counters: the next outcome
    // that reaches one decides it in full and stores its exact counter
    m.forgetOpenEdges(run.id);
    if (from.isFinal()) {
      if (m.reopenRun(run.id, from) != 1) {
        throw new IllegalStateException("run " + run.id + " changed under its row lock");
      }
      run.state = RunState.RUNNING;
      c.events.add(
          new RunStateChanged(Instant.ofEpochMilli(now), run.id, run.flowName, RunState.RUNNING));
    }
    List<String> tasks = new ArrayList<>();
    for (String t : dag.graph.topologicalOrder()) {
      if (fresh.containsKey(t)) {
        tasks.add(t);
      }
    }
    c.events.add(Reruns.reopened(now, run, what, tasks));
    c.events.addAll(taskEvents);
    for (AttemptRow r : rows) {
      c.events.add(Progress.taskEvent(now, run, r.taskId, r.attempt, r.state, r.message));
    }
    for (AttemptRow r : resolved) {
      c.events.add(Progress.taskEvent(now, run, r.taskId, r.attempt, r.state, r.message));
    }
    if (model.anyReady()) {
      c.readyAt(now);
    }
    progress.closeIfDone(m, List.of(run), now, c);
    done.result = new RerunResult(run.id, tasks, run.state);
    return done;
  }
}

package io.flinkplatform.engine.internal;

import io.flinkplatform.engine.dag.Edge;
import io.flinkplatform.engine.dag.TaskDefinition;
import io.flinkplatform.engine.event.PlatformEvent;
import io.flinkplatform.engine.event.PlatformEvent.RunStateChanged;
import io.flinkplatform.engine.event.PlatformEvent.TaskStateChanged;
import io.flinkplatform.engine.internal.Rows.AttemptRow;
import io.flinkplatform.engine.internal.Rows.RunRow;
import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.run.TaskState;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Advances runs inside the caller's transaction: commits attempt outcomes (only if their fencing
 * epoch still holds), schedules retries, makes downstream tasks READY or SKIPPED, and closes runs.
 * Callers lock the runs first ({@link #lockRuns}), which serialises all progress of one run.
 */
final class Progress {
  private final Definitions definitions;
  private final Clock clock;

  Progress(Definitions definitions, Clock clock) {
    this.definitions = definitions;
    this.clock = clock;
  }

  /** What one transaction changed; events are emitted only after it commits. */
  static final class Changes {
    final List<PlatformEvent> events = new ArrayList<>();
    final List<Result> stale = new ArrayList<>();
    final Set<Long> closedRuns = new LinkedHashSet<>();
    boolean readied;
    long nextReadyAt = Long.MAX_VALUE;
  }

  static Map<Long, RunRow> lockRuns(StoreMapper m, Collection<Long> runIds) {
    Map<Long, RunRow> runs = new HashMap<>();
    for (RunRow r : m.lockRuns(new java.util.TreeSet<>(runIds))) {
      runs.put(r.id, r);
    }
    return runs;
  }

  Changes complete(StoreMapper m, List<Result> results) {
    Changes c = new Changes();
    long now = clock.millis();
    Map<Long, RunRow> runs = lockRuns(m, results.stream().map(r -> r.claim().run().id).toList());
    for (Result r : results) {
      complete(m, r, runs.get(r.claim().run().id), now, c);
    }
    return c;
  }

  private void complete(StoreMapper m, Result r, RunRow run, long now, Changes c) {
    AttemptRow a = r.claim().attempt();
    Dag dag = definitions.get(run.flowId);
    TaskDefinition def = dag.tasks.get(a.taskId);
    boolean killing = RunState.valueOf(run.state) == RunState.KILLING;
    TaskState state = killing && r.state() == TaskState.FAILED ? TaskState.KILLED : r.state();
    int updated = m.finishAttempt(a.id, a.epoch, state.name(),
        r.outputs().isEmpty() ? null : Json.write(r.outputs()), r.message(), r.logPath(), now);
    if (updated == 0) {
      c.stale.add(r);
      c.events.add(new PlatformEvent.StaleWriteRejected(
          Instant.ofEpochMilli(now), a.id, a.epoch, a.owner, "outcome " + state));
      return;
    }
    c.events.add(taskEvent(now, run.id, a.taskId, a.attempt, state, r.message()));
    if (state == TaskState.FAILED && r.retryable() && a.attempt <= def.retry().maxRetries()) {
      long readyAt = now + def.retry().delayBefore(a.attempt + 1).toMillis();
      m.insertAttempts(List.of(AttemptRow.of(run.id, run.flowId, a.taskId, a.attempt + 1,
          TaskState.READY.name(), def.priority(), readyAt, now)));
      c.events.add(taskEvent(now, run.id, a.taskId, a.attempt + 1, TaskState.READY,
          "retry " + a.attempt + " of " + def.retry().maxRetries() + ", not before "
              + Instant.ofEpochMilli(readyAt)));
      c.readied = true;
      c.nextReadyAt = Math.min(c.nextReadyAt, readyAt);
      return;
    }
    if (!killing) {
      advance(m, run, dag, a.taskId, state, now, c);
    }
    closeIfDone(m, run, dag, now, c);
  }

  /** Re-evaluates the tasks downstream of {@code finished}, and theirs in turn when they skip. */
  void advance(StoreMapper m, RunRow run, Dag dag, String finished, TaskState state, long now,
      Changes c) {
    Map<String, TaskState> known = new HashMap<>();
    known.put(finished, state);
    Deque<String> work = new ArrayDeque<>(List.of(finished));
    while (!work.isEmpty()) {
      String t = work.pop();
      Set<String> downstream = new LinkedHashSet<>();
      dag.outgoing.get(t).forEach(e -> downstream.add(e.to()));
      if (downstream.isEmpty()) {
        continue;
      }
      Set<String> need = new LinkedHashSet<>(downstream);
      downstream.forEach(d -> dag.incoming.get(d).forEach(e -> need.add(e.from())));
      need.removeAll(known.keySet());
      if (!need.isEmpty()) {
        known.putAll(latestStates(m.selectTaskStates(run.id, need)));
      }
      for (String d : downstream) {
        if (known.get(d) != TaskState.WAITING) {
          continue;
        }
        Advance.Decision decision = Advance.decide(dag, d, known::get);
        if (decision == Advance.Decision.WAIT) {
          continue;
        }
        TaskState next = TaskState.valueOf(decision.name());
        String why = next == TaskState.READY ? null : unmetReason(dag, d, known);
        m.resolveWaiting(run.id, d, next.name(), why, now);
        known.put(d, next);
        c.events.add(taskEvent(now, run.id, d, 1, next, why));
        if (next == TaskState.READY) {
          c.readied = true;
          c.nextReadyAt = Math.min(c.nextReadyAt, now);
        } else {
          work.push(d);
        }
      }
    }
  }

  /** Closes the run when none of its attempts is left to run. */
  void closeIfDone(StoreMapper m, RunRow run, Dag dag, long now, Changes c) {
    if (m.countUnfinished(run.id) > 0) {
      return;
    }
    RunState end;
    if (RunState.valueOf(run.state) == RunState.KILLING) {
      end = RunState.KILLED;
    } else {
      end = RunState.SUCCESS;
      for (Map.Entry<String, TaskState> e : latestStates(m.selectTaskStates(run.id, null)).entrySet()) {
        TaskState s = e.getValue();
        if (s == TaskState.UPSTREAM_FAILED || s == TaskState.KILLED
            || (s == TaskState.FAILED && !dag.failureHandled(e.getKey()))) {
          end = RunState.FAILED;
          break;
        }
      }
    }
    m.finishRun(run.id, end.name(), now);
    run.state = end.name();
    c.closedRuns.add(run.id);
    c.events.add(new RunStateChanged(Instant.ofEpochMilli(now), run.id, dag.workflow.name(), end));
  }

  static Map<String, TaskState> latestStates(List<AttemptRow> rows) {
    Map<String, AttemptRow> latest = new HashMap<>();
    for (AttemptRow r : rows) {
      latest.merge(r.taskId, r, (x, y) -> x.attempt >= y.attempt ? x : y);
    }
    Map<String, TaskState> out = new HashMap<>();
    latest.forEach((k, v) -> out.put(k, TaskState.valueOf(v.state)));
    return out;
  }

  private static String unmetReason(Dag dag, String task, Map<String, TaskState> known) {
    StringBuilder sb = new StringBuilder("trigger rule ")
        .append(dag.tasks.get(task).triggerRule()).append(" cannot be met:");
    for (Edge e : dag.incoming.get(task)) {
      sb.append(' ').append(e.from()).append(" is ").append(known.get(e.from()))
          .append(" (edge on ").append(e.on()).append(')');
    }
    return sb.toString();
  }

  static TaskStateChanged taskEvent(long now, long runId, String taskId, int attempt,
      TaskState state, String message) {
    return new TaskStateChanged(Instant.ofEpochMilli(now), runId, taskId, attempt, state, message);
  }
}

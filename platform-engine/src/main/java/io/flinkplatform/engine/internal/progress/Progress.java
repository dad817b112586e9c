package io.flinkplatform.engine.internal.progress;

import io.flinkplatform.engine.dag.TaskDefinition;
import io.flinkplatform.engine.event.PlatformEvent;
import io.flinkplatform.engine.event.PlatformEvent.RunStateChanged;
import io.flinkplatform.engine.event.PlatformEvent.TaskStateChanged;
import io.flinkplatform.engine.internal.common.Json;
import io.flinkplatform.engine.internal.common.Texts;
import io.flinkplatform.engine.internal.definition.Dag;
import io.flinkplatform.engine.internal.definition.Definitions;
import io.flinkplatform.engine.internal.definition.UnreadableDefinitionException;
import io.flinkplatform.engine.internal.store.Rows.AttemptRow;
import io.flinkplatform.engine.internal.store.Rows.RunRow;
import io.flinkplatform.engine.internal.store.StoreMapper;
import io.flinkplatform.engine.internal.worker.Claim;
import io.flinkplatform.engine.internal.worker.Executor;
import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.run.TaskState;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Advances runs inside the caller's transaction, for a whole batch of outcomes at once: ends the
 * attempts whose fencing epoch still holds, schedules retries, makes downstream tasks READY,
 * SKIPPED or UPSTREAM_FAILED, and closes finished runs. The runs are locked first, which serialises
 * all progress of one run; the number of statements depends on the depth of skip propagation, not
 * on the number of outcomes.
 */
public final class Progress {
  /**
   * At most this many tasks per statement that names tasks one by one (an IN list, a CASE per row),
   * so that a fan-out of thousands of tasks is written in bounded statements, each well within the
   * statement timeout and the driver's limit of placeholders.
   */
  public static final int CHUNK = 500;

  private final Definitions definitions;
  private final Clock clock;

  public Progress(Definitions definitions, Clock clock) {
    this.definitions = definitions;
    this.clock = clock;
  }

  /** What one transaction changed; events are emitted only after it commits. */
  public static final class Changes {
    public final List<PlatformEvent> events = new ArrayList<>();
    final List<Result> stale = new ArrayList<>();

    /** Outcomes a retried batch found stored by its own earlier commit (see alreadyApplied). */
    int alreadyApplied;

    public final Set<Long> closedRuns = new LinkedHashSet<>();
    public boolean readied;
    public long nextReadyAt = Long.MAX_VALUE;

    public void readyAt(long at) {
      readied = true;
      nextReadyAt = Math.min(nextReadyAt, at);
    }
  }

  /** A task's latest attempt as far as this transaction knows. */
  private static final class View {
    final long id;
    final int attempt;
    TaskState state;
    boolean released;

    /** The downstream ids a success chose, or null for no choice. */
    Set<String> branches;

    View(long id, int attempt, TaskState state) {
      this.id = id;
      this.attempt = attempt;
      this.state = state;
    }

    View withBranches(String json) {
      branches = state == TaskState.SUCCESS ? Json.stringSet(json) : null;
      return this;
    }
  }

  private record Step(long runId, String taskId) {}

  public static Map<Long, RunRow> lockRuns(StoreMapper m, Collection<Long> runIds) {
    Map<Long, RunRow> runs = new HashMap<>();
    m.lockRuns(new TreeSet<>(runIds)).forEach(r -> runs.put(r.id, r));
    return runs;
  }

  Changes complete(StoreMapper m, List<Result> results) {
    Changes c = new Changes();
    long now = clock.millis();
    Map<Long, RunRow> runs = lockRuns(m, results.stream().map(r -> r.claim().run().id).toList());
    Map<Long, AttemptRow> current = new HashMap<>();
    m.lockAttempts(results.stream().map(r -> r.claim().id()).toList())
        .forEach(a -> current.put(a.id, a));
    List<AttemptRow> writes = new ArrayList<>();
    List<AttemptRow> retries = new ArrayList<>();
    Map<Long, Map<String, View>> known = new HashMap<>();
    List<Step> finished = new ArrayList<>();
    Set<Long> touched = new LinkedHashSet<>();
    Map<Long, String> unreadable = new HashMap<>();
    for (Result r : results) {
      AttemptRow a = r.claim().attempt();
      AttemptRow now0 = current.get(a.id);
      if (now0 != null && now0.epoch == a.epoch && alreadyApplied(now0, r, runs.get(a.flowRunId))) {
        // a retry of a batch whose commit went through although it looked failed: nothing
        // changed since (the epoch holds), so this outcome and its consequences are stored
        c.alreadyApplied++;
        c.readyAt(now); // the wake-up of that commit was lost: look for what it made ready
        c.events.add(
            taskEvent(
                now, a.flowRunId, a.taskId, a.attempt, TaskState.valueOf(now0.state), r.message()));
        RunRow run = runs.get(a.flowRunId);
        if (run != null && RunState.valueOf(run.state).isFinal()) {
          c.closedRuns.add(run.id);
        }
        continue;
      }
      if (now0 == null || now0.epoch != a.epoch || !TaskState.RUNNING.name().equals(now0.state)) {
        c.stale.add(r);
        c.events.add(
            new PlatformEvent.StaleWriteRejected(
                Instant.ofEpochMilli(now), a.id, a.epoch, a.owner, "outcome " + r.state()));
        continue;
      }
      RunRow run = runs.get(a.flowRunId);
      boolean killing = RunState.valueOf(run.state) == RunState.KILLING;
      TaskState state = killing && r.state() == TaskState.FAILED ? TaskState.KILLED : r.state();
      writes.add(ending(a, state, r));
      c.events.add(taskEvent(now, run.id, a.taskId, a.attempt, state, r.message()));
      touched.add(run.id);
      TaskDefinition def;
      try {
        def = definitions.get(run.flowId).tasks.get(a.taskId);
      } catch (UnreadableDefinitionException e) {
        // nothing downstream can be decided and no retry policy read: the run ends FAILED, with
        // its unstarted tasks, instead of this batch failing on every retry
        unreadable.put(run.id, e.getMessage());
        continue;
      }
      Map<String, View> views = known.computeIfAbsent(run.id, k -> new HashMap<>());
      if (state == TaskState.FAILED
          && r.retryable()
          && !killing
          && a.attempt - a.rerunBase <= def.retry().maxRetries()) {
        // a rerun starts a new series of attempts with the full retry budget
        int series = a.attempt - a.rerunBase;
        long readyAt = now + def.retry().delayBefore(series + 1).toMillis();
        AttemptRow retry =
            AttemptRow.of(
                run.id,
                run.flowId,
                def,
                a.attempt + 1,
                TaskState.READY.name(),
                (long) run.priority + def.priority(),
                readyAt,
                now);
        retry.rerunBase = a.rerunBase;
        retries.add(retry);
        c.events.add(
            taskEvent(
                now,
                run.id,
                a.taskId,
                a.attempt + 1,
                TaskState.READY,
                "retry "
                    + series
                    + " of "
                    + def.retry().maxRetries()
                    + ", not before "
                    + Instant.ofEpochMilli(readyAt)));
        c.readyAt(readyAt);
        views.put(a.taskId, new View(-1, a.attempt + 1, TaskState.READY));
      } else {
        views.put(a.taskId, new View(a.id, a.attempt, state).withBranches(r.branches()));
        if (!killing) {
          finished.add(new Step(run.id, a.taskId));
        }
      }
    }
    if (!writes.isEmpty()) {
      m.finishAttempts(writes, now);
    }
    if (!retries.isEmpty()) {
      m.insertAttempts(retries);
    }
    unreadable.forEach((runId, why) -> m.failUnstarted(runId, notStarted(why), now));
    advance(m, runs, known, finished, now, c);
    closeIfDone(m, touched.stream().map(runs::get).toList(), now, c);
    return c;
  }

  /**
   * Whether the attempt, still on the claim's epoch, already ended as {@code r} would end it. Only
   * the claim's owner ends an attempt on its epoch (any other ending comes after a new claim, which
   * raises the epoch), so this is the owner's own earlier commit of {@code r}.
   */
  private static boolean alreadyApplied(AttemptRow current, Result r, RunRow run) {
    if (TaskState.RUNNING.name().equals(current.state) || run == null) {
      return false;
    }
    // a FAILED outcome is stored as KILLED when its run was being killed
    return r.state().name().equals(current.state)
        || (r.state() == TaskState.FAILED && TaskState.KILLED.name().equals(current.state));
  }

  private static AttemptRow ending(AttemptRow a, TaskState state, Result r) {
    AttemptRow w = new AttemptRow();
    w.id = a.id;
    w.epoch = a.epoch;
    w.state = state.name();
    w.outputs = r.outputs();
    w.message = r.message();
    w.logPath = r.logPath();
    w.branches = state == TaskState.SUCCESS ? r.branches() : null;
    return w;
  }

  /** Re-evaluates the tasks downstream of the finished ones, level by level as skips spread. */
  private void advance(
      StoreMapper m,
      Map<Long, RunRow> runs,
      Map<Long, Map<String, View>> known,
      List<Step> level,
      long now,
      Changes c) {
    List<AttemptRow> resolutions = new ArrayList<>();
    while (!level.isEmpty()) {
      load(m, runs, known, level);
      List<Step> next = new ArrayList<>();
      for (Step s : level) {
        Dag dag = definitions.get(runs.get(s.runId).flowId);
        Map<String, View> views = known.get(s.runId);
        for (String d : downstream(dag, s.taskId)) {
          View view = views.get(d);
          if (view == null || view.state != TaskState.WAITING) {
            continue;
          }
          Advance.Decision decision =
              Advance.decide(
                  dag,
                  d,
                  t -> state(views.get(t)),
                  t -> branches(views.get(t)),
                  t -> views.get(t) != null && views.get(t).released);
          if (decision == Advance.Decision.WAIT) {
            continue;
          }
          TaskState to = TaskState.valueOf(decision.name());
          view.state = to;
          AttemptRow w = new AttemptRow();
          w.id = view.id;
          w.state = to.name();
          w.message =
              to == TaskState.READY ? null : Advance.unmetReason(dag, d, t -> state(views.get(t)));
          w.endedAt = to == TaskState.READY ? null : now;
          resolutions.add(w);
          c.events.add(taskEvent(now, s.runId, d, view.attempt, to, w.message));
          if (to == TaskState.READY) {
            c.readyAt(now);
          } else {
            next.add(new Step(s.runId, d));
          }
        }
      }
      level = next;
    }
    resolveWaiting(m, resolutions, now);
  }

  /** Ends or readies WAITING attempts, {@link #CHUNK} per statement. */
  public static void resolveWaiting(StoreMapper m, List<AttemptRow> rows, long now) {
    for (int i = 0; i < rows.size(); i += CHUNK) {
      m.resolveWaiting(rows.subList(i, Math.min(rows.size(), i + CHUNK)), now);
    }
  }

  /** Reads the latest attempts of the downstream tasks of {@code level} and of their upstreams. */
  private void load(
      StoreMapper m, Map<Long, RunRow> runs, Map<Long, Map<String, View>> known, List<Step> level) {
    Map<Long, Set<String>> need = new HashMap<>();
    for (Step s : level) {
      Dag dag = definitions.get(runs.get(s.runId).flowId);
      Map<String, View> views = known.get(s.runId);
      for (String d : downstream(dag, s.taskId)) {
        Set<String> n = need.computeIfAbsent(s.runId, k -> new HashSet<>());
        if (!views.containsKey(d)) {
          n.add(d);
        }
        dag.incoming
            .get(d)
            .forEach(
                e -> {
                  if (!views.containsKey(e.from())) {
                    n.add(e.from());
                  }
                });
      }
    }
    need.values().removeIf(Set::isEmpty);
    if (need.isEmpty()) {
      return;
    }
    Set<String> needed = new HashSet<>();
    need.values().forEach(needed::addAll);
    List<String> tasks = new ArrayList<>(needed);
    List<AttemptRow> rows = new ArrayList<>();
    for (int i = 0; i < tasks.size(); i += CHUNK) {
      rows.addAll(
          m.selectStatesOfRuns(need.keySet(), tasks.subList(i, Math.min(tasks.size(), i + CHUNK))));
    }
    Map<Long, Map<String, View>> loaded = new HashMap<>();
    for (AttemptRow r : rows) {
      if (need.get(r.flowRunId).contains(r.taskId)) {
        View v = new View(r.id, r.attempt, TaskState.valueOf(r.state));
        v.released = r.releasedAt != null;
        loaded
            .computeIfAbsent(r.flowRunId, k -> new HashMap<>())
            .merge(r.taskId, v.withBranches(r.branches), (x, y) -> x.attempt >= y.attempt ? x : y);
      }
    }
    loaded.forEach((run, views) -> known.get(run).putAll(views));
  }

  /**
   * Marks running attempts released (their external work is up and may be depended on) and starts
   * the tasks behind their RUNNING edges. The attempts stay RUNNING, and so do their runs. A claim
   * whose epoch no longer holds, or an attempt released already, changes nothing.
   */
  void release(StoreMapper m, List<Claim> claims, Changes c) {
    long now = clock.millis();
    Map<Long, RunRow> runs = lockRuns(m, claims.stream().map(cl -> cl.run().id).toList());
    Map<Long, AttemptRow> current = new HashMap<>();
    m.lockAttempts(claims.stream().map(Claim::id).toList()).forEach(a -> current.put(a.id, a));
    Map<Long, Map<String, View>> known = new HashMap<>();
    List<Step> level = new ArrayList<>();
    List<Long> released = new ArrayList<>();
    for (Claim cl : claims) {
      AttemptRow a = current.get(cl.id());
      RunRow run = runs.get(cl.run().id);
      if (a == null
          || a.epoch != cl.epoch()
          || !TaskState.RUNNING.name().equals(a.state)
          || a.releasedAt != null
          || run == null
          || RunState.valueOf(run.state) != RunState.RUNNING) {
        continue;
      }
      released.add(a.id);
      View v = new View(a.id, a.attempt, TaskState.RUNNING);
      v.released = true;
      known.computeIfAbsent(run.id, k -> new HashMap<>()).put(a.taskId, v);
      level.add(new Step(run.id, a.taskId));
    }
    if (released.isEmpty()) {
      return;
    }
    m.markReleased(released, now);
    advance(m, runs, known, level, now, c);
  }

  /** Closes the runs of which no attempt is left to run. */
  public void closeIfDone(StoreMapper m, List<RunRow> runs, long now, Changes c) {
    if (runs.isEmpty()) {
      return;
    }
    Set<Long> unfinished =
        new HashSet<>(m.selectUnfinishedRuns(runs.stream().map(r -> r.id).toList()));
    List<RunRow> done = runs.stream().filter(r -> !unfinished.contains(r.id)).toList();
    if (done.isEmpty()) {
      return;
    }
    Map<Long, Map<String, TaskState>> finals = new HashMap<>();
    List<Long> toInspect =
        done.stream()
            .filter(r -> RunState.valueOf(r.state) != RunState.KILLING)
            .map(r -> r.id)
            .toList();
    if (!toInspect.isEmpty()) {
      Map<Long, List<AttemptRow>> byRun = new HashMap<>();
      m.selectStatesOfRuns(toInspect, null)
          .forEach(r -> byRun.computeIfAbsent(r.flowRunId, k -> new ArrayList<>()).add(r));
      byRun.forEach((run, rows) -> finals.put(run, latestStates(rows)));
    }
    List<RunRow> ends = new ArrayList<>();
    for (RunRow run : done) {
      Dag dag = readable(run.flowId);
      RunState end =
          RunState.valueOf(run.state) == RunState.KILLING
              ? RunState.KILLED
              : dag == null ? RunState.FAILED : outcome(dag, finals.getOrDefault(run.id, Map.of()));
      run.state = end.name();
      ends.add(run);
      c.closedRuns.add(run.id);
      c.events.add(
          new RunStateChanged(
              Instant.ofEpochMilli(now),
              run.id,
              dag == null ? run.flowName : dag.workflow.name(),
              end));
    }
    m.finishRuns(ends, now);
  }

  private static String notStarted(String why) {
    String message = "not started: " + why;
    return message.length() <= Executor.MAX_MESSAGE
        ? message
        : Texts.prefix(message, Executor.MAX_MESSAGE - 20) + " ... (cut)";
  }

  /** The version, or null when it cannot be read (its runs end FAILED). */
  private Dag readable(long flowId) {
    try {
      return definitions.get(flowId);
    } catch (UnreadableDefinitionException e) {
      return null;
    }
  }

  /**
   * A run fails when a task failed without an outgoing FAILURE or ALWAYS edge to handle it, or a
   * task could not run because of a failure upstream; otherwise it succeeds.
   */
  private static RunState outcome(Dag dag, Map<String, TaskState> states) {
    for (Map.Entry<String, TaskState> e : states.entrySet()) {
      TaskState s = e.getValue();
      if (s == TaskState.UPSTREAM_FAILED
          || s == TaskState.KILLED
          || (s == TaskState.FAILED
              && !dag.failureHandled(e.getKey())
              && !Branches.isDecision(dag, e.getKey()))) {
        return RunState.FAILED;
      }
    }
    return RunState.SUCCESS;
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

  private static Set<String> downstream(Dag dag, String taskId) {
    Set<String> out = new LinkedHashSet<>();
    dag.outgoing.get(taskId).forEach(e -> out.add(e.to()));
    return out;
  }

  private static TaskState state(View v) {
    return v == null ? null : v.state;
  }

  private static Set<String> branches(View v) {
    return v == null ? null : v.branches;
  }

  public static TaskStateChanged taskEvent(
      long now, long runId, String taskId, int attempt, TaskState state, String message) {
    return new TaskStateChanged(Instant.ofEpochMilli(now), runId, taskId, attempt, state, message);
  }
}

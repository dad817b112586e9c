package io.flinkplatform.engine.internal.model;

import static java.util.Objects.requireNonNull;

import io.flinkplatform.engine.dag.Edge;
import io.flinkplatform.engine.run.RerunMode;
import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.run.TaskState;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;

/**
 * The state of one run as far as its caller loaded it (the latest attempt of some or all of its
 * tasks), and what new facts do to it: outcomes and retries, RUNNING releases, kills, reruns and
 * manual marks, and the trigger-rule decisions that follow. It touches no database: the caller
 * loads what {@link #missingFor} names, applies the facts, and writes the attempts the model
 * returns. Work is proportional to the tasks a fact reaches (their edges), never to the whole run,
 * except for whole-run questions (a rerun's scope, {@link #decideWaiting}, the run's outcome) that
 * the caller asks only after loading the whole run. Not thread-safe: one transaction's working
 * copy. It is longer than most classes because every fact works on this one working copy; the rules
 * it applies live in {@link TriggerRules}, {@link Retry}, {@link RunOutcome} and {@link
 * LatestAttempts}.
 */
public final class RunModel {
  private static final Set<TaskState> FAILED_LIKE =
      Set.of(TaskState.FAILED, TaskState.UPSTREAM_FAILED, TaskState.KILLED);

  /** The message of an attempt a kill ended before it started. */
  public static final String KILLED_BEFORE_START = "killed before it started";

  /** The message of an attempt claimed to start in a run being killed. */
  public static final String KILLED_AT_CLAIM = "run was killed";

  private final TaskGraph graph;
  private final RunState runState;
  private final Map<String, Attempt> latest = new HashMap<>();

  /** The tasks renewed by a rerun or a mark, with the state of the attempt each had before. */
  private final Map<String, TaskState> renewed = new LinkedHashMap<>();

  public RunModel(TaskGraph graph, RunState runState) {
    this.graph = requireNonNull(graph, "graph is null");
    this.runState = requireNonNull(runState, "runState is null");
  }

  /** A model of a RUNNING run of {@code graph}, knowing no attempt yet. */
  public static RunModel running(TaskGraph graph) {
    return new RunModel(graph, RunState.RUNNING);
  }

  /** Whether a kill of the run is reaching its tasks: outcomes then end nothing downstream. */
  public boolean killing() {
    return runState == RunState.KILLING;
  }

  // ---- what the caller loaded

  /** Learns an attempt of {@code task}; it counts if it is the latest the model knows. */
  public void load(String task, Attempt attempt) {
    LatestAttempts.put(latest, task, attempt, Attempt::number);
  }

  public boolean knows(String task) {
    return latest.containsKey(task);
  }

  /** The task's latest attempt, or null when the caller did not load it. */
  public Attempt latest(String task) {
    return latest.get(task);
  }

  /** The latest attempt of each known task (a read-only view). */
  public Map<String, Attempt> attempts() {
    return Collections.unmodifiableMap(latest);
  }

  /** The latest state of each known task. */
  public Map<String, TaskState> states() {
    Map<String, TaskState> out = new HashMap<>();
    latest.forEach((t, a) -> out.put(t, a.state()));
    return out;
  }

  /**
   * Adds to {@code into} the tasks to load before {@code task} can be decided: itself and its
   * upstream tasks, where unknown.
   */
  public void missingFor(String task, Set<String> into) {
    if (!knows(task)) {
      into.add(task);
    }
    for (Edge e : graph.incoming(task)) {
      if (!knows(e.from())) {
        into.add(e.from());
      }
    }
  }

  // ---- fan-in counters

  /**
   * The edges from {@code from} that its latest fact (its end, or its release of RUNNING edges)
   * resolved, by the task each leads to. Costs the task's out-degree.
   */
  public Map<String, Arrivals> arrivals(String from) {
    Attempt a = known(from);
    Map<String, Arrivals> out = new LinkedHashMap<>();
    for (Edge e : graph.outgoing(from)) {
      if (TriggerRules.resolvedBy(graph, e, a)) {
        out.merge(e.to(), Arrivals.of(TriggerRules.fired(e, a)), Arrivals::plus);
      }
    }
    return out;
  }

  /**
   * Whether a waiting task left with {@code open} unresolved edges once {@code arrived} resolved
   * may be decided now (see {@link TriggerRules#mayDecide}); if not, it still waits.
   */
  public boolean mayDecide(String task, int open, Arrivals arrived) {
    return TriggerRules.mayDecide(
        graph.triggerRule(task),
        graph.isDecision(task),
        open,
        arrived.anyFired(),
        arrived.anyUnfired());
  }

  /** The task's unresolved incoming edges, its upstream tasks all loaded. */
  public int openEdges(String task) {
    return TriggerRules.openEdges(graph, task, latest::get);
  }

  // ---- facts of a running run

  /**
   * A running attempt ended {@code outcome}; {@code branches} are the downstream ids a success
   * chose (null: no choice). A failure in a run being killed ends KILLED; a retryable failure with
   * budget left gets a retry (a new READY attempt, which the model now knows as the latest).
   */
  public Ending end(
      String task, Attempt running, TaskState outcome, boolean retryable, Set<String> branches) {
    boolean killing = killing();
    TaskState state = endState(runState, outcome);
    Retry retry =
        killing
            ? null
            : Retry.after(
                graph.retry(task), running.number(), running.rerunBase(), state, retryable);
    if (retry != null) {
      latest.put(
          task,
          new Attempt(
              Attempt.NOT_STORED,
              retry.attempt(),
              running.rerunBase(),
              TaskState.READY,
              null,
              false));
      return new Ending(state, retry, false);
    }
    latest.put(
        task,
        new Attempt(
            running.id(),
            running.number(),
            running.rerunBase(),
            state,
            branches,
            running.released()));
    return new Ending(state, null, !killing);
  }

  /** The state an outcome ends its attempt in: a failure in a run being killed ends KILLED. */
  public static TaskState endState(RunState run, TaskState outcome) {
    return run == RunState.KILLING && outcome == TaskState.FAILED ? TaskState.KILLED : outcome;
  }

  /**
   * A running attempt released the tasks behind its RUNNING edges. Returns false, changing nothing,
   * when the run is not RUNNING, or the attempt is not running or released already; otherwise the
   * tasks downstream of {@code task} are to be decided.
   */
  public boolean release(String task, Attempt running) {
    if (runState != RunState.RUNNING
        || running.state() != TaskState.RUNNING
        || running.released()) {
      return false;
    }
    latest.put(task, running.releasedNow());
    return true;
  }

  /**
   * Decides {@code task} if its latest attempt is WAITING and its trigger rule now says READY,
   * SKIPPED or UPSTREAM_FAILED; the model then knows the attempt in that state. Null otherwise.
   */
  public Decision decide(String task) {
    Attempt a = latest.get(task);
    if (a == null || a.state() != TaskState.WAITING) {
      return null;
    }
    Verdict v = TriggerRules.decide(graph, task, latest::get);
    if (v == Verdict.WAIT) {
      return null;
    }
    Attempt decided = a.in(v.state());
    latest.put(task, decided);
    return new Decision(
        task,
        decided,
        v == Verdict.READY ? null : TriggerRules.unmetReason(graph, task, latest::get));
  }

  /** A kill ends the known attempts that never started (WAITING or READY): KILLED. */
  public List<String> killUnstarted() {
    Map<String, Attempt> killed = killedBeforeStart(latest);
    latest.putAll(killed);
    return new ArrayList<>(killed.keySet());
  }

  /**
   * What a kill does to a run's latest attempts ({@code latest}, by task): those that never started
   * (WAITING or READY) end KILLED ({@link #KILLED_BEFORE_START}), returned by task in the order
   * given; running ones go on until cancelled, ended ones stay. It needs no graph, so a run whose
   * version cannot be read is killed all the same.
   */
  public static Map<String, Attempt> killedBeforeStart(Map<String, Attempt> latest) {
    Map<String, Attempt> killed = new LinkedHashMap<>();
    latest.forEach(
        (t, a) -> {
          if (a.state() == TaskState.WAITING || a.state() == TaskState.READY) {
            killed.put(t, a.in(TaskState.KILLED));
          }
        });
    return killed;
  }

  /**
   * The state an attempt claimed to start takes in a run in state {@code run}: KILLED when the run
   * is being killed (the claim met the kill; the attempt must not start, {@link #KILLED_AT_CLAIM}),
   * RUNNING otherwise.
   */
  public static TaskState claimedIn(RunState run) {
    return run == RunState.KILLING ? TaskState.KILLED : TaskState.RUNNING;
  }

  // ---- reruns and marks (the caller loaded the whole run)

  /**
   * The tasks a rerun in {@code mode} runs again ({@code task} for the modes that name one): for
   * FAILED_TASKS, every FAILED, UPSTREAM_FAILED or KILLED task (a decision that failed chose its
   * FAILURE edges: a choice, not a failure) and all downstream of them, empty when there is none.
   */
  public Set<String> rerunScope(RerunMode mode, String task) {
    return switch (mode) {
      case FAILED_TASKS -> {
        Set<String> failed = new LinkedHashSet<>();
        for (String t : graph.tasks()) {
          Attempt a = latest.get(t);
          TaskState s = a == null ? null : a.state();
          if (FAILED_LIKE.contains(s) && !(s == TaskState.FAILED && graph.isDecision(t))) {
            failed.add(t);
          }
        }
        yield failed.isEmpty() ? Set.of() : graph.downstreamClosure(failed);
      }
      case TASK -> Set.of(task);
      case TASK_AND_UPSTREAM -> graph.upstreamClosure(task);
      case TASK_AND_DOWNSTREAM -> graph.downstreamClosure(Set.of(task));
    };
  }

  /**
   * The task runs again: a new attempt, WAITING until decided, with a new series of retries. What
   * its old attempt chose or released no longer counts.
   */
  public Attempt renew(String task) {
    Attempt before = known(task);
    Attempt next = before.nextSeries(TaskState.WAITING);
    renewed.putIfAbsent(task, before.state());
    latest.put(task, next);
    return next;
  }

  /** Whether a mark ends the task's latest attempt itself: it never started (WAITING or READY). */
  public boolean marksInPlace(String task) {
    return !known(task).state().isFinal();
  }

  /**
   * The task is marked {@code to} by hand: its unstarted attempt ends so (see {@link
   * #marksInPlace}), or a new attempt that ended so is added. Then the tasks downstream that did
   * not run (SKIPPED or UPSTREAM_FAILED), and theirs in turn, are renewed to be decided again.
   * Returns the marked attempt.
   */
  public Attempt mark(String task, TaskState to) {
    Attempt before = known(task);
    Attempt marked =
        before.state().isFinal()
            ? before.nextSeries(to)
            : new Attempt(before.id(), before.number(), before.rerunBase(), to, null, false);
    renewed.remove(task);
    latest.put(task, marked);
    Set<String> seen = new LinkedHashSet<>();
    List<String> frontier = List.of(task);
    while (!frontier.isEmpty()) {
      List<String> next = new ArrayList<>();
      for (String t : frontier) {
        for (String d : graph.downstream(t)) {
          Attempt a = latest.get(d);
          if (seen.add(d)
              && a != null
              && (a.state() == TaskState.SKIPPED || a.state() == TaskState.UPSTREAM_FAILED)) {
            renew(d);
            next.add(d);
          }
        }
      }
      frontier = next;
    }
    return marked;
  }

  /** The tasks renewed since this model was loaded, in the order they were. */
  public Set<String> renewed() {
    return Collections.unmodifiableSet(renewed.keySet());
  }

  /**
   * Decides every waiting task, upstream first, so that skips spread in one pass: the decisions of
   * a rerun or a mark, taken with the same rules and inputs as a running run's.
   */
  public List<Decision> decideWaiting() {
    List<Decision> out = new ArrayList<>();
    for (String t : graph.topologicalOrder()) {
      Decision d = decide(t);
      if (d != null) {
        out.add(d);
      }
    }
    return out;
  }

  /** Whether any known task is READY. */
  public boolean anyReady() {
    for (Attempt a : latest.values()) {
      if (a.state() == TaskState.READY) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether a renewed task's new attempt would only repeat the outcome its old one had (decided
   * SKIPPED or UPSTREAM_FAILED again), so that it need not be added.
   */
  public boolean repeats(String task) {
    TaskState before = renewed.get(task);
    TaskState now = latest.get(task).state();
    return before != null && now.isFinal() && now == before;
  }

  // ---- reading

  /** How the run ends if nothing of it is left to run (the caller loaded the whole run). */
  public RunState outcome() {
    return RunOutcome.of(runState, graph, states());
  }

  /** The task's incoming edges with their upstream states and whether each fired. */
  public List<EdgeState> upstreamEdges(String task) {
    return TriggerRules.edges(graph, task, latest::get);
  }

  /** The upstream tasks a waiting task still waits for (see {@link TriggerRules#waitingFor}). */
  public SortedMap<String, TaskState> waitingFor(String task) {
    return TriggerRules.waitingFor(graph, task, latest::get);
  }

  private Attempt known(String task) {
    Attempt a = latest.get(task);
    if (a == null) {
      throw new IllegalStateException("task '" + task + "' has no attempt loaded");
    }
    return a;
  }
}

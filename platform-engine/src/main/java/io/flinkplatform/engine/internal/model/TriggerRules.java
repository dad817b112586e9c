package io.flinkplatform.engine.internal.model;

import io.flinkplatform.engine.dag.Edge;
import io.flinkplatform.engine.dag.EdgeCondition;
import io.flinkplatform.engine.dag.TriggerRule;
import io.flinkplatform.engine.run.TaskState;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The trigger-rule decision for one waiting task from the latest attempts of its upstream tasks,
 * and what follows from the same rules: whether an edge fired, why a rule cannot be met, and what a
 * task still waits for. Reads only the task's incoming edges, so a decision costs its in-degree.
 *
 * <p>An edge fires when its upstream task ended with an outcome matching its condition and, for a
 * success that chose branches, leads to a chosen task; a RUNNING edge fires too when its upstream
 * released it while running (a fact that stays after the upstream ends). A task without incoming
 * edges is READY. A decision task (a condition) is READY once every upstream task ended, whatever
 * the outcomes. A task whose rule can no longer be met ends UPSTREAM_FAILED when an unmatched edge
 * comes from a failure (FAILED but not a decision, UPSTREAM_FAILED, KILLED), else SKIPPED.
 */
public final class TriggerRules {
  private TriggerRules() {}

  /** The state a task's first attempt starts in: READY for a root, WAITING otherwise. */
  public static TaskState firstState(TaskGraph graph, String task) {
    return graph.isRoot(task) ? TaskState.READY : TaskState.WAITING;
  }

  /** The verdict for {@code task}, where {@code upstream} gives a task's latest attempt or null. */
  public static Verdict decide(TaskGraph graph, String task, Function<String, Attempt> upstream) {
    List<Edge> in = graph.incoming(task);
    if (in.isEmpty()) {
      return Verdict.READY;
    }
    if (graph.isDecision(task)) {
      for (Edge e : in) {
        if (!ended(upstream.apply(e.from()))) {
          return Verdict.WAIT;
        }
      }
      return Verdict.READY;
    }
    int matched = 0;
    int unmatched = 0;
    int done = 0;
    boolean failedUpstream = false;
    for (Edge e : in) {
      Attempt a = upstream.apply(e.from());
      if (releasedThrough(e, a)) {
        done++;
        matched++;
        continue;
      }
      if (!ended(a)) {
        continue;
      }
      done++;
      if (fires(e, a.state(), a.branches())) {
        matched++;
      } else {
        unmatched++;
        failedUpstream |= isFailure(graph, e.from(), a.state());
      }
    }
    int n = in.size();
    boolean unrunnable;
    switch (graph.triggerRule(task)) {
      case ALL_MATCHED:
        if (matched == n) {
          return Verdict.READY;
        }
        unrunnable = unmatched > 0;
        break;
      case ANY_MATCHED:
        if (matched > 0) {
          return Verdict.READY;
        }
        unrunnable = done == n;
        break;
      case ALL_DONE:
        return done == n ? Verdict.READY : Verdict.WAIT;
      case ANY_DONE:
        return done > 0 ? Verdict.READY : Verdict.WAIT;
      default:
        throw new AssertionError();
    }
    if (!unrunnable) {
      return Verdict.WAIT;
    }
    return failedUpstream ? Verdict.UPSTREAM_FAILED : Verdict.SKIPPED;
  }

  /** Whether an edge with condition {@code on} matches an upstream task that ended {@code s}. */
  public static boolean matches(EdgeCondition on, TaskState s) {
    return switch (on) {
      case SUCCESS -> s == TaskState.SUCCESS;
      case FAILURE -> s == TaskState.FAILED;
      case ALWAYS -> s == TaskState.SUCCESS || s == TaskState.FAILED;
      case RUNNING -> s == TaskState.SUCCESS; // ended without releasing: it did its work
    };
  }

  /**
   * Whether {@code e} fires for an upstream task that ended {@code s} having chosen {@code chosen}
   * (null: no choice, every edge may fire). Releases are not considered; see {@link #fired}.
   */
  public static boolean fires(Edge e, TaskState s, Set<String> chosen) {
    return matches(e.on(), s)
        && (chosen == null || s != TaskState.SUCCESS || chosen.contains(e.to()));
  }

  /** Whether {@code e} fired, given its upstream task's latest attempt (null: unknown). */
  public static boolean fired(Edge e, Attempt upstream) {
    return releasedThrough(e, upstream)
        || (ended(upstream) && fires(e, upstream.state(), upstream.branches()));
  }

  /**
   * Whether an upstream task that ended {@code s} without firing an edge makes the task behind it
   * UPSTREAM_FAILED rather than SKIPPED: a failure (not a decision's "false"), an upstream failure
   * or a kill.
   */
  public static boolean isFailure(TaskGraph graph, String upstream, TaskState s) {
    return (s == TaskState.FAILED && !graph.isDecision(upstream))
        || s == TaskState.UPSTREAM_FAILED
        || s == TaskState.KILLED;
  }

  /** Why a task's trigger rule cannot be met, naming each upstream task's state and edge. */
  public static String unmetReason(
      TaskGraph graph, String task, Function<String, Attempt> upstream) {
    StringBuilder sb =
        new StringBuilder("trigger rule ")
            .append(graph.triggerRule(task))
            .append(" cannot be met:");
    for (Edge e : graph.incoming(task)) {
      Attempt a = upstream.apply(e.from());
      sb.append(' ')
          .append(e.from())
          .append(" is ")
          .append(a == null ? null : a.state())
          .append(" (edge on ")
          .append(e.on())
          .append(')');
    }
    return sb.toString();
  }

  /**
   * The upstream tasks a waiting task still waits for, by id (sorted), each with its latest state
   * (null: unknown): those whose edge to it has not resolved. A RUNNING edge its upstream released
   * has resolved, except for a decision task, which waits for every upstream task to end.
   */
  public static SortedMap<String, TaskState> waitingFor(
      TaskGraph graph, String task, Function<String, Attempt> upstream) {
    boolean decision = graph.isDecision(task);
    SortedMap<String, TaskState> open = new TreeMap<>();
    for (Edge e : graph.incoming(task)) {
      Attempt a = upstream.apply(e.from());
      if (!ended(a) && (decision || !releasedThrough(e, a))) {
        open.put(e.from(), a == null ? null : a.state());
      }
    }
    return open;
  }

  /**
   * How many of the task's incoming edges have not resolved yet: an edge resolves when its upstream
   * task's latest attempt ended (a failure that gets a retry has not), or, into a task that is not
   * a decision, when that attempt released it as a RUNNING edge. What a waiting attempt keeps as
   * its fan-in counter, so that an arriving outcome need not read every upstream task.
   */
  public static int openEdges(TaskGraph graph, String task, Function<String, Attempt> upstream) {
    int open = 0;
    for (Edge e : graph.incoming(task)) {
      Attempt a = upstream.apply(e.from());
      if (!ended(a) && !releasedInto(graph, e, a)) {
        open++;
      }
    }
    return open;
  }

  /**
   * Whether {@code e} resolved by the latest fact of its upstream task, whose latest attempt is
   * {@code upstream}: its end, or its release of the task's RUNNING edges. An edge a release
   * resolved does not resolve again when the attempt ends.
   */
  public static boolean resolvedBy(TaskGraph graph, Edge e, Attempt upstream) {
    boolean byRelease = releasedInto(graph, e, upstream);
    return ended(upstream) ? !byRelease : byRelease;
  }

  /**
   * Whether a waiting task with {@code open} unresolved edges left (see {@link #openEdges}) may be
   * decided now that some of its edges resolved ({@code anyFired}, {@code anyUnfired}: whether one
   * of them fired, or did not). Always once none is open; before that only when one edge can decide
   * the rule alone: ALL_MATCHED on an edge that did not fire (it can no longer be met), ANY_MATCHED
   * on one that fired, ANY_DONE on any; ALL_DONE and a decision task never. When this is false,
   * {@link #decide} would say WAIT, provided the task waited before these edges resolved and {@code
   * open} is not below the truth.
   */
  public static boolean mayDecide(
      TriggerRule rule, boolean decision, int open, boolean anyFired, boolean anyUnfired) {
    if (open <= 0) {
      return true;
    }
    if (decision) {
      return false;
    }
    return switch (rule) {
      case ALL_MATCHED -> anyUnfired;
      case ANY_MATCHED -> anyFired;
      case ANY_DONE -> true;
      case ALL_DONE -> false;
    };
  }

  /** The task's incoming edges with their upstream states and whether each fired. */
  public static List<EdgeState> edges(
      TaskGraph graph, String task, Function<String, Attempt> upstream) {
    List<Edge> in = graph.incoming(task);
    List<EdgeState> out = new ArrayList<>(in.size());
    for (Edge e : in) {
      Attempt a = upstream.apply(e.from());
      out.add(new EdgeState(e, a == null ? TaskState.WAITING : a.state(), fired(e, a)));
    }
    return out;
  }

  private static boolean releasedThrough(Edge e, Attempt upstream) {
    return e.on() == EdgeCondition.RUNNING && upstream != null && upstream.released();
  }

  /** Whether a release resolved {@code e}: a RUNNING edge into a task that is not a decision. */
  private static boolean releasedInto(TaskGraph graph, Edge e, Attempt upstream) {
    return releasedThrough(e, upstream) && !graph.isDecision(e.to());
  }

  private static boolean ended(Attempt a) {
    return a != null && a.state().isFinal();
  }
}

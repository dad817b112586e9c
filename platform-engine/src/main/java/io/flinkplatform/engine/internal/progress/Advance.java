package io.flinkplatform.engine.internal.progress;

import io.flinkplatform.engine.dag.Edge;
import io.flinkplatform.engine.dag.EdgeCondition;
import io.flinkplatform.engine.internal.definition.Dag;
import io.flinkplatform.engine.run.TaskState;
import io.flinkplatform.spi.TaskType;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/** The trigger-rule decision for one waiting task, given the states of its upstream tasks. */
public final class Advance {
  public enum Decision {
    WAIT,
    READY,
    SKIPPED,
    UPSTREAM_FAILED
  }

  private Advance() {}

  public static Decision decide(Dag dag, String taskId, Function<String, TaskState> stateOf) {
    return decide(dag, taskId, stateOf, t -> null, t -> false);
  }

  /**
   * The decision, where {@code branchesOf} gives the downstream ids an upstream success chose
   * ({@code null}: no choice). A task whose type evaluates its upstream outcomes itself (a
   * condition) becomes READY once every upstream task ended, whatever the outcomes. {@code
   * released} says which upstream tasks released their downstream tasks while running: a RUNNING
   * edge from such a task has fired.
   */
  public static Decision decide(
      Dag dag,
      String taskId,
      Function<String, TaskState> stateOf,
      Function<String, Set<String>> branchesOf,
      Predicate<String> released) {
    List<Edge> in = dag.incoming.get(taskId);
    TaskType type = dag.types.get(taskId);
    if (type != null && type.evaluatesUpstream()) {
      boolean allDone =
          in.stream()
              .allMatch(
                  e -> {
                    TaskState s = stateOf.apply(e.from());
                    return s != null && s.isFinal();
                  });
      return allDone ? Decision.READY : Decision.WAIT;
    }
    int matched = 0;
    int unmatched = 0;
    int done = 0;
    boolean failedUpstream = false;
    for (Edge e : in) {
      TaskState s = stateOf.apply(e.from());
      if (e.on() == EdgeCondition.RUNNING && released.test(e.from())) {
        done++;
        matched++;
        continue;
      }
      if (s == null || !s.isFinal()) {
        continue;
      }
      done++;
      if (Branches.fires(e, s, branchesOf.apply(e.from()))) {
        matched++;
      } else {
        unmatched++;
        failedUpstream |=
            (s == TaskState.FAILED && !Branches.isDecision(dag, e.from()))
                || s == TaskState.UPSTREAM_FAILED
                || s == TaskState.KILLED;
      }
    }
    int n = in.size();
    boolean unrunnable;
    switch (dag.tasks.get(taskId).triggerRule()) {
      case ALL_MATCHED:
        if (matched == n) {
          return Decision.READY;
        }
        unrunnable = unmatched > 0;
        break;
      case ANY_MATCHED:
        if (matched > 0) {
          return Decision.READY;
        }
        unrunnable = done == n;
        break;
      case ALL_DONE:
        return done == n ? Decision.READY : Decision.WAIT;
      case ANY_DONE:
        return done > 0 ? Decision.READY : Decision.WAIT;
      default:
        throw new AssertionError();
    }
    if (!unrunnable) {
      return Decision.WAIT;
    }
    return failedUpstream ? Decision.UPSTREAM_FAILED : Decision.SKIPPED;
  }

  /** Why a task's trigger rule cannot be met, naming each upstream task's state and edge. */
  public static String unmetReason(Dag dag, String task, Function<String, TaskState> stateOf) {
    StringBuilder sb =
        new StringBuilder("trigger rule ")
            .append(dag.tasks.get(task).triggerRule())
            .append(" cannot be met:");
    for (Edge e : dag.incoming.get(task)) {
      sb.append(' ')
          .append(e.from())
          .append(" is ")
          .append(stateOf.apply(e.from()))
          .append(" (edge on ")
          .append(e.on())
          .append(')');
    }
    return sb.toString();
  }

  static boolean matches(Edge e, TaskState upstream) {
    switch (e.on()) {
      case SUCCESS:
        return upstream == TaskState.SUCCESS;
      case FAILURE:
        return upstream == TaskState.FAILED;
      case ALWAYS:
        return upstream == TaskState.SUCCESS || upstream == TaskState.FAILED;
      case RUNNING:
        return upstream == TaskState.SUCCESS; // ended without releasing: it did its work
      default:
        throw new AssertionError();
    }
  }
}

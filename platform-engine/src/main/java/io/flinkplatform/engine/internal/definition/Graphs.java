package io.flinkplatform.engine.internal.definition;

import io.flinkplatform.engine.dag.Edge;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Walks over a deployed DAG: closures up and down, and a topological order. */
public final class Graphs {
  private Graphs() {}

  /** {@code from} and every task that depends on one of them, directly or not. */
  public static Set<String> downstreamClosure(Dag dag, Set<String> from) {
    Set<String> out = new LinkedHashSet<>(from);
    Deque<String> todo = new ArrayDeque<>(from);
    while (!todo.isEmpty()) {
      for (Edge e : dag.outgoing.get(todo.poll())) {
        if (out.add(e.to())) {
          todo.add(e.to());
        }
      }
    }
    return out;
  }

  /** {@code task} and every task it depends on, directly or not. */
  public static Set<String> upstreamClosure(Dag dag, String task) {
    Set<String> out = new LinkedHashSet<>(List.of(task));
    Deque<String> todo = new ArrayDeque<>(out);
    while (!todo.isEmpty()) {
      for (Edge e : dag.incoming.get(todo.poll())) {
        if (out.add(e.from())) {
          todo.add(e.from());
        }
      }
    }
    return out;
  }

  /** Every task, each after all its upstream tasks (deployed DAGs have no cycles). */
  public static List<String> topologicalOrder(Dag dag) {
    Map<String, Integer> indegree = new HashMap<>();
    Deque<String> ready = new ArrayDeque<>();
    for (String t : dag.tasks.keySet()) {
      int n = dag.incoming.get(t).size();
      indegree.put(t, n);
      if (n == 0) {
        ready.add(t);
      }
    }
    List<String> order = new ArrayList<>(dag.tasks.size());
    while (!ready.isEmpty()) {
      String t = ready.poll();
      order.add(t);
      for (Edge e : dag.outgoing.get(t)) {
        if (indegree.merge(e.to(), -1, Integer::sum) == 0) {
          ready.add(e.to());
        }
      }
    }
    return order;
  }
}

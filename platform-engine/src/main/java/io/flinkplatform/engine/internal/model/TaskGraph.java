package io.flinkplatform.engine.internal.model;

import static java.util.Objects.requireNonNull;

import io.flinkplatform.engine.dag.Edge;
import io.flinkplatform.engine.dag.EdgeCondition;
import io.flinkplatform.engine.dag.RetryPolicy;
import io.flinkplatform.engine.dag.TaskDefinition;
import io.flinkplatform.engine.dag.TriggerRule;
import io.flinkplatform.engine.dag.Workflow;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The shape of one workflow version as run decisions need it: each task's trigger rule, retry
 * policy and whether it is a decision (its type evaluates its upstream outcomes itself, as a
 * condition does), its incoming and outgoing edges, and a topological order. Built once per version
 * and shared by every run of it; every lookup is a map read.
 */
public final class TaskGraph {
  private final Map<String, Node> nodes;
  private final List<String> topologicalOrder;

  private record Node(
      TaskDefinition definition,
      boolean decision,
      List<Edge> incoming,
      List<Edge> outgoing,
      List<String> downstream,
      boolean failureHandled) {}

  private TaskGraph(Map<String, Node> nodes, List<String> topologicalOrder) {
    this.nodes = nodes;
    this.topologicalOrder = topologicalOrder;
  }

  /**
   * The graph of {@code workflow}, where {@code decisions} names the tasks whose type evaluates its
   * upstream outcomes itself.
   */
  public static TaskGraph of(Workflow workflow, Set<String> decisions) {
    requireNonNull(decisions, "decisions is null");
    Map<String, List<Edge>> in = new HashMap<>();
    Map<String, List<Edge>> out = new HashMap<>();
    for (Edge e : workflow.edges()) {
      in.computeIfAbsent(e.to(), k -> new ArrayList<>()).add(e);
      out.computeIfAbsent(e.from(), k -> new ArrayList<>()).add(e);
    }
    Map<String, Node> nodes = new LinkedHashMap<>();
    for (TaskDefinition t : workflow.tasks()) {
      List<Edge> incoming = List.copyOf(in.getOrDefault(t.id(), List.of()));
      List<Edge> outgoing = List.copyOf(out.getOrDefault(t.id(), List.of()));
      Set<String> downstream = new LinkedHashSet<>();
      boolean handled = false;
      for (Edge e : outgoing) {
        downstream.add(e.to());
        handled |= e.on() == EdgeCondition.FAILURE || e.on() == EdgeCondition.ALWAYS;
      }
      nodes.put(
          t.id(),
          new Node(
              t, decisions.contains(t.id()), incoming, outgoing, List.copyOf(downstream), handled));
    }
    return new TaskGraph(Collections.unmodifiableMap(nodes), List.copyOf(topologicalOrder(nodes)));
  }

  /** Every task, each after all its upstream tasks (deployed versions have no cycles). */
  private static List<String> topologicalOrder(Map<String, Node> nodes) {
    Map<String, Integer> indegree = new HashMap<>();
    Deque<String> ready = new ArrayDeque<>();
    nodes.forEach(
        (t, n) -> {
          indegree.put(t, n.incoming.size());
          if (n.incoming.isEmpty()) {
            ready.add(t);
          }
        });
    List<String> order = new ArrayList<>(nodes.size());
    while (!ready.isEmpty()) {
      String t = ready.poll();
      order.add(t);
      for (Edge e : nodes.get(t).outgoing) {
        if (indegree.merge(e.to(), -1, Integer::sum) == 0) {
          ready.add(e.to());
        }
      }
    }
    return order;
  }

  /** The task ids, in the workflow's order. */
  public Set<String> tasks() {
    return nodes.keySet();
  }

  public TriggerRule triggerRule(String task) {
    return node(task).definition.triggerRule();
  }

  public RetryPolicy retry(String task) {
    return node(task).definition.retry();
  }

  /**
   * Whether the task is a decision: its type evaluates its upstream outcomes (a condition), so it
   * ignores its trigger rule, and its failure means "false", not an error.
   */
  public boolean isDecision(String task) {
    Node n = nodes.get(task);
    return n != null && n.decision;
  }

  /** Whether the task has no incoming edge: it is READY as soon as its run starts. */
  public boolean isRoot(String task) {
    return incoming(task).isEmpty();
  }

  /** The edges into the task, in the workflow's order; empty for an unknown task. */
  public List<Edge> incoming(String task) {
    Node n = nodes.get(task);
    return n == null ? List.of() : n.incoming;
  }

  /** The edges out of the task, in the workflow's order; empty for an unknown task. */
  public List<Edge> outgoing(String task) {
    Node n = nodes.get(task);
    return n == null ? List.of() : n.outgoing;
  }

  /** The tasks an edge from {@code task} leads to, each once, in the workflow's order. */
  public List<String> downstream(String task) {
    Node n = nodes.get(task);
    return n == null ? List.of() : n.downstream;
  }

  /** Whether a failure of the task is handled by an outgoing FAILURE or ALWAYS edge. */
  public boolean failureHandled(String task) {
    Node n = nodes.get(task);
    return n != null && n.failureHandled;
  }

  /** Every task, each after all its upstream tasks. */
  public List<String> topologicalOrder() {
    return topologicalOrder;
  }

  /** {@code task} and every task it depends on, directly or not. */
  public Set<String> upstreamClosure(String task) {
    Set<String> out = new LinkedHashSet<>(List.of(task));
    Deque<String> todo = new ArrayDeque<>(out);
    while (!todo.isEmpty()) {
      for (Edge e : incoming(todo.poll())) {
        if (out.add(e.from())) {
          todo.add(e.from());
        }
      }
    }
    return out;
  }

  /** {@code from} and every task that depends on one of them, directly or not. */
  public Set<String> downstreamClosure(Collection<String> from) {
    Set<String> out = new LinkedHashSet<>(from);
    Deque<String> todo = new ArrayDeque<>(from);
    while (!todo.isEmpty()) {
      for (Edge e : outgoing(todo.poll())) {
        if (out.add(e.to())) {
          todo.add(e.to());
        }
      }
    }
    return out;
  }

  private Node node(String task) {
    Node n = nodes.get(task);
    if (n == null) {
      throw new IllegalArgumentException("'" + task + "' is not a task of this workflow version");
    }
    return n;
  }
}

package io.flinkplatform.engine.internal.definition;

import io.flinkplatform.engine.dag.TaskDefinition;
import io.flinkplatform.engine.dag.Workflow;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds a cycle in a workflow's edges, iteratively so that a chain of thousands of tasks does not
 * overflow the stack, and names it as a path that starts and ends on one task.
 */
final class Cycles {
  private Cycles() {}

  /**
   * Depth-first search; returns the first cycle found as a path that starts and ends on one task.
   */
  static Optional<List<String>> find(Workflow w) {
    Map<String, List<String>> next = new HashMap<>();
    w.edges().forEach(e -> next.computeIfAbsent(e.from(), k -> new ArrayList<>()).add(e.to()));
    Map<String, Integer> color = new HashMap<>(); // 1 = on stack, 2 = done
    for (TaskDefinition start : w.tasks()) {
      LinkedHashSet<String> stack = new LinkedHashSet<>();
      List<String> cycle = visit(start.id(), next, color, stack);
      if (cycle != null) {
        return Optional.of(cycle);
      }
    }
    return Optional.empty();
  }

  private static List<String> visit(
      String node,
      Map<String, List<String>> next,
      Map<String, Integer> color,
      LinkedHashSet<String> stack) {
    // Iterative DFS so that deep DAGs (thousands of tasks in a chain) do not overflow the stack.
    record Frame(String node, Iterator<String> children) {}
    if (color.getOrDefault(node, 0) != 0) {
      return null;
    }
    ArrayDeque<Frame> frames = new ArrayDeque<>();
    frames.push(new Frame(node, next.getOrDefault(node, List.of()).iterator()));
    color.put(node, 1);
    stack.add(node);
    while (!frames.isEmpty()) {
      Frame f = frames.peek();
      if (f.children().hasNext()) {
        String child = f.children().next();
        int c = color.getOrDefault(child, 0);
        if (c == 1) {
          List<String> path = new ArrayList<>();
          boolean on = false;
          for (String s : stack) {
            on |= s.equals(child);
            if (on) {
              path.add(s);
            }
          }
          path.add(child);
          return path;
        }
        if (c == 0) {
          color.put(child, 1);
          stack.add(child);
          frames.push(new Frame(child, next.getOrDefault(child, List.of()).iterator()));
        }
      } else {
        frames.pop();
        color.put(f.node(), 2);
        stack.remove(f.node());
      }
    }
    return null;
  }
}

package io.flinkplatform.engine.internal.model;

import io.flinkplatform.engine.dag.EdgeCondition;
import io.flinkplatform.engine.dag.RetryPolicy;
import io.flinkplatform.engine.dag.TriggerRule;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.run.TaskState;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Small workflows for the model's tests, written as lines such as {@code "c ALL_MATCHED <- a
 * SUCCESS, b FAILURE"}, and attempts written as short state codes.
 */
final class Fixtures {
  static final Duration SECOND = Duration.ofSeconds(1);

  private Fixtures() {}

  /**
   * A graph from lines {@code "task [RULE] [decision] [retry=N] [<- up COND, up COND]"}; tasks
   * named only as upstream are roots. A task marked {@code decision} evaluates its upstream.
   */
  static TaskGraph graph(String... lines) {
    Workflow.Builder w = Workflow.builder("w");
    Set<String> decisions = new HashSet<>();
    Map<String, String> specs = new LinkedHashMap<>();
    for (String line : lines) {
      String[] parts = line.split("<-");
      String[] head = parts[0].trim().split("\\s+");
      specs.put(head[0], line);
      if (parts.length > 1) {
        for (String up : parts[1].split(",")) {
          specs.putIfAbsent(up.trim().split("\\s+")[0], null);
        }
      }
    }
    // roots named only as upstream come first, then the tasks in the order given
    specs.forEach(
        (id, line) -> {
          if (line == null) {
            w.task(id, "shell");
          }
        });
    specs.forEach(
        (id, line) -> {
          if (line == null) {
            return;
          }
          String[] parts = line.split("<-");
          String[] head = parts[0].trim().split("\\s+");
          w.task(
              id,
              "shell",
              t -> {
                for (int i = 1; i < head.length; i++) {
                  if (head[i].equals("decision")) {
                    decisions.add(id);
                  } else if (head[i].startsWith("retry=")) {
                    t.retry(RetryPolicy.fixed(Integer.parseInt(head[i].substring(6)), SECOND));
                  } else {
                    t.triggerRule(TriggerRule.valueOf(head[i]));
                  }
                }
                if (parts.length > 1) {
                  for (String up : parts[1].split(",")) {
                    String[] u = up.trim().split("\\s+");
                    t.after(
                        u[0], u.length > 1 ? EdgeCondition.valueOf(u[1]) : EdgeCondition.SUCCESS);
                  }
                }
              });
        });
    return TaskGraph.of(w.build(), decisions);
  }

  /**
   * An attempt from a code: {@code -} unknown (null), a state's first three letters ({@code SUC},
   * {@code FAI}, {@code UPF} for UPSTREAM_FAILED ...), with {@code *} for released and {@code [x
   * y]} for the branches a success chose.
   */
  static Attempt attempt(String code) {
    code = code.trim();
    if (code.equals("-")) {
      return null;
    }
    Set<String> branches = null;
    int bracket = code.indexOf('[');
    if (bracket >= 0) {
      String inner = code.substring(bracket + 1, code.indexOf(']')).trim();
      branches = inner.isEmpty() ? Set.of() : Set.of(inner.split("\\s+"));
      code = code.substring(0, bracket);
    }
    boolean released = code.endsWith("*");
    if (released) {
      code = code.substring(0, code.length() - 1);
    }
    return new Attempt(1, 1, 0, state(code), branches, released);
  }

  static TaskState state(String code) {
    return switch (code.trim()) {
      case "WAI" -> TaskState.WAITING;
      case "REA" -> TaskState.READY;
      case "RUN" -> TaskState.RUNNING;
      case "SUC" -> TaskState.SUCCESS;
      case "FAI" -> TaskState.FAILED;
      case "KIL" -> TaskState.KILLED;
      case "SKI" -> TaskState.SKIPPED;
      case "UPF" -> TaskState.UPSTREAM_FAILED;
      default -> throw new IllegalArgumentException(code);
    };
  }

  /** W, R, S or U: a verdict. */
  static Verdict verdict(String code) {
    return switch (code.trim()) {
      case "W" -> Verdict.WAIT;
      case "R" -> Verdict.READY;
      case "S" -> Verdict.SKIPPED;
      case "U" -> Verdict.UPSTREAM_FAILED;
      default -> throw new IllegalArgumentException(code);
    };
  }

  /** Upstream attempts by task, from pairs "task=CODE". */
  static Function<String, Attempt> upstream(String... pairs) {
    Map<String, Attempt> m = new LinkedHashMap<>();
    for (String p : pairs) {
      String[] kv = p.split("=", 2);
      Attempt a = attempt(kv[1]);
      if (a != null) {
        m.put(kv[0].trim(), a);
      }
    }
    return m::get;
  }

  /** A running-run model of {@code graph} that knows the attempts "task=CODE", numbered 1. */
  static RunModel model(TaskGraph graph, String... pairs) {
    RunModel m = RunModel.running(graph);
    load(m, pairs);
    return m;
  }

  static void load(RunModel m, String... pairs) {
    long id = 100;
    for (String p : pairs) {
      String[] kv = p.split("=", 2);
      Attempt a = attempt(kv[1]);
      m.load(
          kv[0].trim(),
          new Attempt(id++, a.number(), a.rerunBase(), a.state(), a.branches(), a.released()));
    }
  }
}

package io.flinkplatform.engine.cluster;

import io.flinkplatform.engine.PlatformClient;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.run.TaskAttempt;
import io.flinkplatform.engine.run.TaskState;
import io.flinkplatform.engine.testing.IntervalRecorder.Execution;
import io.flinkplatform.engine.testing.TestTasks;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** What the cluster tests check on the recorded executions and the stored attempts. */
final class ClusterChecks {
  private ClusterChecks() {}

  /**
   * A DAG of {@code 2 + 2 * width + 2} interval tasks: root, a fan-out of {@code width}, a join,
   * another fan-out, a join and a sink. Each task sleeps 50-300 ms.
   */
  static Workflow fanOutFanIn(String name, int width, String url) {
    Workflow.Builder b =
        Workflow.builder(name).parameter(TestTasks.Interval.URL, url).task("root", "interval");
    String[] first = new String[width];
    String[] second = new String[width];
    for (int i = 0; i < width; i++) {
      first[i] = "a" + i;
      b.task(first[i], "interval", t -> t.after("root"));
    }
    b.task("join1", "interval", t -> t.after(first));
    for (int i = 0; i < width; i++) {
      second[i] = "b" + i;
      b.task(second[i], "interval", t -> t.after("join1"));
    }
    b.task("join2", "interval", t -> t.after(second));
    b.task("sink", "interval", t -> t.after("join2"));
    return b.build();
  }

  /**
   * Problems with the executions: two executions under one claim (same attempt and epoch), an
   * execution that never ended on an instance that was not killed, or executions of one task that
   * overlap in time. An execution of a killed instance that never ended ends at its kill time.
   */
  static List<String> overlaps(List<Execution> all, Map<String, Long> killedAt) {
    List<String> problems = new ArrayList<>();
    Map<String, List<Execution>> byClaim =
        all.stream().collect(Collectors.groupingBy(e -> e.attemptId() + "@" + e.epoch()));
    byClaim.forEach(
        (k, v) -> {
          if (v.size() > 1) {
            problems.add("attempt@epoch " + k + " executed " + v.size() + " times: " + v);
          }
        });
    for (Execution e : all) {
      if (e.endedMs().isEmpty() && !killedAt.containsKey(e.instance())) {
        problems.add("execution never ended on a live instance: " + e);
      }
    }
    Map<String, List<Execution>> byTask =
        all.stream().collect(Collectors.groupingBy(e -> e.runId() + "/" + e.taskId()));
    byTask.forEach(
        (task, list) -> {
          list.sort(
              Comparator.comparingInt(Execution::attempt)
                  .thenComparingLong(Execution::epoch)
                  .thenComparingLong(Execution::startedMs));
          long endSoFar = Long.MIN_VALUE;
          Execution holder = null;
          for (Execution e : list) {
            if (holder != null && e.startedMs() < endSoFar) {
              problems.add(
                  "task "
                      + task
                      + ": "
                      + e
                      + " started "
                      + (endSoFar - e.startedMs())
                      + " ms before the end of "
                      + holder);
            }
            long end = end(e, killedAt);
            if (end > endSoFar) {
              endSoFar = end;
              holder = e;
            }
          }
        });
    return problems;
  }

  static long end(Execution e, Map<String, Long> killedAt) {
    return e.endedMs().orElseGet(() -> killedAt.getOrDefault(e.instance(), Long.MAX_VALUE));
  }

  /**
   * Problems with a run that should have succeeded: a task of {@code tasks} without exactly one
   * SUCCESS attempt, an attempt that is not SUCCESS, or a SUCCESS whose claim (attempt and epoch)
   * has no recorded execution that succeeded.
   */
  static List<String> exactlyOnce(
      PlatformClient client,
      long run,
      Set<String> tasks,
      Map<Long, Map<Long, Execution>> executionsByAttempt) {
    List<String> problems = new ArrayList<>();
    List<TaskAttempt> attempts = client.attempts(run);
    Map<String, Long> successes = new TreeMap<>();
    tasks.forEach(t -> successes.put(t, 0L));
    for (TaskAttempt a : attempts) {
      if (a.state() != TaskState.SUCCESS) {
        problems.add("run " + run + ": attempt is " + a.state() + ": " + a);
        continue;
      }
      successes.merge(a.taskId(), 1L, Long::sum);
      Execution e = executionsByAttempt.getOrDefault(a.id(), Map.of()).get(a.epoch());
      if (e == null || !e.outcome().orElse("").equals("success")) {
        problems.add(
            "run "
                + run
                + ": SUCCESS of "
                + a
                + " was committed without a successful execution "
                + "under its epoch: "
                + e);
      }
    }
    successes.forEach(
        (t, n) -> {
          if (n != 1) {
            problems.add("run " + run + ": task " + t + " has " + n + " SUCCESS attempts");
          }
        });
    return problems;
  }

  /** Executions by attempt id, then epoch. */
  static Map<Long, Map<Long, Execution>> byAttempt(List<Execution> all) {
    Map<Long, Map<Long, Execution>> out = new HashMap<>();
    all.forEach(e -> out.computeIfAbsent(e.attemptId(), k -> new HashMap<>()).put(e.epoch(), e));
    return out;
  }
}

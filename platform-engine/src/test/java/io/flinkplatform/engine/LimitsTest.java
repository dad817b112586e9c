package io.flinkplatform.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flinkplatform.engine.dag.RetryPolicy;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.dag.Workflow.TaskSpec;
import io.flinkplatform.engine.run.Explanation;
import io.flinkplatform.engine.run.Explanation.Code;
import io.flinkplatform.engine.run.Explanation.TaskExplanation;
import io.flinkplatform.engine.run.Limit;
import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.run.TaskAttempt;
import io.flinkplatform.engine.run.TaskState;
import io.flinkplatform.engine.run.WorkflowRun;
import io.flinkplatform.engine.testing.Await;
import io.flinkplatform.engine.testing.TestPlatforms;
import io.flinkplatform.engine.testing.TestTasks;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Pools, task type and workflow limits, labels, priorities and explain(), across instances. */
class LimitsTest {

  /** The most intervals [start, end) open at one instant. */
  private static int maxOverlap(List<Instant[]> intervals) {
    List<long[]> points = new ArrayList<>();
    for (Instant[] i : intervals) {
      points.add(new long[] {i[0].toEpochMilli(), 1});
      points.add(new long[] {i[1].toEpochMilli(), -1});
    }
    points.sort(Comparator.<long[]>comparingLong(p -> p[0]).thenComparingLong(p -> p[1]));
    int open = 0;
    int max = 0;
    for (long[] p : points) {
      open += (int) p[1];
      max = Math.max(max, open);
    }
    return max;
  }

  private static List<Instant[]> taskIntervals(PlatformClient c, long... runs) {
    List<Instant[]> out = new ArrayList<>();
    for (long run : runs) {
      for (TaskAttempt a : c.attempts(run)) {
        out.add(new Instant[] {a.startedAt().orElseThrow(), a.endedAt().orElseThrow()});
      }
    }
    return out;
  }

  private static Optional<TaskExplanation> task(Explanation e, String id) {
    return e.tasks().stream().filter(t -> t.taskId().equals(id)).findFirst();
  }

  private static boolean hasReason(PlatformClient c, long run, String task, Code code) {
    return task(c.explain(run), task)
        .map(t -> t.reasons().stream().anyMatch(r -> r.code() == code))
        .orElse(false);
  }

  /** {@code n} independent tasks "s0", "s1", ... of {@code type}, each set up by {@code spec}. */
  private static Workflow parallel(String name, int n, String type, Consumer<TaskSpec> spec) {
    Workflow.Builder b = Workflow.builder(name);
    for (int i = 0; i < n; i++) {
      b.task("s" + i, type, spec);
    }
    return b.build();
  }

  @Test
  void namedPoolHoldsAcrossTwoInstancesAndExplainSaysPoolFull() throws Exception {
    try (TestPlatforms platforms = new TestPlatforms()) {
      // three instances of one worker thread each: three could run at once, the pool allows two,
      // and no instance can hold both slots, so slots are taken across instances
      PlatformClient c = platforms.start("a", b -> b.workerThreads(1)).client();
      platforms.start("b", b -> b.workerThreads(1));
      platforms.start("c", b -> b.workerThreads(1));
      c.setPool("etl", 2);
      c.deploy(parallel("pooled", 10, "sleep", t -> t.option("duration", "400ms").pool("etl")));
      long run = c.trigger("pooled");
      Await.until(
          () ->
              c.attempts(run).stream()
                  .anyMatch(
                      a ->
                          a.state() == TaskState.READY
                              && hasReason(c, run, a.taskId(), Code.POOL_FULL)));
      assertThat(c.limits())
          .anySatisfy(
              l -> {
                assertThat(l.kind()).isEqualTo(Limit.Kind.POOL);
                assertThat(l.name()).isEqualTo("etl");
                assertThat(l.slots()).isEqualTo(2);
                assertThat(l.running()).isBetween(0, 2);
              });
      assertThat(c.awaitRun(run, Duration.ofSeconds(60)).state()).isEqualTo(RunState.SUCCESS);
      assertThat(maxOverlap(taskIntervals(c, run))).isEqualTo(2);
      assertThat(
              c.attempts(run).stream()
                  .map(a -> a.owner().orElseThrow().split("#")[0])
                  .distinct()
                  .count())
          .as("instances that took slots of the one pool")
          .isGreaterThanOrEqualTo(2);
    }
  }

  @Test
  void taskTypeLimitAndWorkflowMaxParallelTasks() throws Exception {
    try (TestPlatforms platforms = new TestPlatforms()) {
      PlatformClient c = platforms.start("a", b -> b.workerThreads(8)).client();
      // the tasks wait at their gate, opened once the limit was seen holding the others back
      c.setTaskTypeLimit("gate", 1);
      c.deploy(parallel("typed", 4, "gate", t -> t.option("gate", "limits_typed")));
      long typed = c.trigger("typed");
      Await.until(
          () ->
              hasReason(c, typed, "s3", Code.TASK_TYPE_LIMIT)
                  || hasReason(c, typed, "s0", Code.TASK_TYPE_LIMIT));
      TestTasks.Gate.open("limits_typed");
      assertThat(c.awaitRun(typed, Duration.ofSeconds(60)).state()).isEqualTo(RunState.SUCCESS);
      assertThat(maxOverlap(taskIntervals(c, typed))).isEqualTo(1);
      assertThat(c.removeLimit(Limit.Kind.TASK_TYPE, "gate")).isTrue();

      Workflow limited =
          Workflow.builder("limited")
              .maxParallelTasks(3)
              .task("a", "gate", t -> t.option("gate", "limits_limited"))
              .task("b", "gate", t -> t.option("gate", "limits_limited"))
              .task("c", "gate", t -> t.option("gate", "limits_limited"))
              .task("d", "gate", t -> t.option("gate", "limits_limited"))
              .build();
      c.deploy(limited);
      long r1 = c.trigger("limited");
      long r2 = c.trigger("limited");
      Await.until(
          () ->
              c.explain(r2).tasks().stream()
                      .anyMatch(
                          t ->
                              t.reasons().stream()
                                  .anyMatch(r -> r.code() == Code.MAX_PARALLEL_TASKS))
                  || c.explain(r1).tasks().stream()
                      .anyMatch(
                          t ->
                              t.reasons().stream()
                                  .anyMatch(r -> r.code() == Code.MAX_PARALLEL_TASKS)));
      TestTasks.Gate.open("limits_limited");
      c.awaitRun(r1, Duration.ofSeconds(60));
      assertThat(c.awaitRun(r2, Duration.ofSeconds(60)).state()).isEqualTo(RunState.SUCCESS);
      assertThat(maxOverlap(taskIntervals(c, r1, r2))).isEqualTo(3);
      assertThatThrownBy(() -> c.setPool("bad name", 1))
          .isInstanceOf(InvalidRequestException.class)
          .hasMessageContaining("name");
      assertThatThrownBy(() -> c.setPool("etl", 0))
          .isInstanceOf(InvalidRequestException.class)
          .hasMessageContaining("slots");
    }
  }

  @Test
  void maxActiveRunsHoldsRunsInCreatedAndStartsThemInOrder() throws Exception {
    try (TestPlatforms platforms = new TestPlatforms()) {
      PlatformClient c = platforms.start("a").client();
      platforms.start("b");
      c.deploy(
          Workflow.builder("one_at_a_time")
              .maxActiveRuns(1)
              .task("s", "sleep", t -> t.option("duration", "300ms"))
              .build());
      List<Long> runs = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        runs.add(c.trigger("one_at_a_time"));
      }
      Explanation held = c.explain(runs.get(3));
      assertThat(held.state()).isEqualTo(RunState.CREATED);
      assertThat(held.run().orElseThrow().code()).isEqualTo(Code.MAX_ACTIVE_RUNS);
      List<Instant[]> intervals = new ArrayList<>();
      for (long r : runs) {
        WorkflowRun done = c.awaitRun(r, Duration.ofSeconds(60));
        assertThat(done.state()).isEqualTo(RunState.SUCCESS);
        intervals.add(new Instant[] {done.startedAt().orElseThrow(), done.endedAt().orElseThrow()});
      }
      assertThat(maxOverlap(intervals)).isEqualTo(1);
      for (int i = 1; i < intervals.size(); i++) {
        assertThat(intervals.get(i)[0]).isAfterOrEqualTo(intervals.get(i - 1)[1]);
      }
    }
  }

  @Test
  void labelledTasksRunOnlyWhereTheLabelIsAndExplainNamesMissingLabelsAndTypes() throws Exception {
    try (TestPlatforms platforms = new TestPlatforms()) {
      PlatformClient c = platforms.start("reader", b -> b.workerThreads(0)).client();
      c.deploy(
          Workflow.builder("labelled")
              .task("yarn", "noop", t -> t.label("has-yarn-conf"))
              .task("anywhere", "noop")
              .build());
      long run = c.trigger("labelled");
      Await.until(() -> hasReason(c, run, "anywhere", Code.NO_INSTANCE_WITH_TASK_TYPE));
      platforms.start("plain");
      Await.until(
          () ->
              c.attempts(run).stream()
                  .anyMatch(a -> a.taskId().equals("anywhere") && a.state() == TaskState.SUCCESS));
      assertThat(hasReason(c, run, "yarn", Code.NO_INSTANCE_WITH_LABEL)).isTrue();
      platforms.start("yarn-host", b -> b.labels("has-yarn-conf"));
      assertThat(c.awaitRun(run, Duration.ofSeconds(30)).state()).isEqualTo(RunState.SUCCESS);
      TaskAttempt yarn =
          c.attempts(run).stream().filter(a -> a.taskId().equals("yarn")).findFirst().orElseThrow();
      assertThat(yarn.owner().orElseThrow()).startsWith("yarn-host#");
    }
  }

  @Test
  void explainShowsUpstreamBackoffPriorityRunningAndAgeing() throws Exception {
    try (TestPlatforms platforms = new TestPlatforms()) {
      PlatformClient c =
          platforms
              // no claims ahead: "low" waits READY (and ages) while "blocker" holds the thread
              .start(
                  "one",
                  b -> b.workerThreads(1).claimAhead(0).priorityAgeing(Duration.ofMillis(300)))
              .client();
      // "blocker" holds the thread at its gate until the reasons below were seen
      c.deploy(
          Workflow.builder("busy")
              .task("blocker", "gate", t -> t.option("gate", "limits_blocker").priority(100))
              .task("low", "noop", t -> t.priority(-5))
              .task("flaky", "fail", t -> t.retry(RetryPolicy.fixed(1, Duration.ofSeconds(30))))
              .task("after", "noop", t -> t.after("blocker"))
              .build());
      long run = c.trigger("busy");
      Await.until(() -> hasReason(c, run, "blocker", Code.RUNNING));
      assertThat(hasReason(c, run, "after", Code.WAITING_FOR_UPSTREAM)).isTrue();
      assertThat(task(c.explain(run), "after").orElseThrow().reasons().get(0).detail())
          .contains("blocker");
      Await.until(
          () ->
              task(c.explain(run), "low")
                  .map(
                      t ->
                          t.reasons().stream()
                              .anyMatch(
                                  r -> r.code() == Code.PRIORITY && r.detail().contains("aged")))
                  .orElse(false));
      TestTasks.Gate.open("limits_blocker"); // "flaky" runs (and fails) once the thread is free
      Await.until(() -> hasReason(c, run, "flaky", Code.RETRY_BACKOFF));
      c.kill(run);
      c.awaitRun(run, Duration.ofSeconds(30));
    }
  }

  @Test
  void limitsListAWorkflowsMaxActiveRunsWithItsActiveRuns() throws Exception {
    try (TestPlatforms platforms = new TestPlatforms()) {
      PlatformClient c = platforms.start("a").client();
      c.deploy(
          Workflow.builder("capped")
              .maxActiveRuns(1)
              .task("s", "sleep", t -> t.option("duration", "1s"))
              .build());
      long first = c.trigger("capped");
      long second = c.trigger("capped");
      Await.until(() -> c.run(first).orElseThrow().state() == RunState.RUNNING);

      assertThat(c.limits())
          .singleElement()
          .satisfies(
              l -> {
                assertThat(l.kind()).isEqualTo(Limit.Kind.RUNS);
                assertThat(l.name()).isEqualTo("capped");
                assertThat(l.slots()).isEqualTo(1);
                assertThat(l.running()).isEqualTo(1);
              });
      assertThat(c.awaitRun(second, Duration.ofSeconds(30)).state()).isEqualTo(RunState.SUCCESS);
    }
  }
}

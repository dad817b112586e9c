package io.flinkplatform.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flinkplatform.engine.dag.EdgeCondition;
import io.flinkplatform.engine.dag.RetryPolicy;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.event.PlatformEvent;
import io.flinkplatform.engine.run.RerunRequest;
import io.flinkplatform.engine.run.RerunResult;
import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.run.TaskAttempt;
import io.flinkplatform.engine.run.TaskState;
import io.flinkplatform.engine.testing.Await;
import io.flinkplatform.engine.testing.ManualClock;
import io.flinkplatform.engine.testing.ManualPlatform;
import io.flinkplatform.engine.testing.TestPlatforms;
import io.flinkplatform.engine.testing.TestTasks;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Reruns of finished runs and manual marks, end to end against the real database. */
class RerunTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final List<PlatformEvent> EVENTS = new CopyOnWriteArrayList<>();
  private static TestPlatforms platforms;
  private static PlatformClient client;

  @BeforeAll
  static void start() {
    platforms = new TestPlatforms();
    client = platforms.start("rerun", b -> b.listener(EVENTS::add)).client();
  }

  @AfterAll
  static void stop() {
    platforms.close();
  }

  /** a -> b (fails its first attempt) -> c; a -> d; b -FAILURE-> alert. */
  private static Workflow failing(String name, String cValue) {
    return Workflow.builder(name)
        .task("a", "emit", t -> t.option("outputs", Map.of("x", "1")))
        .task("b", "fail", t -> t.option("failTimes", 1).after("a"))
        .task("c", "emit", t -> t.option("outputs", Map.of("v", cValue)).after("b"))
        .task("d", "noop", t -> t.after("a"))
        .task("alert", "noop", t -> t.after("b", EdgeCondition.FAILURE))
        .build();
  }

  /** a -> b -> c, and a -> d; all succeed and pass outputs on. */
  private static Workflow chain(String name) {
    return Workflow.builder(name)
        .task("a", "emit", t -> t.option("outputs", Map.of("x", "1")))
        .task("b", "emit", t -> t.after("a"))
        .task("c", "emit", t -> t.after("b"))
        .task("d", "noop", t -> t.after("a"))
        .build();
  }

  private static long runToEnd(Workflow w, RunState expected) {
    client.deploy(w);
    long id = client.trigger(w.name());
    assertThat(client.awaitRun(id, WAIT).state()).isEqualTo(expected);
    return id;
  }

  private static Map<String, List<TaskAttempt>> history(long runId) {
    return history(client, runId);
  }

  private static Map<String, List<TaskAttempt>> history(PlatformClient client, long runId) {
    Map<String, List<TaskAttempt>> h = new HashMap<>();
    client
        .attempts(runId)
        .forEach(a -> h.computeIfAbsent(a.taskId(), k -> new ArrayList<>()).add(a));
    h.values().forEach(l -> l.sort((x, y) -> Integer.compare(x.attempt(), y.attempt())));
    return h;
  }

  private static void awaitEvent(java.util.function.Predicate<PlatformEvent> p) {
    try {
      Await.until(() -> EVENTS.stream().anyMatch(p));
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  private static TaskAttempt latest(long runId, String task) {
    return latest(client, runId, task);
  }

  private static TaskAttempt latest(PlatformClient client, long runId, String task) {
    List<TaskAttempt> l = history(client, runId).get(task);
    return l.get(l.size() - 1);
  }

  /**
   * A {@link ManualPlatform} of its own for {@code test}, whose "stream" tasks keep running until
   * the test ends them, so that a run stays RUNNING exactly as long as the test needs.
   */
  private static void onManualPlatform(ManualTest test) throws Exception {
    TestTasks.Stream.reset(); // attempt ids start at 1 in the new database
    try (TestPlatforms own = new TestPlatforms()) {
      test.run(own.manual(new ManualClock(Instant.parse("2026-06-01T00:00:00Z")), b -> {}));
    } finally {
      TestTasks.Stream.reset();
    }
  }

  private interface ManualTest {
    void run(ManualPlatform platform) throws Exception;
  }

  @Test
  void failedTasksAndTheirDownstreamRunAgainOnThePinnedVersion() {
    long id = runToEnd(failing("rerun_failed", "v1"), RunState.FAILED);
    Map<String, List<TaskAttempt>> before = history(id);
    assertThat(before.get("c").get(0).state()).isEqualTo(TaskState.UPSTREAM_FAILED);
    assertThat(before.get("alert").get(0).state()).isEqualTo(TaskState.SUCCESS);
    client.deploy(failing("rerun_failed", "v2")); // a new version must not change the rerun

    RerunResult result = client.rerun(RerunRequest.failedTasks(id));

    assertThat(result.tasks()).containsExactly("b", "c", "alert");
    assertThat(result.runState()).isEqualTo(RunState.RUNNING);
    var run = client.awaitRun(id, WAIT);
    assertThat(run.state()).isEqualTo(RunState.SUCCESS);
    assertThat(run.workflowVersion()).isEqualTo(1);
    Map<String, List<TaskAttempt>> after = history(id);
    // history kept: the old attempts are untouched, the rerun added attempt 2
    assertThat(after.get("b"))
        .extracting(TaskAttempt::state)
        .containsExactly(TaskState.FAILED, TaskState.SUCCESS);
    assertThat(after.get("b").get(0)).isEqualTo(before.get("b").get(0));
    assertThat(after.get("c"))
        .extracting(TaskAttempt::state)
        .containsExactly(TaskState.UPSTREAM_FAILED, TaskState.SUCCESS);
    // b now succeeded, so the alert on its failure is skipped this time
    assertThat(after.get("alert"))
        .extracting(TaskAttempt::state)
        .containsExactly(TaskState.SUCCESS, TaskState.SKIPPED);
    // tasks not rerun keep their single attempt and outputs
    assertThat(after.get("a")).containsExactlyElementsOf(before.get("a"));
    assertThat(after.get("d")).containsExactlyElementsOf(before.get("d"));
    // c ran on version 1 and read b's new outputs (attempt 2), not the failed attempt's
    assertThat(after.get("c").get(1).outputs())
        .containsEntry("v", "v1")
        .containsEntry("seen.b.attempt", "2");
    awaitEvent( // events reach listeners on their own thread, after the commit
        e ->
            e instanceof PlatformEvent.RunStateChanged r
                && r.runId() == id
                && r.state() == RunState.SUCCESS);
    assertThat(EVENTS)
        .filteredOn(e -> e instanceof PlatformEvent.RunReopened r && r.runId() == id)
        .singleElement()
        .satisfies(
            e -> {
              PlatformEvent.RunReopened r = (PlatformEvent.RunReopened) e;
              assertThat(r.workflowName()).isEqualTo("rerun_failed");
              assertThat(r.what()).isEqualTo("rerun FAILED_TASKS");
              assertThat(r.tasks()).containsExactly("b", "c", "alert");
            });
    assertThat(EVENTS)
        .filteredOn(e -> e instanceof PlatformEvent.RunStateChanged r && r.runId() == id)
        .extracting(e -> ((PlatformEvent.RunStateChanged) e).state())
        .containsSubsequence(RunState.FAILED, RunState.RUNNING, RunState.SUCCESS);
  }

  @Test
  void oneTaskOnlyLeavesItsDownstreamAlone() {
    long id = runToEnd(chain("rerun_one"), RunState.SUCCESS);
    RerunResult result = client.rerun(RerunRequest.task(id, "b"));
    assertThat(result.tasks()).containsExactly("b");
    assertThat(client.awaitRun(id, WAIT).state()).isEqualTo(RunState.SUCCESS);
    Map<String, List<TaskAttempt>> h = history(id);
    assertThat(h.get("b")).extracting(TaskAttempt::attempt).containsExactly(1, 2);
    assertThat(h.get("b").get(1).state()).isEqualTo(TaskState.SUCCESS);
    assertThat(h.get("b").get(1).outputs()).containsEntry("seen.a.x", "1");
    assertThat(h.get("a")).hasSize(1);
    assertThat(h.get("c")).hasSize(1);
    assertThat(h.get("d")).hasSize(1);
  }

  @Test
  void aTaskWithItsUpstream() {
    long id = runToEnd(chain("rerun_up"), RunState.SUCCESS);
    RerunResult result = client.rerun(RerunRequest.taskWithUpstream(id, "c"));
    assertThat(result.tasks()).containsExactly("a", "b", "c");
    assertThat(client.awaitRun(id, WAIT).state()).isEqualTo(RunState.SUCCESS);
    Map<String, List<TaskAttempt>> h = history(id);
    for (String t : List.of("a", "b", "c")) {
      assertThat(h.get(t))
          .extracting(TaskAttempt::state)
          .as(t)
          .containsExactly(TaskState.SUCCESS, TaskState.SUCCESS);
    }
    assertThat(h.get("d")).hasSize(1);
  }

  @Test
  void aTaskWithItsDownstream() {
    long id = runToEnd(chain("rerun_down"), RunState.SUCCESS);
    RerunResult result = client.rerun(RerunRequest.taskWithDownstream(id, "b"));
    assertThat(result.tasks()).containsExactly("b", "c");
    assertThat(client.awaitRun(id, WAIT).state()).isEqualTo(RunState.SUCCESS);
    Map<String, List<TaskAttempt>> h = history(id);
    assertThat(h.get("b")).hasSize(2);
    assertThat(h.get("c")).hasSize(2);
    assertThat(h.get("c").get(1).startedAt().orElseThrow())
        .isAfterOrEqualTo(h.get("b").get(1).endedAt().orElseThrow());
    assertThat(h.get("a")).hasSize(1);
    assertThat(h.get("d")).hasSize(1);
  }

  @Test
  void aRerunGetsTheFullRetryBudgetAgain() {
    Workflow w =
        Workflow.builder("rerun_retry")
            .task(
                "t",
                "fail",
                t -> t.option("failTimes", 3).retry(RetryPolicy.fixed(1, Duration.ofMillis(10))))
            .build();
    long id = runToEnd(w, RunState.FAILED);
    assertThat(history(id).get("t")).hasSize(2); // the attempt and its one retry
    client.rerun(RerunRequest.failedTasks(id));
    assertThat(client.awaitRun(id, WAIT).state()).isEqualTo(RunState.SUCCESS);
    // attempt 3 (the rerun) failed and was retried once more as attempt 4, which succeeded
    assertThat(history(id).get("t"))
        .extracting(TaskAttempt::state)
        .containsExactly(TaskState.FAILED, TaskState.FAILED, TaskState.FAILED, TaskState.SUCCESS);
  }

  @Test
  void aRunThatIsNotFinishedIsRefused() throws Exception {
    onManualPlatform(
        platform -> {
          PlatformClient c = platform.client();
          Workflow w = Workflow.builder("rerun_busy").task("s", "stream").build();
          c.deploy(w);
          long id = c.trigger(w.name());
          platform.runUntilIdle();
          assertThat(latest(c, id, "s").state()).isEqualTo(TaskState.RUNNING);
          assertThatThrownBy(() -> c.rerun(RerunRequest.task(id, "s")))
              .isInstanceOfSatisfying(
                  RunNotFinishedException.class,
                  e -> {
                    assertThat(e.field()).isEqualTo("runId");
                    assertThat(e.runId()).isEqualTo(id);
                    assertThat(e.state()).isEqualTo(RunState.RUNNING);
                  })
              .hasMessageContaining("only a SUCCESS, FAILED or KILLED run can be rerun");
          assertThat(c.attempts(id)).hasSize(1);
          c.kill(id);
          platform.runUntilIdle();
          assertThat(c.run(id).orElseThrow().state()).isEqualTo(RunState.KILLED);
          // a killed run can be rerun: the killed task runs again
          c.rerun(RerunRequest.failedTasks(id));
          platform.runUntilIdle();
          assertThat(latest(c, id, "s").state()).isEqualTo(TaskState.RUNNING);
          c.kill(id);
          platform.runUntilIdle();
          assertThat(c.run(id).orElseThrow().state()).isEqualTo(RunState.KILLED);
          assertThat(history(c, id).get("s"))
              .extracting(TaskAttempt::state)
              .containsExactly(TaskState.KILLED, TaskState.KILLED);
        });
  }

  @Test
  void ofTwoConcurrentRerunsOnlyOneApplies() throws Exception {
    Workflow w =
        Workflow.builder("rerun_race")
            .task("b", "fail", t -> t.option("failTimes", 1))
            .task("c", "sleep", t -> t.option("duration", "1s").after("b"))
            .build();
    long id = runToEnd(w, RunState.FAILED);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      for (int round = 0; round < 1; round++) {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Object>> calls = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
          calls.add(
              pool.submit(
                  () -> {
                    go.await();
                    try {
                      return client.rerun(RerunRequest.failedTasks(id));
                    } catch (RunNotFinishedException e) {
                      return e;
                    }
                  }));
        }
        go.countDown();
        List<Object> outcomes = new ArrayList<>();
        for (Future<Object> f : calls) {
          outcomes.add(f.get());
        }
        assertThat(outcomes).filteredOn(o -> o instanceof RerunResult).hasSize(1);
        assertThat(outcomes)
            .filteredOn(o -> o instanceof RunNotFinishedException)
            .hasSize(3)
            .allSatisfy(
                o -> assertThat(((RunNotFinishedException) o).state()).isEqualTo(RunState.RUNNING));
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(client.awaitRun(id, WAIT).state()).isEqualTo(RunState.SUCCESS);
    Map<String, List<TaskAttempt>> h = history(id);
    assertThat(h.get("b")).extracting(TaskAttempt::attempt).containsExactly(1, 2);
    assertThat(h.get("c")).extracting(TaskAttempt::attempt).containsExactly(1, 2);
  }

  @Test
  void badRequestsNameTheFieldAndWriteNothing() {
    long id = runToEnd(chain("rerun_bad"), RunState.SUCCESS);
    int attempts = client.attempts(id).size();
    assertThatThrownBy(() -> client.rerun(RerunRequest.task(id, "nope")))
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("taskId"))
        .hasMessageContaining("'nope' is not a task of workflow 'rerun_bad' version 1")
        .hasMessageContaining("[a, b, c, d]");
    assertThatThrownBy(() -> client.rerun(RerunRequest.failedTasks(id)))
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("mode"))
        .hasMessageContaining("has no FAILED, UPSTREAM_FAILED or KILLED task");
    assertThatThrownBy(
            () ->
                client.rerun(
                    new RerunRequest(
                        id,
                        io.flinkplatform.engine.run.RerunMode.TASK,
                        java.util.Optional.empty())))
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("taskId"));
    assertThatThrownBy(() -> client.markTask(id, "b", TaskState.FAILED))
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("state"))
        .hasMessageContaining("SUCCESS or SKIPPED");
    assertThatThrownBy(() -> client.markTask(id, "b", TaskState.SUCCESS))
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("state"))
        .hasMessageContaining("already SUCCESS");
    assertThatThrownBy(() -> client.markTask(id, "zz", TaskState.SKIPPED))
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("taskId"));
    assertThatThrownBy(() -> client.rerun(RerunRequest.failedTasks(987_654_321L)))
        .isInstanceOf(NotFoundException.class);
    assertThat(client.attempts(id)).hasSize(attempts);
    assertThat(client.run(id).orElseThrow().state()).isEqualTo(RunState.SUCCESS);
  }

  @Test
  void aTaskThatCannotRunAloneIsRefused() {
    Workflow w =
        Workflow.builder("rerun_blocked")
            .task("b", "fail", t -> t.option("retryable", false))
            .task("c", "noop", t -> t.after("b"))
            .build();
    long id = runToEnd(w, RunState.FAILED);
    assertThatThrownBy(() -> client.rerun(RerunRequest.task(id, "c")))
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("taskId"))
        .hasMessageContaining("task 'c' would be UPSTREAM_FAILED");
    assertThat(client.attempts(id)).hasSize(2);
    assertThat(client.run(id).orElseThrow().state()).isEqualTo(RunState.FAILED);
  }

  @Test
  void markingAFailedTaskSuccessLetsItsDownstreamRun() {
    Workflow w =
        Workflow.builder("mark_finished")
            .task("a", "emit", t -> t.option("outputs", Map.of("x", "1")))
            .task("b", "fail", t -> t.option("retryable", false).after("a"))
            .task("c", "emit", t -> t.after("b"))
            .task("e", "noop", t -> t.after("c"))
            .build();
    long id = runToEnd(w, RunState.FAILED);
    RerunResult result = client.markTask(id, "b", TaskState.SUCCESS);
    assertThat(result.tasks()).containsExactly("b", "c", "e");
    assertThat(client.awaitRun(id, WAIT).state()).isEqualTo(RunState.SUCCESS);
    Map<String, List<TaskAttempt>> h = history(id);
    assertThat(h.get("b"))
        .extracting(TaskAttempt::state)
        .containsExactly(TaskState.FAILED, TaskState.SUCCESS);
    assertThat(h.get("b").get(1).message()).hasValue("marked SUCCESS by hand (was FAILED)");
    assertThat(h.get("b").get(1).startedAt()).isEmpty(); // it never ran
    assertThat(h.get("c"))
        .extracting(TaskAttempt::state)
        .containsExactly(TaskState.UPSTREAM_FAILED, TaskState.SUCCESS);
    assertThat(h.get("e").get(1).state()).isEqualTo(TaskState.SUCCESS);
    assertThat(h.get("a")).hasSize(1);
  }

  @Test
  void markingTheOnlyFailureSkippedClosesTheRunAgainAtOnce() {
    Workflow w =
        Workflow.builder("mark_close")
            .task("a", "noop")
            .task("b", "fail", t -> t.option("retryable", false))
            .build();
    long id = runToEnd(w, RunState.FAILED);
    RerunResult result = client.markTask(id, "b", TaskState.SKIPPED);
    assertThat(result.tasks()).containsExactly("b");
    assertThat(result.runState()).isEqualTo(RunState.SUCCESS);
    assertThat(client.run(id).orElseThrow().state()).isEqualTo(RunState.SUCCESS);
    assertThat(latest(id, "b").state()).isEqualTo(TaskState.SKIPPED);
  }

  @Test
  void inARunningRunATaskThatHasNotStartedCanBeMarked() throws Exception {
    onManualPlatform(
        platform -> {
          PlatformClient c = platform.client();
          Workflow w =
              Workflow.builder("mark_running")
                  .task("a", "stream")
                  .task("b", "noop", t -> t.after("a"))
                  .task("c", "emit", t -> t.after("b"))
                  .build();
          c.deploy(w);
          long id = c.trigger(w.name());
          platform.runUntilIdle();
          assertThat(latest(c, id, "a").state()).isEqualTo(TaskState.RUNNING);
          assertThatThrownBy(() -> c.markTask(id, "a", TaskState.SUCCESS))
              .isInstanceOfSatisfying(
                  InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("taskId"))
              .hasMessageContaining("is RUNNING");

          RerunResult result = c.markTask(id, "b", TaskState.SUCCESS);

          assertThat(result.runState()).isEqualTo(RunState.RUNNING);
          assertThat(result.tasks()).isEmpty(); // b's waiting attempt was ended, c was WAITING
          // c starts at once: b is done, whatever a does
          platform.runUntilIdle();
          assertThat(latest(c, id, "c").state()).isEqualTo(TaskState.SUCCESS);
          assertThat(latest(c, id, "a").state()).isEqualTo(TaskState.RUNNING);
          TestTasks.Stream.STOP.add(latest(c, id, "a").id());
          platform.runUntilIdle();
          assertThat(c.run(id).orElseThrow().state()).isEqualTo(RunState.SUCCESS);
          Map<String, List<TaskAttempt>> h = history(c, id);
          assertThat(h.get("b")).hasSize(1);
          assertThat(h.get("b").get(0).state()).isEqualTo(TaskState.SUCCESS);
          assertThat(h.get("b").get(0).message()).hasValue("marked SUCCESS by hand (was WAITING)");
          assertThat(h.get("c")).hasSize(1);
        });
  }

  /**
   * A switch chose a; x (upstream of b too) failed. b ended SKIPPED or UPSTREAM_FAILED, depending
   * on which of s and x ended first.
   */
  private static Workflow switched(String name) {
    return Workflow.builder(name)
        .task("s", "choose", t -> t.option("to", List.of("a")))
        .task("x", "fail", t -> t.option("retryable", false))
        .task("a", "noop", t -> t.after("s"))
        .task("b", "noop", t -> t.after("s").after("x"))
        .build();
  }

  @Test
  void markingATaskSuccessDoesNotReleaseTheBranchASwitchDidNotChoose() {
    long id = runToEnd(switched("mark_switch"), RunState.FAILED);
    assertThat(latest(id, "b").state()).isIn(TaskState.SKIPPED, TaskState.UPSTREAM_FAILED);

    RerunResult result = client.markTask(id, "x", TaskState.SUCCESS);

    assertThat(client.awaitRun(id, WAIT).state()).isEqualTo(RunState.SUCCESS);
    assertThat(result.tasks()).doesNotContain("a");
    assertThat(history(id).get("b"))
        .allSatisfy(a -> assertThat(a.startedAt()).isEmpty()) // b never ran
        .last()
        .satisfies(a -> assertThat(a.state()).isEqualTo(TaskState.SKIPPED));
    assertThat(history(id).get("a")).singleElement();
  }

  @Test
  void aRerunFromTheBranchASwitchDidNotChooseIsRefused() {
    Workflow w =
        Workflow.builder("rerun_switch")
            .task("s", "choose", t -> t.option("to", List.of("a")))
            .task("a", "noop", t -> t.after("s"))
            .task("b", "noop", t -> t.after("s"))
            .task("y", "fail", t -> t.option("retryable", false))
            .build();
    long id = runToEnd(w, RunState.FAILED);
    assertThat(latest(id, "b").state()).isEqualTo(TaskState.SKIPPED);
    for (RerunRequest r :
        List.of(RerunRequest.task(id, "b"), RerunRequest.taskWithDownstream(id, "b"))) {
      assertThatThrownBy(() -> client.rerun(r))
          .isInstanceOfSatisfying(
              InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("taskId"))
          .hasMessageContaining("task 'b' would be SKIPPED");
    }
    assertThat(history(id).get("b")).singleElement();
    assertThat(client.run(id).orElseThrow().state()).isEqualTo(RunState.FAILED);
  }

  @Test
  void rerunOfFailedTasksLeavesADecisionThatSaidNoAndItsBranchesAlone() {
    Workflow w =
        Workflow.builder("rerun_verdict")
            .task("v", "verdict", t -> t.option("holds", false))
            .task("yes", "noop", t -> t.after("v"))
            .task("no", "noop", t -> t.after("v", EdgeCondition.FAILURE))
            .task("x", "fail", t -> t.option("failTimes", 1).option("retryable", false))
            .build();
    long id = runToEnd(w, RunState.FAILED);
    assertThat(latest(id, "v").state()).isEqualTo(TaskState.FAILED);
    assertThat(latest(id, "yes").state()).isEqualTo(TaskState.SKIPPED);

    RerunResult result = client.rerun(RerunRequest.failedTasks(id));

    assertThat(result.tasks()).containsExactly("x");
    assertThat(client.awaitRun(id, WAIT).state()).isEqualTo(RunState.SUCCESS);
    Map<String, List<TaskAttempt>> h = history(id);
    assertThat(h.get("v")).singleElement();
    assertThat(h.get("yes")).singleElement();
    assertThat(h.get("no")).singleElement();
    assertThat(h.get("x")).hasSize(2);
  }

  @Test
  void aTaskAReleasedRunningEdgeStartedCanBeRerunAfterTheStreamEnded() throws Exception {
    Workflow w =
        Workflow.builder("rerun_released")
            .task("stream", "stream", t -> {})
            .task(
                "report",
                "fail",
                t ->
                    t.option("failTimes", 1)
                        .option("retryable", false)
                        .after("stream", EdgeCondition.RUNNING))
            .build();
    client.deploy(w);
    long id = client.trigger(w.name());
    Await.until(() -> latest(id, "report").state() == TaskState.FAILED);
    assertThat(client.kill(id)).isTrue();
    assertThat(client.awaitRun(id, WAIT).state()).isEqualTo(RunState.KILLED);
    assertThat(latest(id, "stream").state()).isEqualTo(TaskState.KILLED);

    RerunResult result = client.rerun(RerunRequest.task(id, "report"));

    assertThat(result.tasks()).containsExactly("report");
    client.awaitRun(id, WAIT);
    assertThat(latest(id, "report").state()).isEqualTo(TaskState.SUCCESS);
    assertThat(history(id).get("stream")).singleElement();
  }
}

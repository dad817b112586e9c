package io.flinkplatform.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinkplatform.engine.dag.EdgeCondition;
import io.flinkplatform.engine.dag.RetryPolicy;
import io.flinkplatform.engine.dag.TriggerRule;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.run.TaskAttempt;
import io.flinkplatform.engine.run.TaskState;
import io.flinkplatform.engine.run.TriggerRequest;
import io.flinkplatform.engine.run.WorkflowRun;
import io.flinkplatform.engine.testing.Await;
import io.flinkplatform.engine.testing.TestPlatforms;
import io.flinkplatform.engine.testing.TestTasks;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Runs workflows end to end on one instance against the real database. */
class ExecutionTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static TestPlatforms platforms;
  private static PlatformClient client;

  @BeforeAll
  static void start() {
    platforms = new TestPlatforms();
    client = platforms.start("exec").client();
  }

  @AfterAll
  static void stop() {
    platforms.close();
  }

  private static Map<String, TaskAttempt> run(Workflow w) {
    return run(w, RunState.SUCCESS);
  }

  private static Map<String, TaskAttempt> run(Workflow w, RunState expected) {
    client.deploy(w);
    return ended(client.trigger(w.name()), expected);
  }

  /** Waits for the end of run {@code id}, which must be {@code expected}; its latest attempts. */
  private static Map<String, TaskAttempt> ended(long id, RunState expected) {
    WorkflowRun r = client.awaitRun(id, WAIT);
    Map<String, TaskAttempt> latest = latest(id);
    assertThat(r.state()).as("run state; tasks: %s", latest).isEqualTo(expected);
    return latest;
  }

  /** The state of the latest attempt of {@code task} in run {@code id}; null before it has one. */
  private static TaskState state(long id, String task) {
    TaskAttempt a = latest(id).get(task);
    return a == null ? null : a.state();
  }

  static Map<String, TaskAttempt> latest(long runId) {
    Map<String, TaskAttempt> latest = new HashMap<>();
    for (TaskAttempt a : client.attempts(runId)) {
      latest.merge(a.taskId(), a, (x, y) -> x.attempt() >= y.attempt() ? x : y);
    }
    return latest;
  }

  private static Map<String, TaskState> states(Map<String, TaskAttempt> latest) {
    Map<String, TaskState> m = new HashMap<>();
    latest.forEach((k, v) -> m.put(k, v.state()));
    return m;
  }

  @Test
  void linearChainSucceedsAndPassesOutputsDownstream() {
    Workflow w =
        Workflow.builder("chain")
            .parameter("env", "test")
            .task("a", "emit", t -> t.option("outputs", Map.of("rows", "42")))
            .task("b", "emit", t -> t.after("a"))
            .task("c", "noop", t -> t.after("b"))
            .build();
    Map<String, TaskAttempt> result = run(w);
    assertThat(states(result))
        .containsOnly(
            Map.entry("a", TaskState.SUCCESS),
            Map.entry("b", TaskState.SUCCESS),
            Map.entry("c", TaskState.SUCCESS));
    assertThat(result.get("b").outputs())
        .containsEntry("seen.a.rows", "42")
        .containsEntry("param.env", "test");
  }

  @Test
  void runParametersOverrideWorkflowDefaultsAndLogicalDateIsKept() {
    Workflow w =
        Workflow.builder("params")
            .parameter("env", "test")
            .parameter("day", "x")
            .task("a", "emit")
            .build();
    client.deploy(w);
    Instant logical = Instant.parse("2024-03-01T00:00:00Z");
    long id =
        client.trigger(
            TriggerRequest.of("params")
                .withParameters(Map.of("day", "2024-03-01"))
                .withLogicalDate(logical));
    WorkflowRun r = client.awaitRun(id, WAIT);
    assertThat(r.logicalDate()).isEqualTo(logical);
    assertThat(latest(id).get("a").outputs())
        .containsEntry("param.env", "test")
        .containsEntry("param.day", "2024-03-01");
  }

  @Test
  void fanOutAndFanIn() {
    Workflow.Builder b = Workflow.builder("fan").task("start", "noop");
    for (int i = 0; i < 5; i++) {
      b.task("mid" + i, "noop", t -> t.after("start"));
    }
    b.task("end", "noop", t -> t.after("mid0", "mid1", "mid2", "mid3", "mid4"));
    Map<String, TaskAttempt> result = run(b.build());
    assertThat(result).hasSize(7);
    assertThat(result.values()).allMatch(a -> a.state() == TaskState.SUCCESS);
    Instant endStart = result.get("end").startedAt().orElseThrow();
    for (int i = 0; i < 5; i++) {
      assertThat(result.get("mid" + i).endedAt().orElseThrow()).isBeforeOrEqualTo(endStart);
    }
  }

  @Test
  void retriesRunOutAndTheRunFails() {
    Map<String, TaskAttempt> r =
        run(
            Workflow.builder("exhaust")
                .task("bad", "fail", t -> t.retry(RetryPolicy.fixed(1, Duration.ofMillis(10))))
                .task("after", "noop", t -> t.after("bad"))
                .build(),
            RunState.FAILED);
    assertThat(r.get("bad").attempt()).isEqualTo(2);
    assertThat(r.get("bad").state()).isEqualTo(TaskState.FAILED);
    assertThat(r.get("after").state()).isEqualTo(TaskState.UPSTREAM_FAILED);
  }

  @Test
  void nonRetryableFailureIsNotRetried() {
    Map<String, TaskAttempt> r =
        run(
            Workflow.builder("fatal")
                .task(
                    "bad",
                    "fail",
                    t -> t.option("retryable", false).retry(RetryPolicy.fixed(3, Duration.ZERO)))
                .build(),
            RunState.FAILED);
    assertThat(r.get("bad").attempt()).isEqualTo(1);
  }

  @Test
  void failureEdgeRunsHandlerAndSuccessBranchIsUpstreamFailed() {
    Map<String, TaskAttempt> r =
        run(
            Workflow.builder("onfail")
                .task("extract", "fail")
                .task("load", "noop", t -> t.after("extract"))
                .task("alert", "noop", t -> t.after("extract", EdgeCondition.FAILURE))
                .task("cleanup", "noop", t -> t.after("extract", EdgeCondition.ALWAYS))
                .build(),
            RunState.FAILED);
    assertThat(states(r))
        .containsEntry("extract", TaskState.FAILED)
        .containsEntry("load", TaskState.UPSTREAM_FAILED)
        .containsEntry("alert", TaskState.SUCCESS)
        .containsEntry("cleanup", TaskState.SUCCESS);
  }

  @Test
  void handledFailureWithoutSuccessBranchLetsTheRunSucceed() {
    Map<String, TaskAttempt> r =
        run(
            Workflow.builder("handled")
                .task("try", "fail")
                .task("recover", "noop", t -> t.after("try", EdgeCondition.FAILURE))
                .build(),
            RunState.SUCCESS);
    assertThat(states(r))
        .containsEntry("try", TaskState.FAILED)
        .containsEntry("recover", TaskState.SUCCESS);
  }

  @Test
  void failureEdgeIsSkippedWhenUpstreamSucceedsAndSkipPropagates() {
    Map<String, TaskAttempt> r =
        run(
            Workflow.builder("noalert")
                .task("extract", "noop")
                .task("alert", "noop", t -> t.after("extract", EdgeCondition.FAILURE))
                .task("afterAlert", "noop", t -> t.after("alert"))
                .task("report", "noop", t -> t.after("alert").triggerRule(TriggerRule.ALL_DONE))
                .build());
    assertThat(states(r))
        .containsEntry("extract", TaskState.SUCCESS)
        .containsEntry("alert", TaskState.SKIPPED)
        .containsEntry("afterAlert", TaskState.SKIPPED)
        .containsEntry("report", TaskState.SUCCESS);
    assertThat(r.get("alert").message()).get().asString().contains("cannot be met");
  }

  @Test
  void anyMatchedStartsOnFirstMatchAndAllMatchedWaitsForAll() throws InterruptedException {
    client.deploy(
        Workflow.builder("anyall")
            .task("fast", "noop")
            .task("slow", "gate", t -> t.option("gate", "anyall_slow"))
            .task("broken", "fail", t -> t.option("retryable", false))
            .task(
                "any",
                "noop",
                t -> t.after("fast").after("slow").triggerRule(TriggerRule.ANY_MATCHED))
            .task("all", "noop", t -> t.after("fast").after("slow"))
            .task(
                "anyOfBroken",
                "noop",
                t -> t.after("broken").after("fast").triggerRule(TriggerRule.ANY_MATCHED))
            .task("allOfBroken", "noop", t -> t.after("broken").after("fast"))
            .task("recover", "noop", t -> t.after("broken", EdgeCondition.FAILURE))
            .build());
    long id = client.trigger("anyall");
    // "any" runs on the first match while "slow" still waits at its gate
    try {
      Await.until(
          () -> state(id, "any") == TaskState.SUCCESS && state(id, "slow") == TaskState.RUNNING);
    } finally {
      TestTasks.Gate.open("anyall_slow");
    }
    Map<String, TaskAttempt> r = ended(id, RunState.FAILED);
    assertThat(r.get("any").startedAt().orElseThrow())
        .isBefore(r.get("slow").endedAt().orElseThrow());
    assertThat(r.get("all").startedAt().orElseThrow())
        .isAfterOrEqualTo(r.get("slow").endedAt().orElseThrow());
    assertThat(states(r))
        .containsEntry("anyOfBroken", TaskState.SUCCESS)
        .containsEntry("allOfBroken", TaskState.UPSTREAM_FAILED);
  }

  @Test
  void anyMatchedIsSkippedWhenNothingMatches() {
    Map<String, TaskAttempt> r =
        run(
            Workflow.builder("anynone")
                .task("a", "noop")
                .task("b", "noop")
                .task(
                    "either",
                    "noop",
                    t ->
                        t.after("a", EdgeCondition.FAILURE)
                            .after("b", EdgeCondition.FAILURE)
                            .triggerRule(TriggerRule.ANY_MATCHED))
                .build());
    assertThat(r.get("either").state()).isEqualTo(TaskState.SKIPPED);
  }

  @Test
  void allDoneAndAnyDoneRunWhateverTheOutcome() throws InterruptedException {
    client.deploy(
        Workflow.builder("done")
            .task("ok", "noop")
            .task("bad", "fail", t -> t.option("retryable", false))
            .task("slow", "gate", t -> t.option("gate", "done_slow"))
            .task(
                "allDone",
                "noop",
                t -> t.after("ok").after("bad").after("slow").triggerRule(TriggerRule.ALL_DONE))
            .task(
                "anyDone",
                "noop",
                t -> t.after("bad").after("slow").triggerRule(TriggerRule.ANY_DONE))
            .task("handler", "noop", t -> t.after("bad", EdgeCondition.FAILURE))
            .build());
    long id = client.trigger("done");
    // "anyDone" runs once "bad" ended, while "slow" still waits at its gate
    try {
      Await.until(
          () ->
              state(id, "anyDone") == TaskState.SUCCESS && state(id, "slow") == TaskState.RUNNING);
    } finally {
      TestTasks.Gate.open("done_slow");
    }
    Map<String, TaskAttempt> r = ended(id, RunState.SUCCESS);
    assertThat(states(r))
        .containsEntry("allDone", TaskState.SUCCESS)
        .containsEntry("anyDone", TaskState.SUCCESS);
    assertThat(r.get("anyDone").startedAt().orElseThrow())
        .isBefore(r.get("slow").endedAt().orElseThrow());
  }

  @Test
  void taskThatSkipsItselfSkipsItsSuccessDownstream() {
    Map<String, TaskAttempt> r =
        run(
            Workflow.builder("selfskip")
                .task("s", "skip")
                .task("next", "noop", t -> t.after("s"))
                .task("always", "noop", t -> t.after("s", EdgeCondition.ALWAYS))
                .build());
    assertThat(states(r))
        .containsEntry("s", TaskState.SKIPPED)
        .containsEntry("next", TaskState.SKIPPED)
        .containsEntry("always", TaskState.SKIPPED);
    assertThat(r.get("s").message()).contains("nothing to do");
  }

  @Test
  void timeoutFailsTheAttemptAndRetries() {
    Map<String, TaskAttempt> r =
        run(
            Workflow.builder("timeout")
                .task(
                    "slow",
                    "sleep",
                    t ->
                        t.option("duration", "30s")
                            .timeout(Duration.ofMillis(300))
                            .retry(RetryPolicy.fixed(1, Duration.ZERO)))
                .build(),
            RunState.FAILED);
    assertThat(r.get("slow").attempt()).isEqualTo(2);
    assertThat(r.get("slow").message()).get().asString().contains("timed out after 300ms");
    assertThat(r.get("slow").duration().orElseThrow()).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void killCancelsRunningTasksAndKillsTheRest() throws Exception {
    client.deploy(
        Workflow.builder("kill")
            .task("long", "sleep", t -> t.option("duration", "60s"))
            .task("after", "noop", t -> t.after("long"))
            .build());
    long id = client.trigger("kill");
    Await.until(() -> latest(id).get("long").state() == TaskState.RUNNING);
    assertThat(client.kill(id)).isTrue();
    WorkflowRun r = client.awaitRun(id, Duration.ofSeconds(10));
    assertThat(r.state()).isEqualTo(RunState.KILLED);
    assertThat(states(latest(id)))
        .containsEntry("long", TaskState.KILLED)
        .containsEntry("after", TaskState.KILLED);
    assertThat(latest(id).get("after").message()).hasValue("killed before it started");
    assertThat(client.kill(id)).isFalse();
  }

  @Test
  void externalTaskIsSubmittedPolledAndKilled() throws Exception {
    Map<String, TaskAttempt> r =
        run(Workflow.builder("ext").task("p", "process", t -> t.option("seconds", 1)).build());
    assertThat(r.get("p").externalRef()).get().asString().contains("\"id\"");
    client.deploy(
        Workflow.builder("extkill").task("p", "process", t -> t.option("seconds", 60)).build());
    long id = client.trigger("extkill");
    Await.until(() -> latest(id).get("p").externalRef().isPresent());
    long pid =
        Long.parseLong(
            latest(id).get("p").externalRef().get().replaceAll(".*\"id\":\"(\\d+)\".*", "$1"));
    client.kill(id);
    assertThat(client.awaitRun(id, Duration.ofSeconds(10)).state()).isEqualTo(RunState.KILLED);
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
  }

  @Test
  void oversizedOutputsFailTheTaskInsteadOfStallingCommits() {
    Map<String, TaskAttempt> r =
        run(
            Workflow.builder("huge")
                .task("big", "emit", t -> t.option("outputs", Map.of("blob", "x".repeat(70_000))))
                .task("after", "noop", t -> t.after("big"))
                .build(),
            RunState.FAILED);
    assertThat(r.get("big").state()).isEqualTo(TaskState.FAILED);
    assertThat(r.get("big").message()).get().asString().contains("at most 60000 are allowed");
    assertThat(r.get("after").state()).isEqualTo(TaskState.UPSTREAM_FAILED);
    // the engine goes on committing other runs
    run(Workflow.builder("small_after_huge").task("a", "noop").build());
  }

  @Test
  void outputsTooLargeForTheirColumnInUtf8FailTheTaskNamingTheLimit() {
    // 25,000 characters pass the character limit, but take 75,000 bytes: more than the column holds
    Map<String, TaskAttempt> r =
        run(
            Workflow.builder("wide_chars")
                .task("big", "emit", t -> t.option("outputs", Map.of("blob", "数".repeat(25_000))))
                .build(),
            RunState.FAILED);
    assertThat(r.get("big").state()).isEqualTo(TaskState.FAILED);
    assertThat(r.get("big").message())
        .get()
        .asString()
        .contains("bytes as UTF-8 JSON; at most 65000 are allowed");
  }

  @Test
  void mermaidShowsStatesAndEdgeKinds() {
    Workflow w =
        Workflow.builder("picture")
            .task("a", "fail")
            .task("b", "noop", t -> t.after("a", EdgeCondition.FAILURE))
            .build();
    client.deploy(w);
    long id = client.trigger("picture");
    client.awaitRun(id, WAIT);
    assertThat(client.mermaid(id))
        .startsWith("flowchart LR")
        .contains("a<br/>FAILED", "b<br/>SUCCESS", "-. on failure .->");
  }
}

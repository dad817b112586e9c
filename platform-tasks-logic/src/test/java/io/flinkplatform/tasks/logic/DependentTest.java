package io.flinkplatform.tasks.logic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flinkplatform.engine.PlatformClient;
import io.flinkplatform.engine.WorkflowValidationException;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.run.Explanation;
import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.run.TaskAttempt;
import io.flinkplatform.engine.run.TaskState;
import io.flinkplatform.engine.run.TriggerRequest;
import io.flinkplatform.engine.run.WorkflowRun;
import io.flinkplatform.engine.testing.Await;
import io.flinkplatform.engine.testing.TestPlatforms;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Dependent tasks driven by a real platform (two worker threads) on the real database. */
class DependentTest {
  private static final Instant DAY = Instant.parse("2024-05-01T10:00:00Z");
  private static TestPlatforms platforms;
  private static PlatformClient client;

  @BeforeAll
  static void start() {
    platforms = new TestPlatforms();
    client = platforms.start("dep", b -> b.plugin(new LogicTaskPlugin()).workerThreads(2)).client();
  }

  @AfterAll
  static void stop() {
    platforms.close();
  }

  private static void deployDependent(String name, Consumer<Map<String, Object>> options) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("poll_interval", "100ms");
    options.accept(o);
    client.deploy(
        Workflow.builder(name)
            .task("wait", "dependent", t -> o.forEach(t::option))
            .task("after", "noop", t -> t.after("wait"))
            .build());
  }

  private static long trigger(String workflow, Instant logicalDate) {
    return client.trigger(TriggerRequest.of(workflow).withLogicalDate(logicalDate));
  }

  private static WorkflowRun await(long runId) {
    return client.awaitRun(runId, Duration.ofSeconds(30));
  }

  private static TaskAttempt waitTask(long runId) {
    return Runs.latest(client, runId).get("wait");
  }

  @Test
  void waitsForTheSameDayWithoutHoldingWorkerThreads() throws Exception {
    client.deploy(Workflow.builder("up").task("a", "noop").build());
    client.deploy(Workflow.builder("other").task("a", "noop").build());
    deployDependent("down", o -> o.put("items", List.of("up")));
    await(trigger("up", Instant.parse("2024-04-30T23:00:00Z"))); // the day before: not enough
    List<Long> downs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      downs.add(trigger("down", DAY));
    }
    Await.until(() -> downs.stream().allMatch(id -> waitTask(id).state() == TaskState.RUNNING));
    // explain() says what a waiting sensor waits for ("dependency not met")
    Await.until(
        () ->
            client.explain(downs.get(0)).tasks().stream()
                .flatMap(t -> t.reasons().stream())
                .anyMatch(r -> r.code() == Explanation.Code.RUNNING && r.detail().contains("up")));
    // three sensors wait, yet the two worker threads are free for other work
    assertThat(await(trigger("other", DAY)).state()).isEqualTo(RunState.SUCCESS);
    for (long id : downs) {
      assertThat(client.run(id).orElseThrow().state()).isEqualTo(RunState.RUNNING);
      assertThat(waitTask(id).state()).isEqualTo(TaskState.RUNNING);
    }
    long up = trigger("up", Instant.parse("2024-05-01T00:00:00Z"));
    WorkflowRun upRun = await(up);
    for (long id : downs) {
      assertThat(await(id).state()).isEqualTo(RunState.SUCCESS);
      assertThat(waitTask(id).endedAt().orElseThrow())
          .isAfterOrEqualTo(upRun.endedAt().orElseThrow());
    }
    assertThat(client.log(waitTask(downs.get(0))))
        .contains("satisfied")
        .contains("run " + up + " SUCCESS");
  }

  @Test
  void aFailedTaskOfThePreviousDayFailsFastAndExpectedStatesCanSayOtherwise() {
    client.deploy(
        Workflow.builder("up_fail").task("a", "fail", t -> t.option("retryable", false)).build());
    deployDependent("down_fail", o -> o.put("items", List.of("up_fail/a@previous_day")));
    deployDependent(
        "down_expect_failure",
        o -> {
          o.put("items", List.of("up_fail/a"));
          o.put("window", "previous_day");
          o.put("states", List.of("FAILED"));
        });
    await(trigger("up_fail", Instant.parse("2024-04-30T05:00:00Z")));
    WorkflowRun failed = await(trigger("down_fail", DAY));
    assertThat(failed.state()).isEqualTo(RunState.FAILED);
    assertThat(waitTask(failed.id()).message().orElseThrow())
        .contains("other than [SUCCESS]")
        .contains("up_fail/a in previous_day")
        .contains("FAILED");
    assertThat(Runs.states(client, failed.id())).containsEntry("after", TaskState.UPSTREAM_FAILED);

    assertThat(await(trigger("down_expect_failure", DAY)).state()).isEqualTo(RunState.SUCCESS);
  }

  @Test
  void orNeedsOneItemAndLastHoursReadsEveryRunInItsWindow() {
    client.deploy(Workflow.builder("hourly").task("a", "noop").build());
    deployDependent(
        "down_or",
        o -> {
          o.put("items", List.of("never_runs", "hourly@same_hour"));
          o.put("relation", "OR");
        });
    deployDependent("down_last", o -> o.put("items", List.of("hourly@last_3_hours")));
    await(trigger("hourly", Instant.parse("2024-05-01T07:00:00Z")));
    await(trigger("hourly", Instant.parse("2024-05-01T08:00:00Z")));
    await(trigger("hourly", Instant.parse("2024-05-01T10:00:00Z"))); // the same hour as DAY
    assertThat(await(trigger("down_or", DAY)).state()).isEqualTo(RunState.SUCCESS);
    long last = trigger("down_last", DAY); // reads [07:00, 10:00)
    assertThat(await(last).state()).isEqualTo(RunState.SUCCESS);
    assertThat(client.log(waitTask(last)))
        .contains("2024-05-01T07:00:00Z run")
        .contains("2024-05-01T08:00:00Z run")
        .doesNotContain("2024-05-01T10:00:00Z run");
  }

  @Test
  void aRunningUpstreamInTheWindowKeepsItWaiting() throws Exception {
    client.deploy(
        Workflow.builder("up_slow").task("a", "sleep", t -> t.option("duration", "1s")).build());
    deployDependent("down_slow", o -> o.put("items", List.of("up_slow")));
    long up = trigger("up_slow", Instant.parse("2024-05-01T01:00:00Z"));
    long down = trigger("down_slow", DAY);
    Await.until(() -> waitTask(down).state() == TaskState.RUNNING);
    WorkflowRun upRun = await(up);
    WorkflowRun downRun = await(down);
    assertThat(downRun.state()).isEqualTo(RunState.SUCCESS);
    assertThat(waitTask(down).endedAt().orElseThrow())
        .isAfterOrEqualTo(upRun.endedAt().orElseThrow());
  }

  @Test
  void timesOutAndCanBeKilledWhileWaiting() throws Exception {
    deployDependent(
        "down_timeout",
        o -> {
          o.put("items", List.of("nothing_here"));
          o.put("wait_timeout", "500ms");
        });
    WorkflowRun timedOut = await(trigger("down_timeout", DAY));
    assertThat(timedOut.state()).isEqualTo(RunState.FAILED);
    assertThat(waitTask(timedOut.id()).message().orElseThrow()).contains("still waiting after");

    deployDependent("down_killed", o -> o.put("items", List.of("nothing_here")));
    long killed = trigger("down_killed", DAY);
    Await.until(() -> waitTask(killed).state() == TaskState.RUNNING);
    client.kill(killed);
    assertThat(await(killed).state()).isEqualTo(RunState.KILLED);
    assertThat(waitTask(killed).state()).isEqualTo(TaskState.KILLED);
  }

  @Test
  void badOptionsAreAllReportedAtDeploy() {
    assertThatThrownBy(
            () ->
                client.deploy(
                    Workflow.builder("bad_dependent")
                        .task(
                            "wait",
                            "dependent",
                            t ->
                                t.option("items", List.of("a/b/c/d", "ok@tomorrow"))
                                    .option("window", "yesterday")
                                    .option("states", List.of("DONE"))
                                    .option("relation", "XOR")
                                    .option("timezone", "Mars/Olympus"))
                        .build()))
        .isInstanceOf(WorkflowValidationException.class)
        .hasMessageContaining("option 'relation' must be one of [AND, OR]");
    assertThatThrownBy(
            () ->
                client.deploy(
                    Workflow.builder("bad_dependent")
                        .task(
                            "wait",
                            "dependent",
                            t ->
                                t.option("items", List.of("a/b/c/d", "ok@tomorrow"))
                                    .option("window", "yesterday")
                                    .option("states", List.of("DONE"))
                                    .option("timezone", "Mars/Olympus"))
                        .build()))
        .isInstanceOf(WorkflowValidationException.class)
        .hasMessageContaining("'a/b/c/d' must look like workflow")
        .hasMessageContaining("window 'tomorrow' is not one of")
        .hasMessageContaining("option 'window': window 'yesterday'")
        .hasMessageContaining("'DONE' is not one of [SUCCESS, FAILED")
        .hasMessageContaining("'Mars/Olympus' is not a time zone");
    assertThat(client.workflow("bad_dependent")).isEmpty();
  }
}

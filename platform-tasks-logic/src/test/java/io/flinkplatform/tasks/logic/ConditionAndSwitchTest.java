package io.flinkplatform.tasks.logic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import io.flinkplatform.engine.PlatformClient;
import io.flinkplatform.engine.WorkflowValidationException;
import io.flinkplatform.engine.dag.EdgeCondition;
import io.flinkplatform.engine.dag.TriggerRule;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.run.TaskState;
import io.flinkplatform.engine.run.TriggerRequest;
import io.flinkplatform.engine.run.WorkflowRun;
import io.flinkplatform.engine.testing.TestPlatforms;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Condition and switch tasks driven by a real platform on the real database. */
class ConditionAndSwitchTest {
  private static TestPlatforms platforms;
  private static PlatformClient client;

  @BeforeAll
  static void start() {
    platforms = new TestPlatforms();
    client = platforms.start("logic", b -> b.plugin(new LogicTaskPlugin())).client();
  }

  @AfterAll
  static void stop() {
    platforms.close();
  }

  private static WorkflowRun run(String workflow, Map<String, String> params) {
    long id = client.trigger(TriggerRequest.of(workflow).withParameters(params));
    return client.awaitRun(id, Duration.ofSeconds(30));
  }

  @Test
  void andIsFalseWhenAnUpstreamFailedAndOnlyTheFalseBranchRuns() {
    client.deploy(
        Workflow.builder("cond_and")
            .task("a", "fail", t -> t.option("retryable", false))
            .task("b", "noop")
            .task("cond", "condition", t -> t.option("rule", "AND").after("a").after("b"))
            .task("yes", "noop", t -> t.after("cond"))
            .task("no", "noop", t -> t.after("cond", EdgeCondition.FAILURE))
            .task("after_yes", "noop", t -> t.after("yes"))
            .build());
    WorkflowRun run = run("cond_and", Map.of());
    Map<String, TaskState> s = Runs.states(client, run.id());
    assertThat(s)
        .containsEntry("a", TaskState.FAILED)
        .containsEntry("cond", TaskState.FAILED)
        .containsEntry("yes", TaskState.SKIPPED)
        .containsEntry("after_yes", TaskState.SKIPPED)
        .containsEntry("no", TaskState.SUCCESS);
    // a's failure is not handled by an edge of its own, so the run fails; the condition's "false"
    // alone never fails a run (see conditionFalseAloneLeavesTheRunSuccessful)
    assertThat(run.state()).isEqualTo(RunState.FAILED);
    assertThat(Runs.latest(client, run.id()).get("cond").message().orElseThrow())
        .contains("AND is false")
        .contains("a FAILED");
  }

  @Test
  void conditionFalseAloneLeavesTheRunSuccessful() {
    client.deploy(
        Workflow.builder("cond_guard")
            .task("a", "fail", t -> t.option("retryable", false))
            .task("cond", "condition", t -> t.after("a", EdgeCondition.SUCCESS))
            .task("cleanup", "noop", t -> t.after("a", EdgeCondition.FAILURE))
            .task("yes", "noop", t -> t.after("cond"))
            .build());
    WorkflowRun run = run("cond_guard", Map.of());
    assertThat(Runs.states(client, run.id()))
        .containsEntry("cond", TaskState.FAILED)
        .containsEntry("yes", TaskState.SKIPPED)
        .containsEntry("cleanup", TaskState.SUCCESS);
    assertThat(run.state()).isEqualTo(RunState.SUCCESS);
  }

  @Test
  void orIsTrueWhenOneEdgeFired() {
    client.deploy(
        Workflow.builder("cond_or")
            .task("a", "fail", t -> t.option("retryable", false))
            .task("b", "noop")
            .task("cond", "condition", t -> t.option("rule", "OR").after("a").after("b"))
            .task("yes", "noop", t -> t.after("cond"))
            .task("no", "noop", t -> t.after("cond", EdgeCondition.FAILURE))
            .edge("a", "handled", EdgeCondition.FAILURE)
            .task("handled", "noop")
            .build());
    WorkflowRun run = run("cond_or", Map.of());
    Map<String, TaskState> s = Runs.states(client, run.id());
    assertThat(s)
        .containsEntry("cond", TaskState.SUCCESS)
        .containsEntry("yes", TaskState.SUCCESS)
        .containsEntry("no", TaskState.SKIPPED);
    assertThat(Runs.latest(client, run.id()).get("cond").outputs()).containsEntry("result", "true");
    assertThat(run.state()).isEqualTo(RunState.SUCCESS);
  }

  @Test
  void edgeConditionsCountAFailureEdgeFiresOnFailure() {
    client.deploy(
        Workflow.builder("cond_edges")
            .task("a", "fail", t -> t.option("retryable", false))
            .task("b", "noop")
            .task(
                "cond",
                "condition",
                t -> t.option("rule", "AND").after("a", EdgeCondition.FAILURE).after("b"))
            .task("yes", "noop", t -> t.after("cond"))
            .build());
    WorkflowRun run = run("cond_edges", Map.of());
    assertThat(Runs.states(client, run.id()))
        .containsEntry("cond", TaskState.SUCCESS)
        .containsEntry("yes", TaskState.SUCCESS);
    assertThat(run.state()).isEqualTo(RunState.SUCCESS);
  }

  @Test
  void aSkippedUpstreamStillLetsTheConditionRunAndDecideFalse() {
    client.deploy(
        Workflow.builder("cond_skipped")
            .task("s", "skip")
            .task("b", "noop", t -> t.after("s")) // skipped because s skipped
            .task("cond", "condition", t -> t.after("b"))
            .task("yes", "noop", t -> t.after("cond"))
            .task("no", "noop", t -> t.after("cond", EdgeCondition.FAILURE))
            .build());
    WorkflowRun run = run("cond_skipped", Map.of());
    assertThat(Runs.states(client, run.id()))
        .containsEntry("b", TaskState.SKIPPED)
        .containsEntry("cond", TaskState.FAILED)
        .containsEntry("yes", TaskState.SKIPPED)
        .containsEntry("no", TaskState.SUCCESS);
    assertThat(run.state()).isEqualTo(RunState.SUCCESS);
  }

  @Test
  void onSkippedSkipSpreadsTheSkip() {
    client.deploy(
        Workflow.builder("cond_skip_spreads")
            .task("s", "skip")
            .task("cond", "condition", t -> t.option("on_skipped", "skip").after("s"))
            .task("yes", "noop", t -> t.after("cond"))
            .task("no", "noop", t -> t.after("cond", EdgeCondition.FAILURE))
            .build());
    WorkflowRun run = run("cond_skip_spreads", Map.of());
    assertThat(Runs.states(client, run.id()))
        .containsEntry("cond", TaskState.SKIPPED)
        .containsEntry("yes", TaskState.SKIPPED)
        .containsEntry("no", TaskState.SKIPPED);
    assertThat(run.state()).isEqualTo(RunState.SUCCESS);
  }

  @Test
  void allDoneAndAnyDoneCountTasksThatRan() {
    client.deploy(
        Workflow.builder("cond_done")
            .task("a", "fail", t -> t.option("retryable", false))
            .task("s", "skip")
            .task("all", "condition", t -> t.option("rule", "ALL_DONE").after("a").after("s"))
            .task("any", "condition", t -> t.option("rule", "ANY_DONE").after("a").after("s"))
            .task("handled", "noop", t -> t.after("a", EdgeCondition.FAILURE))
            .build());
    WorkflowRun run = run("cond_done", Map.of());
    assertThat(Runs.states(client, run.id()))
        .containsEntry("all", TaskState.FAILED)
        .containsEntry("any", TaskState.SUCCESS);
    assertThat(run.state()).isEqualTo(RunState.SUCCESS);
  }

  private static Workflow switchFlow(String name, Map<String, Object> options) {
    return Workflow.builder(name)
        .parameter("region", "eu")
        .task("extract", "emit", t -> t.option("outputs", Map.of("rows", "1500")))
        .task(
            "route",
            "switch",
            t -> {
              options.forEach(t::option);
              t.after("extract");
            })
        .task("eu", "noop", t -> t.after("route"))
        .task("us", "noop", t -> t.after("route"))
        .task("big", "noop", t -> t.after("route"))
        .task("after_us", "noop", t -> t.after("us"))
        .task(
            "join",
            "noop",
            t -> t.after("eu").after("us").after("big").triggerRule(TriggerRule.ANY_MATCHED))
        .build();
  }

  private static Map<String, String> cases() {
    Map<String, String> cases = new LinkedHashMap<>();
    cases.put("us", "region == 'us'");
    cases.put("eu", "region == 'eu'");
    cases.put("big", "extract.rows > 1000");
    return cases;
  }

  @Test
  void switchTakesTheFirstMatchingBranchAndSkipsTheOthers() {
    client.deploy(switchFlow("sw_first", Map.of("cases", cases())));
    WorkflowRun run = run("sw_first", Map.of());
    assertThat(Runs.states(client, run.id()))
        .containsEntry("route", TaskState.SUCCESS)
        .containsEntry("eu", TaskState.SUCCESS)
        .containsEntry("us", TaskState.SKIPPED)
        .containsEntry("big", TaskState.SKIPPED)
        .containsEntry("after_us", TaskState.SKIPPED)
        .containsEntry("join", TaskState.SUCCESS);
    assertThat(Runs.latest(client, run.id()).get("route").outputs())
        .containsExactly(entry("branch", "eu"));
    assertThat(run.state()).isEqualTo(RunState.SUCCESS);

    WorkflowRun us = run("sw_first", Map.of("region", "us"));
    assertThat(Runs.states(client, us.id()))
        .containsEntry("us", TaskState.SUCCESS)
        .containsEntry("after_us", TaskState.SUCCESS)
        .containsEntry("eu", TaskState.SKIPPED);
  }

  @Test
  void switchMatchAllTakesEveryMatchingBranchAndNamedBranchesLeadToSeveralTasks() {
    Map<String, String> cases = new LinkedHashMap<>();
    cases.put("europe", "region == 'eu'");
    cases.put("large", "extract.rows > 1000");
    cases.put("america", "region == 'us'");
    client.deploy(
        switchFlow(
            "sw_all",
            Map.of(
                "cases",
                cases,
                "match",
                "all",
                "branches",
                Map.of("europe", "eu", "large", "big", "america", "us"))));
    WorkflowRun run = run("sw_all", Map.of());
    assertThat(Runs.states(client, run.id()))
        .containsEntry("eu", TaskState.SUCCESS)
        .containsEntry("big", TaskState.SUCCESS)
        .containsEntry("us", TaskState.SKIPPED);
    assertThat(Runs.latest(client, run.id()).get("route").outputs())
        .containsEntry("branch", "europe,large");
  }

  @Test
  void switchFallsBackToTheDefaultOrChoosesNothing() {
    Map<String, String> none = Map.of("us", "region == 'us'");
    client.deploy(switchFlow("sw_default", Map.of("cases", none, "default", "big")));
    WorkflowRun run = run("sw_default", Map.of());
    assertThat(Runs.states(client, run.id()))
        .containsEntry("big", TaskState.SUCCESS)
        .containsEntry("us", TaskState.SKIPPED)
        .containsEntry("eu", TaskState.SKIPPED);

    client.deploy(switchFlow("sw_none", Map.of("cases", none)));
    WorkflowRun nothing = run("sw_none", Map.of());
    assertThat(Runs.states(client, nothing.id()))
        .containsEntry("route", TaskState.SUCCESS)
        .containsEntry("eu", TaskState.SKIPPED)
        .containsEntry("us", TaskState.SKIPPED)
        .containsEntry("big", TaskState.SKIPPED)
        .containsEntry("join", TaskState.SKIPPED);
    assertThat(nothing.state()).isEqualTo(RunState.SUCCESS);
  }

  @Test
  void aBranchThatIsNotDownstreamOrAnUnknownParameterFailsTheSwitchClearly() {
    client.deploy(
        switchFlow("sw_bad_branch", Map.of("cases", Map.of("nowhere", "region == 'eu'"))));
    WorkflowRun run = run("sw_bad_branch", Map.of());
    var route = Runs.latest(client, run.id()).get("route");
    assertThat(route.state()).isEqualTo(TaskState.FAILED);
    assertThat(route.message().orElseThrow())
        .contains("'nowhere'")
        .contains("not directly downstream")
        .contains("eu");
    assertThat(Runs.states(client, run.id())).containsEntry("eu", TaskState.UPSTREAM_FAILED);

    client.deploy(switchFlow("sw_bad_param", Map.of("cases", Map.of("eu", "country == 'de'"))));
    WorkflowRun bad = run("sw_bad_param", Map.of());
    assertThat(Runs.latest(client, bad.id()).get("route").message().orElseThrow())
        .contains("'country'")
        .contains("not a parameter");
  }

  @Test
  void aDeeplyNestedCaseIsADeployProblemNotAStackOverflow() {
    String deep = "(".repeat(1_000) + "region == 'eu'" + ")".repeat(1_000);
    assertThatThrownBy(
            () -> client.deploy(switchFlow("sw_deep", Map.of("cases", Map.of("eu", deep)))))
        .isInstanceOf(WorkflowValidationException.class)
        .hasMessageContaining("option 'cases', branch 'eu'")
        .hasMessageContaining("nested more than 100 deep");
    assertThat(client.workflow("sw_deep")).isEmpty();
  }
}

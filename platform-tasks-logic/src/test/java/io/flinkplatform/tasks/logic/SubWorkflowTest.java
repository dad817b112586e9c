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
import io.flinkplatform.spi.PlatformAccess;
import io.flinkplatform.spi.TaskContext;
import io.flinkplatform.spi.TaskOutcome;
import io.flinkplatform.spi.TaskPlugin;
import io.flinkplatform.spi.TaskType;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Sub-workflows driven by a real platform on the real database. */
class SubWorkflowTest {
  private static final Instant DAY = Instant.parse("2024-05-01T00:00:00Z");
  private static TestPlatforms platforms;
  private static PlatformClient client;

  @BeforeAll
  static void start() {
    platforms = new TestPlatforms();
    client =
        platforms
            .start("sub", b -> b.plugin(new LogicTaskPlugin()).plugin(new StartTwicePlugin()))
            .client();
  }

  @AfterAll
  static void stop() {
    platforms.close();
  }

  private static Map<String, Object> sub(String workflow) {
    return Map.of("workflow", workflow, "poll_interval", "100ms");
  }

  private static WorkflowRun run(String workflow) {
    long id =
        client.trigger(
            TriggerRequest.of(workflow)
                .withLogicalDate(DAY)
                .withParameters(Map.of("day", "2024-05-01")));
    return client.awaitRun(id, Duration.ofSeconds(30));
  }

  private static List<WorkflowRun> childrenOf(String workflow) {
    return client.runs(workflow, 100);
  }

  @Test
  void aChildRunsThePinnedVersionWithParametersAndTheLogicalDateAndItsOutputsComeBack() {
    client.deploy(
        Workflow.builder("child_a")
            .task("calc", "emit", t -> t.option("outputs", Map.of("rows", "42", "v", "1")))
            .build());
    client.deploy(
        Workflow.builder("child_a")
            .task("calc", "emit", t -> t.option("outputs", Map.of("rows", "0", "v", "2")))
            .build());
    client.deploy(
        Workflow.builder("parent_a")
            .task(
                "sub",
                "sub_workflow",
                t ->
                    t.option("workflow", "child_a")
                        .option("version", 1)
                        .option("poll_interval", "100ms")
                        .option("parameters", Map.of("target_day", "${day}", "fixed", "x"))
                        .option("outputs", Map.of("row_count", "calc.rows")))
            .task("use", "emit", t -> t.after("sub"))
            .build());
    WorkflowRun parent = run("parent_a");
    assertThat(parent.state()).isEqualTo(RunState.SUCCESS);
    WorkflowRun child = childrenOf("child_a").get(0);
    assertThat(child.workflowVersion()).isEqualTo(1);
    assertThat(child.logicalDate()).isEqualTo(DAY);
    assertThat(child.parameters())
        .containsEntry("target_day", "2024-05-01")
        .containsEntry("fixed", "x");
    assertThat(child.state()).isEqualTo(RunState.SUCCESS);
    Map<String, TaskAttempt> tasks = Runs.latest(client, parent.id());
    assertThat(tasks.get("sub").outputs()).containsExactlyEntriesOf(Map.of("row_count", "42"));
    // outputs are data: downstream tasks read them as upstream outputs, never as parameters
    assertThat(tasks.get("use").outputs()).doesNotContainKey("param.sub.row_count");
    assertThat(tasks.get("sub").externalRef().orElseThrow()).contains(Long.toString(child.id()));
  }

  @Test
  void aChildReadsDatesInItsParentsZone() {
    client.deploy(
        Workflow.builder("child_tz").task("e", "emit", t -> t.parameter("day", "${date}")).build());
    client.deploy(
        Workflow.builder("parent_tz")
            .parameter("timezone", "Asia/Shanghai")
            .task("sub", "sub_workflow", t -> sub("child_tz").forEach(t::option))
            .build());
    // 01:30 on 16 March in Shanghai, still 15 March in UTC
    Instant nearMidnight = Instant.parse("2026-03-15T17:30:00Z");
    long id = client.trigger(TriggerRequest.of("parent_tz").withLogicalDate(nearMidnight));
    assertThat(client.awaitRun(id, Duration.ofSeconds(30)).state()).isEqualTo(RunState.SUCCESS);
    WorkflowRun child = childrenOf("child_tz").get(0);
    assertThat(child.parameters()).containsEntry("timezone", "Asia/Shanghai");
    assertThat(Runs.latest(client, child.id()).get("e").outputs())
        .containsEntry("param.day", "2026-03-16");
  }

  @Test
  void withoutAMappingEveryChildOutputComesBackAsTaskDotKey() {
    client.deploy(
        Workflow.builder("child_b")
            .task("x", "emit", t -> t.option("outputs", Map.of("k", "v")))
            .build());
    client.deploy(
        Workflow.builder("parent_b")
            .task("sub", "sub_workflow", t -> sub("child_b").forEach(t::option))
            .build());
    WorkflowRun parent = run("parent_b");
    assertThat(parent.state()).isEqualTo(RunState.SUCCESS);
    assertThat(Runs.latest(client, parent.id()).get("sub").outputs()).containsEntry("x.k", "v");
  }

  @Test
  void aFailedChildFailsTheTask() {
    client.deploy(
        Workflow.builder("child_fail")
            .task("x", "fail", t -> t.option("retryable", false))
            .build());
    client.deploy(
        Workflow.builder("parent_fail")
            .task("sub", "sub_workflow", t -> sub("child_fail").forEach(t::option))
            .build());
    WorkflowRun parent = run("parent_fail");
    assertThat(parent.state()).isEqualTo(RunState.FAILED);
    assertThat(Runs.latest(client, parent.id()).get("sub").message().orElseThrow())
        .contains("ended FAILED");
  }

  @Test
  void killingTheParentKillsTheChild() throws Exception {
    client.deploy(
        Workflow.builder("child_slow")
            .task("x", "sleep", t -> t.option("duration", "60s"))
            .build());
    client.deploy(
        Workflow.builder("parent_kill")
            .task("sub", "sub_workflow", t -> sub("child_slow").forEach(t::option))
            .build());
    long parent = client.trigger(TriggerRequest.of("parent_kill"));
    Await.until(
        () ->
            childrenOf("child_slow").stream()
                .anyMatch(r -> Runs.states(client, r.id()).get("x") == TaskState.RUNNING));
    WorkflowRun child = childrenOf("child_slow").get(0);
    assertThat(client.kill(parent)).isTrue();
    assertThat(client.awaitRun(parent, Duration.ofSeconds(30)).state()).isEqualTo(RunState.KILLED);
    assertThat(client.awaitRun(child.id(), Duration.ofSeconds(30)).state())
        .isEqualTo(RunState.KILLED);
    assertThat(Runs.states(client, parent)).containsEntry("sub", TaskState.KILLED);
  }

  @Test
  void aChildKilledBySomeoneElseFailsTheParentTaskWithoutRetry() throws Exception {
    client.deploy(
        Workflow.builder("child_slow2")
            .task("x", "sleep", t -> t.option("duration", "60s"))
            .build());
    client.deploy(
        Workflow.builder("parent_victim")
            .task(
                "sub",
                "sub_workflow",
                t -> {
                  sub("child_slow2").forEach(t::option);
                  t.retry(io.flinkplatform.engine.dag.RetryPolicy.fixed(2, Duration.ofMillis(10)));
                })
            .build());
    long parent = client.trigger(TriggerRequest.of("parent_victim"));
    Await.until(() -> !childrenOf("child_slow2").isEmpty());
    long child = childrenOf("child_slow2").get(0).id();
    client.kill(child);
    WorkflowRun p = client.awaitRun(parent, Duration.ofSeconds(30));
    assertThat(p.state()).isEqualTo(RunState.FAILED);
    TaskAttempt sub = Runs.latest(client, parent).get("sub");
    assertThat(sub.state()).isEqualTo(TaskState.FAILED);
    assertThat(sub.attempt()).isEqualTo(1);
    assertThat(sub.message().orElseThrow()).contains("child run " + child + " was killed");
    assertThat(childrenOf("child_slow2")).hasSize(1);
  }

  @Test
  void childParameterNamesObeyTheParameterRuleAtDeploy() {
    client.deploy(Workflow.builder("child_named").task("x", "noop").build());
    assertThatThrownBy(
            () ->
                client.deploy(
                    Workflow.builder("parent_named")
                        .task(
                            "sub",
                            "sub_workflow",
                            t ->
                                t.option("workflow", "child_named")
                                    .option(
                                        "parameters",
                                        Map.of("BASH_ENV", "$(id)", "rows", "${extract.rows}")))
                        .build()))
        .isInstanceOf(WorkflowValidationException.class)
        .hasMessageContaining(
            "task 'sub': option 'parameters': parameter name 'BASH_ENV' is reserved");
    assertThat(client.workflow("parent_named")).isEmpty();
    assertThat(childrenOf("child_named")).isEmpty();
  }

  @Test
  void aWorkflowThatWouldStartItselfIsRefusedAtDeployAndNothingIsWritten() {
    assertThatThrownBy(
            () ->
                client.deploy(
                    Workflow.builder("self_loop")
                        .task("sub", "sub_workflow", t -> sub("self_loop").forEach(t::option))
                        .build()))
        .isInstanceOf(WorkflowValidationException.class)
        .hasMessageContaining("recursion")
        .hasMessageContaining("self_loop -> self_loop");
    assertThat(client.workflow("self_loop")).isEmpty();

    client.deploy(Workflow.builder("loop_b").task("x", "noop").build());
    client.deploy(
        Workflow.builder("loop_a")
            .task("sub", "sub_workflow", t -> sub("loop_b").forEach(t::option))
            .build());
    assertThatThrownBy(
            () ->
                client.deploy(
                    Workflow.builder("loop_b")
                        .task("sub", "sub_workflow", t -> sub("loop_a").forEach(t::option))
                        .build()))
        .isInstanceOf(WorkflowValidationException.class)
        .hasMessageContaining("loop_b -> loop_a -> loop_b");
    assertThat(client.workflow("loop_b").orElseThrow().version()).isEqualTo(1);

    // a chain through a pinned version that starts nothing ends: allowed
    client.deploy(
        Workflow.builder("loop_c")
            .task(
                "sub",
                "sub_workflow",
                t ->
                    t.option("workflow", "loop_b")
                        .option("version", 1)
                        .option("poll_interval", "100ms"))
            .build());
    client.deploy(
        Workflow.builder("loop_b")
            .task("sub", "sub_workflow", t -> sub("loop_c").forEach(t::option))
            .build());
    assertThat(client.workflow("loop_b").orElseThrow().version()).isEqualTo(2);

    assertThatThrownBy(
            () ->
                client.deploy(
                    Workflow.builder("to_nowhere")
                        .task("sub", "sub_workflow", t -> sub("not_deployed").forEach(t::option))
                        .build()))
        .hasMessageContaining("workflow 'not_deployed' is not deployed");
  }

  @Test
  void depthIsBoundedAtRunTime() {
    client.deploy(Workflow.builder("depth_c").task("x", "noop").build());
    client.deploy(
        Workflow.builder("depth_b")
            .task(
                "sub",
                "sub_workflow",
                t ->
                    t.option("workflow", "depth_c")
                        .option("max_depth", 1)
                        .option("poll_interval", "100ms"))
            .build());
    client.deploy(
        Workflow.builder("depth_a")
            .task("sub", "sub_workflow", t -> sub("depth_b").forEach(t::option))
            .build());
    WorkflowRun a = run("depth_a");
    assertThat(a.state()).isEqualTo(RunState.FAILED);
    assertThat(childrenOf("depth_c")).isEmpty();
    WorkflowRun b = childrenOf("depth_b").get(0);
    TaskAttempt refused = Runs.latest(client, b.id()).get("sub");
    assertThat(refused.state()).isEqualTo(TaskState.FAILED);
    assertThat(refused.message().orElseThrow()).contains("nested 2 deep").contains("max_depth 1");
  }

  @Test
  void childrenWaitForTheirWorkflowsMaxActiveRunsAndTakeItsPriority() throws Exception {
    client.deploy(
        Workflow.builder("child_limited")
            .maxActiveRuns(1)
            .priority(7)
            .task("work", "sleep", t -> t.option("duration", "1500ms"))
            .build());
    client.deploy(
        Workflow.builder("parent_limited")
            .task("one", "sub_workflow", t -> sub("child_limited").forEach(t::option))
            .task("two", "sub_workflow", t -> sub("child_limited").forEach(t::option))
            .build());
    long parent = client.trigger("parent_limited");
    Await.until(
        () ->
            childrenOf("child_limited").stream()
                .map(WorkflowRun::state)
                .sorted()
                .toList()
                .equals(List.of(RunState.CREATED, RunState.RUNNING)));
    WorkflowRun held =
        childrenOf("child_limited").stream()
            .filter(r -> r.state() == RunState.CREATED)
            .findFirst()
            .orElseThrow();
    Explanation why = client.explain(held.id());
    assertThat(why.run().orElseThrow().code()).isEqualTo(Explanation.Code.MAX_ACTIVE_RUNS);

    assertThat(client.awaitRun(parent, Duration.ofSeconds(30)).state()).isEqualTo(RunState.SUCCESS);
    List<WorkflowRun> children =
        childrenOf("child_limited").stream()
            .sorted(Comparator.comparing(r -> r.startedAt().orElseThrow()))
            .toList();
    assertThat(children).extracting(WorkflowRun::state).containsOnly(RunState.SUCCESS);
    assertThat(children.get(1).startedAt().orElseThrow())
        .as("the second child starts once the first ended")
        .isAfterOrEqualTo(children.get(0).endedAt().orElseThrow());
    for (WorkflowRun child : children) {
      try (Connection c = platforms.dataSource().getConnection();
          Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT r.priority, a.neg_priority FROM t_job_flow_run r JOIN t_job_run a"
                      + " ON a.flow_run_id = r.id WHERE r.id = "
                      + child.id())) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getInt(1)).as("run priority").isEqualTo(7);
        assertThat(rs.getInt(2)).as("task priority, negated").isEqualTo(-7);
      }
    }
  }

  @Test
  void startingAChildIsIdempotentPerAttempt() throws Exception {
    client.deploy(Workflow.builder("child_once").task("x", "noop").build());
    client.deploy(Workflow.builder("starts_twice").task("t", "start_twice").build());
    WorkflowRun run = run("starts_twice");
    assertThat(run.state()).isEqualTo(RunState.SUCCESS);
    Map<String, String> out = Runs.latest(client, run.id()).get("t").outputs();
    assertThat(out.get("first")).isEqualTo(out.get("second"));
    assertThat(out).containsEntry("first_created", "true").containsEntry("second_created", "false");
    assertThat(childrenOf("child_once")).hasSize(1);
    try (Connection c = platforms.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT depth, parent_attempt_id FROM t_job_flow_run WHERE id = "
                    + out.get("first"))) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getInt(1)).isEqualTo(1);
      assertThat(rs.getLong(2)).isEqualTo(Runs.latest(client, run.id()).get("t").id());
    }
  }

  /** A task that starts the same child twice from one attempt, as a failover would. */
  static final class StartTwicePlugin implements TaskPlugin {
    @Override
    public List<TaskType> taskTypes() {
      return List.of(
          new TaskType() {
            @Override
            public String id() {
              return "start_twice";
            }

            @Override
            public TaskOutcome execute(TaskContext c) {
              PlatformAccess p = c.platform();
              PlatformAccess.ChildRun first =
                  p.startChild("child_once", Optional.empty(), Map.of());
              PlatformAccess.ChildRun second =
                  p.startChild("child_once", Optional.empty(), Map.of());
              return TaskOutcome.success(
                  Map.of(
                      "first", Long.toString(first.runId()),
                      "second", Long.toString(second.runId()),
                      "first_created", Boolean.toString(first.created()),
                      "second_created", Boolean.toString(second.created())));
            }
          });
    }
  }
}

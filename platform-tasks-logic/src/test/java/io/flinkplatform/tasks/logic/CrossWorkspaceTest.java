package io.flinkplatform.tasks.logic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flinkplatform.engine.Platform;
import io.flinkplatform.engine.PlatformClient;
import io.flinkplatform.engine.WorkflowValidationException;
import io.flinkplatform.engine.access.PlatformAdmin;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.run.TaskAttempt;
import io.flinkplatform.engine.run.TaskState;
import io.flinkplatform.engine.run.TriggerRequest;
import io.flinkplatform.engine.run.WorkflowRun;
import io.flinkplatform.engine.testing.TestPlatforms;
import io.flinkplatform.spi.Actor;
import io.flinkplatform.spi.OptionType;
import io.flinkplatform.spi.PlatformAccess;
import io.flinkplatform.spi.Role;
import io.flinkplatform.spi.TaskContext;
import io.flinkplatform.spi.TaskOption;
import io.flinkplatform.spi.TaskOutcome;
import io.flinkplatform.spi.TaskPlugin;
import io.flinkplatform.spi.TaskType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code sub_workflow} and {@code dependent} across workspaces: another workspace's workflow
 * ({@code a/name}) only while {@code a} grants it ({@code workflow} grant), refused at deploy
 * without one and failing at run time after a revoke; a plain name is always the task's own
 * workspace's.
 */
class CrossWorkspaceTest {
  private static final Instant DAY = Instant.parse("2024-05-01T10:00:00Z");
  private static TestPlatforms platforms;
  private static Platform platform;
  private static PlatformClient a;
  private static PlatformClient b;

  /** An operator of workspace b, who triggers b's runs. */
  private static PlatformClient bOperator;

  @BeforeAll
  static void start() {
    platforms = new TestPlatforms();
    platform =
        platforms.start(
            "xws", p -> p.plugin(new LogicTaskPlugin()).plugin(new PeekPlugin()).workerThreads(2));
    PlatformAdmin admin = platform.admin(Actor.SYSTEM);
    admin.createWorkspace("a", "owns the shared workflows");
    admin.createWorkspace("b", "uses them");
    a = platform.client(Actor.SYSTEM, "a");
    b = platform.client(Actor.SYSTEM, "b");
    b.setMember("bob", Role.OPERATOR);
    bOperator = platform.client(Actor.user("bob"), "b");
  }

  @AfterAll
  static void stop() {
    platforms.close();
  }

  private static Workflow subWorkflow(String name, String child) {
    return Workflow.builder(name)
        .task(
            "call",
            "sub_workflow",
            t -> t.option("workflow", child).option("poll_interval", "100ms"))
        .build();
  }

  private static Workflow dependent(String name, String item) {
    return Workflow.builder(name)
        .task(
            "wait",
            "dependent",
            t ->
                t.option("items", List.of(item))
                    .option("poll_interval", "100ms")
                    .option("wait_timeout", "30s"))
        .build();
  }

  private static WorkflowRun runAndAwait(PlatformClient client, String workflow) {
    long id = client.trigger(TriggerRequest.of(workflow).withLogicalDate(DAY));
    return client.awaitRun(id, Duration.ofSeconds(30));
  }

  private static TaskAttempt only(PlatformClient client, long runId) {
    List<TaskAttempt> attempts = client.attempts(runId);
    assertThat(attempts).hasSize(1); // refused for good: not retried
    return attempts.get(0);
  }

  /** The child runs the attempt started, whatever workspace they are in. */
  private static List<String> childrenOf(long attemptId) throws Exception {
    try (Connection c = platforms.dataSource().getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT CONCAT_WS(' ', id, workspace, flow_name, triggered_by)"
                    + " FROM t_job_flow_run WHERE parent_attempt_id = ?")) {
      ps.setLong(1, attemptId);
      try (ResultSet r = ps.executeQuery()) {
        List<String> rows = new java.util.ArrayList<>();
        while (r.next()) {
          rows.add(r.getString(1));
        }
        return rows;
      }
    }
  }

  @Test
  void aSubWorkflowOfAnotherWorkspaceNeedsItsGrantAtDeployAndAgainAtRunTime() throws Exception {
    a.deploy(Workflow.builder("child").task("calc", "noop").build());
    assertThatThrownBy(() -> b.deploy(subWorkflow("parent", "a/child")))
        .isInstanceOf(WorkflowValidationException.class)
        .hasMessageContaining("workflow 'a/child' belongs to workspace 'a'")
        .hasMessageContaining("has not granted it to workspace 'b'");
    assertThat(b.workflow("parent")).isEmpty();

    a.grant("b", "workflow", "child");
    b.deploy(subWorkflow("parent", "a/child"));
    WorkflowRun parent = runAndAwait(bOperator, "parent");
    assertThat(parent.state()).isEqualTo(RunState.SUCCESS);
    long attempt = only(b, parent.id()).id();
    List<String> children = childrenOf(attempt);
    assertThat(children).hasSize(1);
    // the child belongs to a, and records who triggered the parent
    assertThat(children.get(0)).endsWith(" a child bob");
    long childId = Long.parseLong(children.get(0).split(" ")[0]);
    assertThat(a.run(childId)).map(WorkflowRun::state).contains(RunState.SUCCESS);
    assertThat(b.run(childId)).isEmpty();

    assertThat(a.revoke("b", "workflow", "child")).isTrue();
    WorkflowRun refused = runAndAwait(bOperator, "parent");
    assertThat(refused.state()).isEqualTo(RunState.FAILED);
    TaskAttempt call = only(b, refused.id());
    assertThat(call.state()).isEqualTo(TaskState.FAILED);
    assertThat(call.message())
        .hasValueSatisfying(
            m -> assertThat(m).contains("a/child").contains("does not grant it to workspace 'b'"));
    assertThat(childrenOf(call.id())).isEmpty();
  }

  @Test
  void aDependentOnAnotherWorkspacesWorkflowNeedsItsGrantAtDeployAndAgainAtRunTime() {
    a.deploy(Workflow.builder("nightly").task("load", "noop").build());
    assertThat(runAndAwait(a, "nightly").state()).isEqualTo(RunState.SUCCESS);
    for (String item : List.of("a/nightly/*", "a/nightly/load@same_day")) {
      assertThatThrownBy(() -> b.deploy(dependent("waits", item)))
          .isInstanceOf(WorkflowValidationException.class)
          .hasMessageContaining("workflow 'nightly' belongs to workspace 'a'")
          .hasMessageContaining("has not granted it to workspace 'b'");
    }
    assertThat(b.workflow("waits")).isEmpty();

    a.grant("b", "workflow", "nightly");
    b.deploy(dependent("waits", "a/nightly/*"));
    b.deploy(dependent("waits_task", "a/nightly/load"));
    assertThat(runAndAwait(bOperator, "waits").state()).isEqualTo(RunState.SUCCESS);
    assertThat(runAndAwait(bOperator, "waits_task").state()).isEqualTo(RunState.SUCCESS);

    assertThat(a.revoke("b", "workflow", "nightly")).isTrue();
    for (String workflow : List.of("waits", "waits_task")) {
      WorkflowRun refused = runAndAwait(bOperator, workflow);
      assertThat(refused.state()).isEqualTo(RunState.FAILED);
      TaskAttempt wait = only(b, refused.id());
      assertThat(wait.message())
          .hasValueSatisfying(
              m ->
                  assertThat(m)
                      .contains("cannot wait for 'a/nightly")
                      .contains("does not grant it to workspace 'b'"));
    }
  }

  @Test
  void aPlainNameIsAWorkflowOfTheTasksOwnWorkspace() {
    // the same names in both workspaces, with different contents
    a.deploy(
        Workflow.builder("leaf")
            .task("calc", "emit", t -> t.option("outputs", Map.of("who", "a")))
            .build());
    b.deploy(
        Workflow.builder("leaf")
            .task("calc", "emit", t -> t.option("outputs", Map.of("who", "b")))
            .build());
    a.deploy(Workflow.builder("upstream").task("u", "noop").build());
    b.deploy(Workflow.builder("upstream").task("u", "fail").build());
    for (PlatformClient c : List.of(a, b)) {
      c.deploy(subWorkflow("calls_leaf", "leaf"));
      c.deploy(dependent("waits_upstream", "upstream"));
      runAndAwait(c, "upstream");
    }
    WorkflowRun inA = runAndAwait(a, "calls_leaf");
    WorkflowRun inB = runAndAwait(b, "calls_leaf");
    assertThat(only(a, inA.id()).outputs()).containsEntry("calc.who", "a");
    assertThat(only(b, inB.id()).outputs()).containsEntry("calc.who", "b");
    // a's upstream succeeded, b's failed: each dependent sees its own
    assertThat(runAndAwait(a, "waits_upstream").state()).isEqualTo(RunState.SUCCESS);
    WorkflowRun waitsInB = runAndAwait(b, "waits_upstream");
    assertThat(waitsInB.state()).isEqualTo(RunState.FAILED);
    assertThat(only(b, waitsInB.id()).message())
        .hasValueSatisfying(m -> assertThat(m).contains("upstream").contains("FAILED"));
  }

  /**
   * {@code peek}: a task that reads and tries to kill run {@code run} through its {@link
   * PlatformAccess}, and reports what it saw as outputs.
   */
  static final class PeekPlugin implements TaskPlugin {
    @Override
    public List<TaskType> taskTypes() {
      return List.of(
          new TaskType() {
            @Override
            public String id() {
              return "peek";
            }

            @Override
            public List<TaskOption> options() {
              return List.of(TaskOption.required("run", OptionType.LONG, "the run to look at"));
            }

            @Override
            public TaskOutcome execute(TaskContext c) {
              PlatformAccess p = c.platform();
              long run = c.config().longValue("run").orElseThrow();
              Map<String, String> out = new java.util.LinkedHashMap<>();
              out.put("run", p.run(run).map(r -> r.workflowName()).orElse("<none>"));
              out.put("tasks", attempt(() -> p.tasksOf(run).keySet().toString()));
              out.put("kill", attempt(() -> Boolean.toString(p.kill(run))));
              return TaskOutcome.success(out);
            }
          });
    }

    private static String attempt(java.util.function.Supplier<String> call) {
      try {
        return call.get();
      } catch (IllegalArgumentException e) {
        return "refused: " + e.getMessage();
      }
    }
  }

  @Test
  void aTasksPlatformAccessDoesNotReadOrKillRunsOfAnotherWorkspace() {
    a.deploy(
        Workflow.builder("long").task("nap", "sleep", t -> t.option("duration", "30s")).build());
    long foreign = a.trigger("long");
    b.deploy(Workflow.builder("peeks").task("p", "peek", t -> t.option("run", foreign)).build());
    WorkflowRun peek = runAndAwait(b, "peeks");
    assertThat(peek.state()).isEqualTo(RunState.SUCCESS);
    Map<String, String> saw = only(b, peek.id()).outputs();
    assertThat(saw).containsEntry("run", "<none>");
    assertThat(saw.get("tasks")).startsWith("refused: ").contains("does not exist");
    assertThat(saw.get("kill")).startsWith("refused: ").contains("does not exist");
    assertThat(a.run(foreign)).map(WorkflowRun::state).contains(RunState.RUNNING);
    // the same task in a sees it, and may kill it
    a.deploy(Workflow.builder("peeks").task("p", "peek", t -> t.option("run", foreign)).build());
    WorkflowRun own = runAndAwait(a, "peeks");
    assertThat(only(a, own.id()).outputs())
        .containsEntry("run", "long")
        .containsEntry("tasks", "[nap]")
        .containsEntry("kill", "true");
    assertThat(a.awaitRun(foreign, Duration.ofSeconds(30)).state()).isEqualTo(RunState.KILLED);
  }
}

package io.flinkplatform.tasks.logic;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinkplatform.engine.Platform;
import io.flinkplatform.engine.PlatformClient;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.run.TaskAttempt;
import io.flinkplatform.engine.run.TaskState;
import io.flinkplatform.engine.run.TriggerRequest;
import io.flinkplatform.engine.testing.Await;
import io.flinkplatform.engine.testing.TestPlatforms;
import io.flinkplatform.engine.testing.TestTasks;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A sub-workflow task handed over to another instance re-attaches to its child. */
class SubWorkflowFailoverTest {
  private static final String GATE = "fo_child_x";

  @Test
  void theNextOwnerReattachesToTheSameChildInsteadOfStartingAnother() throws Exception {
    try (TestPlatforms platforms = new TestPlatforms()) {
      Platform first = platforms.start("first", b -> b.plugin(new LogicTaskPlugin()));
      PlatformClient client = first.client();
      // the child's task waits at a gate, opened once "first" handed the sub-workflow task back:
      // the child cannot end while "first" still watches it
      client.deploy(
          Workflow.builder("fo_child").task("x", "gate", t -> t.option("gate", GATE)).build());
      client.deploy(
          Workflow.builder("fo_parent")
              .task(
                  "sub",
                  "sub_workflow",
                  t -> t.option("workflow", "fo_child").option("poll_interval", "100ms"))
              .build());
      long parent = client.trigger(TriggerRequest.of("fo_parent"));
      Await.until(
          () ->
              Runs.latest(client, parent).get("sub").externalRef().isPresent()
                  && !client.runs("fo_child", 10).isEmpty());
      Platform second = platforms.start("second", b -> b.plugin(new LogicTaskPlugin()));
      first.stop(); // hands the running attempt back; the child keeps its run
      TestTasks.Gate.open(GATE);
      PlatformClient other = second.client();
      assertThat(other.awaitRun(parent, Duration.ofSeconds(30)).state())
          .isEqualTo(RunState.SUCCESS);
      List<TaskAttempt> subs =
          other.attempts(parent).stream().filter(a -> a.taskId().equals("sub")).toList();
      assertThat(subs).hasSize(1);
      assertThat(subs.get(0).state()).isEqualTo(TaskState.SUCCESS);
      assertThat(subs.get(0).epoch()).isGreaterThanOrEqualTo(2); // claimed again after the handover
      assertThat(other.log(subs.get(0))).contains("re-attached");
      assertThat(other.runs("fo_child", 10)).hasSize(1);
      assertThat(other.runs("fo_child", 10).get(0).state()).isEqualTo(RunState.SUCCESS);
    }
  }
}

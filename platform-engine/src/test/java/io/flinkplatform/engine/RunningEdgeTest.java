package io.flinkplatform.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flinkplatform.engine.dag.EdgeCondition;
import io.flinkplatform.engine.dag.RetryPolicy;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.dag.WorkflowJson;
import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.run.TaskAttempt;
import io.flinkplatform.engine.run.TaskState;
import io.flinkplatform.engine.testing.Await;
import io.flinkplatform.engine.testing.TestPlatforms;
import io.flinkplatform.engine.testing.TestTasks;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * RUNNING edges (a running external task releases its downstream tasks and keeps running), new
 * references handed over while polling, and submissions that fail without retries.
 */
class RunningEdgeTest {
  private static TestPlatforms platforms;
  private static PlatformClient client;

  @BeforeAll
  static void start() {
    platforms = new TestPlatforms();
    client = platforms.start("running-edge").client();
  }

  @AfterAll
  static void stop() {
    platforms.close();
  }

  @Test
  void runningEdgeStartsDownstreamWhileTheStreamRunsAndTheRunEndsWithTheStream() throws Exception {
    client.deploy(
        Workflow.builder("stream_then_report")
            .task("stream", "stream", t -> {})
            .task("report", "noop", t -> t.after("stream", EdgeCondition.RUNNING))
            .task("cleanup", "noop", t -> t.after("stream"))
            .build());
    long run = client.trigger("stream_then_report");
    Await.until(() -> state(run, "report") == TaskState.SUCCESS);

    TaskAttempt stream = latest(run, "stream");
    assertThat(stream.state()).isEqualTo(TaskState.RUNNING);
    assertThat(latest(run, "cleanup").state()).isEqualTo(TaskState.WAITING);
    assertThat(client.run(run).orElseThrow().state()).isEqualTo(RunState.RUNNING);
    Await.until(
        () ->
            latest(run, "stream")
                .externalRef()
                .map(r -> r.contains("\"generation\":\"1\""))
                .orElse(false));

    TestTasks.Stream.STOP.add(stream.id());
    assertThat(client.awaitRun(run, Duration.ofSeconds(30)).state()).isEqualTo(RunState.SUCCESS);
    assertThat(latest(run, "stream").outputs()).containsEntry("generation", "1");
    assertThat(latest(run, "cleanup").state()).isEqualTo(TaskState.SUCCESS);
    assertThat(client.attempts(run)).hasSize(3);
  }

  @Test
  void runningEdgeFromATaskThatFailsBeforeReleasingIsUpstreamFailed() {
    client.deploy(
        Workflow.builder("rejected_stream")
            .task(
                "stream",
                "stream",
                t -> t.option("reject", true).retry(RetryPolicy.fixed(3, Duration.ofMillis(10))))
            .task("report", "noop", t -> t.after("stream", EdgeCondition.RUNNING))
            .build());
    long run = client.trigger("rejected_stream");
    assertThat(client.awaitRun(run, Duration.ofSeconds(30)).state()).isEqualTo(RunState.FAILED);
    List<TaskAttempt> attempts =
        client.attempts(run).stream().filter(a -> a.taskId().equals("stream")).toList();
    assertThat(attempts).as("a fatal submit failure is not retried").hasSize(1);
    assertThat(attempts.get(0).message()).get().asString().contains("rejected by the test");
    assertThat(TestTasks.Stream.SUBMISSIONS.get(attempts.get(0).id())).isEqualTo(1);
    assertThat(latest(run, "report").state()).isEqualTo(TaskState.UPSTREAM_FAILED);
  }

  /**
   * A release is a fact of its attempt: the RUNNING edge it fired stays fired when the stream fails
   * later, so the task behind it still waits for its other upstream task and then runs. (The
   * completion path once forgot the release of the attempt it was ending, and so ended the task
   * UPSTREAM_FAILED, where a rerun or mark, or a later outcome, counted the edge as fired.)
   */
  @Test
  void aReleaseStillCountsAfterTheReleasingStreamFailed() throws Exception {
    client.deploy(
        Workflow.builder("released_then_failed")
            .task("stream", "stream", t -> t.option("fail_at_stop", true))
            .task("gate", "stream", t -> {})
            .task(
                "report",
                "noop",
                t -> t.after("stream", EdgeCondition.RUNNING).after("gate", EdgeCondition.SUCCESS))
            .build());
    long run = client.trigger("released_then_failed");
    Await.until(() -> generation(run, "stream") && generation(run, "gate"));
    assertThat(state(run, "report")).isEqualTo(TaskState.WAITING);

    TestTasks.Stream.STOP.add(latest(run, "stream").id());
    Await.until(() -> state(run, "stream") == TaskState.FAILED);
    assertThat(state(run, "report"))
        .as("the stream's RUNNING edge fired when it released; the gate has not ended")
        .isEqualTo(TaskState.WAITING);

    TestTasks.Stream.STOP.add(latest(run, "gate").id());
    assertThat(client.awaitRun(run, Duration.ofSeconds(30)).state()).isEqualTo(RunState.FAILED);
    assertThat(state(run, "gate")).isEqualTo(TaskState.SUCCESS);
    assertThat(state(run, "report")).isEqualTo(TaskState.SUCCESS);
  }

  @Test
  void killingAReleasedStreamKillsTheRun() throws Exception {
    client.deploy(
        Workflow.builder("stream_killed")
            .task("stream", "stream", t -> {})
            .task("report", "noop", t -> t.after("stream", EdgeCondition.RUNNING))
            .build());
    long run = client.trigger("stream_killed");
    Await.until(() -> state(run, "report") == TaskState.SUCCESS);
    assertThat(client.kill(run)).isTrue();
    assertThat(client.awaitRun(run, Duration.ofSeconds(30)).state()).isEqualTo(RunState.KILLED);
    assertThat(latest(run, "stream").state()).isEqualTo(TaskState.KILLED);
  }

  @Test
  void runningEdgesNeedAnExternalUpstreamAndRoundTripThroughJson() {
    Workflow bad =
        Workflow.builder("running_from_noop")
            .task("a", "noop", t -> {})
            .task("b", "noop", t -> t.after("a", EdgeCondition.RUNNING))
            .build();
    assertThatThrownBy(() -> client.deploy(bad))
        .isInstanceOf(WorkflowValidationException.class)
        .hasMessageContaining("edge a -> b on RUNNING")
        .hasMessageContaining("RUNNING edges need an external task type");
    assertThat(client.workflow("running_from_noop")).isEmpty();

    Workflow good =
        Workflow.builder("running_json")
            .task("s", "stream", t -> {})
            .task("b", "noop", t -> t.after("s", EdgeCondition.RUNNING))
            .build();
    String json = WorkflowJson.write(good);
    assertThat(json).contains("\"RUNNING\"");
    assertThat(WorkflowJson.read(json).edges()).isEqualTo(good.edges());
  }

  /** Whether the task's external work is up and released (it hands over generation 1 then). */
  private static boolean generation(long run, String task) {
    return latest(run, task)
        .externalRef()
        .map(r -> r.contains("\"generation\":\"1\""))
        .orElse(false);
  }

  private static TaskState state(long run, String task) {
    return latest(run, task).state();
  }

  private static TaskAttempt latest(long run, String task) {
    return client.attempts(run).stream()
        .filter(a -> a.taskId().equals(task))
        .max(Comparator.comparingInt(TaskAttempt::attempt))
        .orElseThrow();
  }
}

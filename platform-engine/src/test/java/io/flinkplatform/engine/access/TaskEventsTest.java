package io.flinkplatform.engine.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.flinkplatform.engine.Platform;
import io.flinkplatform.engine.PlatformClient;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.event.PlatformEvent;
import io.flinkplatform.engine.event.PlatformEvent.TaskStateChanged;
import io.flinkplatform.engine.run.RerunRequest;
import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.run.TaskState;
import io.flinkplatform.engine.testing.Await;
import io.flinkplatform.engine.testing.TestPlatforms;
import io.flinkplatform.spi.Actor;
import io.flinkplatform.spi.Role;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link TaskStateChanged} events carry the run's workspace and who made the change: the caller of
 * a kill, a mark or a rerun for the attempts that call changed, the system for what the platform
 * did itself.
 */
class TaskEventsTest {
  private static final String WS = "team-events";
  private static final String SYSTEM = Actor.SYSTEM.name();
  private static final ConcurrentLinkedQueue<PlatformEvent> EVENTS = new ConcurrentLinkedQueue<>();
  private static TestPlatforms platforms;
  private static Platform platform;
  private static PlatformClient alice;

  @BeforeAll
  static void start() {
    platforms = new TestPlatforms();
    platform = platforms.start("task-events", b -> b.listener(EVENTS::add));
    platform.admin(Actor.SYSTEM).createWorkspace(WS, "task events");
    PlatformClient system = platform.client(Actor.SYSTEM, WS);
    system.setMember("alice", Role.OPERATOR);
    system.deploy(
        Workflow.builder("slow")
            .task("sleeps", "sleep", t -> t.option("duration", "60s"))
            .task("after", "noop", t -> t.after("sleeps"))
            .build());
    system.deploy(Workflow.builder("bad").task("t", "fail").build());
    system.deploy(
        Workflow.builder("two")
            .task("a", "noop", t -> {})
            .task("b", "noop", t -> t.after("a"))
            .build());
    alice = platform.client(Actor.user("alice"), WS);
  }

  @AfterAll
  static void stop() {
    platforms.close();
  }

  @Test
  void aKillNamesItsCallerForTheAttemptsItEndedAndTheSystemForTheRunningOne() throws Exception {
    long run = alice.trigger("slow");
    Await.until(
        () ->
            alice.attempts(run).stream()
                .anyMatch(a -> a.taskId().equals("sleeps") && a.state() == TaskState.RUNNING));
    alice.kill(run);
    assertThat(alice.awaitRun(run, Duration.ofSeconds(30)).state()).isEqualTo(RunState.KILLED);
    List<TaskStateChanged> killed = awaitEvents(run, TaskState.KILLED, 2);
    assertThat(killed)
        .extracting(TaskStateChanged::taskId, TaskStateChanged::actor, TaskStateChanged::workspace)
        .containsExactlyInAnyOrder(
            tuple("after", "alice", WS), // never started: the kill ended it
            tuple("sleeps", SYSTEM, WS)); // cancelled by its worker
  }

  @Test
  void aMarkAndARerunNameTheirCaller() throws Exception {
    long run = alice.trigger("bad");
    assertThat(alice.awaitRun(run, Duration.ofSeconds(30)).state()).isEqualTo(RunState.FAILED);
    assertThat(awaitEvents(run, TaskState.FAILED, 1))
        .extracting(TaskStateChanged::actor, TaskStateChanged::workspace)
        .containsExactly(tuple(SYSTEM, WS));

    alice.markTask(run, "t", TaskState.SUCCESS);
    assertThat(alice.awaitRun(run, Duration.ofSeconds(30)).state()).isEqualTo(RunState.SUCCESS);
    assertThat(awaitEvents(run, TaskState.SUCCESS, 1))
        .extracting(TaskStateChanged::attempt, TaskStateChanged::actor, TaskStateChanged::workspace)
        .containsExactly(tuple(2, "alice", WS));

    long done = alice.trigger("two");
    assertThat(alice.awaitRun(done, Duration.ofSeconds(30)).state()).isEqualTo(RunState.SUCCESS);
    awaitEvents(done, TaskState.SUCCESS, 2);
    alice.rerun(RerunRequest.task(done, "b"));
    assertThat(alice.awaitRun(done, Duration.ofSeconds(30)).state()).isEqualTo(RunState.SUCCESS);
    List<TaskStateChanged> again = awaitEvents(done, TaskState.SUCCESS, 3);
    assertThat(again.get(2).attempt()).isEqualTo(2);
    // the rerun made the new attempt (the caller's); the platform ran it (the system's)
    assertThat(events(done))
        .filteredOn(e -> e.taskId().equals("b") && e.attempt() == 2)
        .extracting(TaskStateChanged::state, TaskStateChanged::actor)
        .containsExactly(
            tuple(TaskState.READY, "alice"),
            tuple(TaskState.RUNNING, SYSTEM),
            tuple(TaskState.SUCCESS, SYSTEM));
  }

  @Test
  void whatThePlatformDoesItselfCarriesTheSystemAndTheRunsWorkspace() throws Exception {
    long run = alice.trigger("two");
    assertThat(alice.awaitRun(run, Duration.ofSeconds(30)).state()).isEqualTo(RunState.SUCCESS);
    awaitEvents(run, TaskState.SUCCESS, 2);
    // claims (RUNNING), outcomes (SUCCESS) and the task downstream readied by the completer
    assertThat(events(run))
        .extracting(
            TaskStateChanged::taskId,
            TaskStateChanged::state,
            TaskStateChanged::actor,
            TaskStateChanged::workspace)
        .containsExactly(
            tuple("a", TaskState.RUNNING, SYSTEM, WS),
            tuple("a", TaskState.SUCCESS, SYSTEM, WS),
            tuple("b", TaskState.READY, SYSTEM, WS),
            tuple("b", TaskState.RUNNING, SYSTEM, WS),
            tuple("b", TaskState.SUCCESS, SYSTEM, WS));
  }

  private static List<TaskStateChanged> events(long run) {
    return EVENTS.stream()
        .filter(e -> e instanceof TaskStateChanged t && t.runId() == run)
        .map(e -> (TaskStateChanged) e)
        .toList();
  }

  /** The run's task events in {@code state}, once there are {@code count} of them. */
  private static List<TaskStateChanged> awaitEvents(long run, TaskState state, int count)
      throws InterruptedException {
    Await.until(() -> events(run).stream().filter(e -> e.state() == state).count() >= count);
    return events(run).stream().filter(e -> e.state() == state).toList();
  }
}

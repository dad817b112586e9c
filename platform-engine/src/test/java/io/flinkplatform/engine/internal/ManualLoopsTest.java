package io.flinkplatform.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinkplatform.engine.PlatformClient;
import io.flinkplatform.engine.PlatformSettings;
import io.flinkplatform.engine.dag.RetryPolicy;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.run.TaskAttempt;
import io.flinkplatform.engine.run.TaskState;
import io.flinkplatform.engine.testing.ManualClock;
import io.flinkplatform.engine.testing.TestPlatforms;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Manual mode: no loop thread runs; each pass runs when the test says so, and a moved clock alone
 * makes retries due.
 */
class ManualLoopsTest {
  private static final Duration QUIET = Duration.ofSeconds(30);
  private final ManualClock clock = new ManualClock(Instant.parse("2030-01-01T00:00:00Z"));
  private TestPlatforms platforms;
  private Engine engine;
  private ManualLoops loops;
  private PlatformClient client;

  @BeforeEach
  void start() {
    platforms = new TestPlatforms();
    PlatformSettings settings =
        TestPlatforms.builder(platforms.dataSource(), "manual").clock(clock).build().settings();
    engine = new Engine(settings);
    loops = engine.startManual();
    client =
        engine.client(io.flinkplatform.spi.Actor.SYSTEM, io.flinkplatform.spi.Workspaces.DEFAULT);
  }

  @AfterEach
  void stop() {
    engine.stop();
    platforms.close();
  }

  @Test
  void listsTheLoopsInDataPathOrder() {
    assertThat(loops.names())
        .containsExactly(
            "schedule",
            "admission",
            "dispatcher",
            "external-poller",
            "completer",
            "heartbeat",
            "reaper",
            "priority-ageing",
            "stranded-runs",
            "lease-watchdog",
            "alert-delivery",
            "alert-scan");
  }

  @Test
  void eachTickRunsOneLevelOfTheWorkflow() throws Exception {
    client.deploy(
        Workflow.builder("chain")
            .task("a", "noop", t -> {})
            .task("b", "noop", t -> t.after("a"))
            .build());
    long run = client.trigger("chain");

    loops.tick();
    assertThat(loops.awaitQuiet(QUIET)).isTrue();
    assertThat(states(run))
        .containsOnly(Map.entry("a", TaskState.SUCCESS), Map.entry("b", TaskState.READY));

    loops.tick();
    assertThat(loops.awaitQuiet(QUIET)).isTrue();
    assertThat(client.run(run).orElseThrow().state()).isEqualTo(RunState.SUCCESS);
    assertThat(client.attempts(run)).hasSize(2);
  }

  @Test
  void aRetryWaitsForTheClockNotForTime() throws Exception {
    client.deploy(
        Workflow.builder("retry")
            .task(
                "flaky",
                "fail",
                t -> t.option("failTimes", 1).retry(RetryPolicy.fixed(1, Duration.ofHours(1))))
            .build());
    long run = client.trigger("retry");
    loops.tick();
    assertThat(loops.awaitQuiet(QUIET)).isTrue();

    loops.tick();
    assertThat(loops.awaitQuiet(QUIET)).isTrue();
    List<TaskAttempt> attempts = client.attempts(run);
    assertThat(attempts).extracting(TaskAttempt::state).contains(TaskState.FAILED);
    assertThat(attempts).noneMatch(a -> a.state() == TaskState.SUCCESS);

    clock.advance(Duration.ofHours(1));
    loops.tick();
    assertThat(loops.awaitQuiet(QUIET)).isTrue();
    assertThat(client.run(run).orElseThrow().state()).isEqualTo(RunState.SUCCESS);
    assertThat(client.attempts(run))
        .extracting(TaskAttempt::attempt, TaskAttempt::state)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1, TaskState.FAILED),
            org.assertj.core.groups.Tuple.tuple(2, TaskState.SUCCESS));
  }

  private Map<String, TaskState> states(long run) {
    return client.attempts(run).stream()
        .collect(java.util.stream.Collectors.toMap(TaskAttempt::taskId, TaskAttempt::state));
  }
}

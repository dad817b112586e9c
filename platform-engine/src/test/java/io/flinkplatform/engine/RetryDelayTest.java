package io.flinkplatform.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.flinkplatform.engine.dag.RetryPolicy;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.run.Explanation;
import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.run.TaskAttempt;
import io.flinkplatform.engine.run.TaskState;
import io.flinkplatform.engine.testing.ManualClock;
import io.flinkplatform.engine.testing.ManualPlatform;
import io.flinkplatform.engine.testing.TestPlatforms;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Retry delays on a {@link ManualPlatform}: a retry is not claimed a millisecond before its delay
 * ran out and is claimed at once when it did, so the delays show exactly in the attempts' times.
 */
class RetryDelayTest {
  private static final Instant T0 = Instant.parse("2026-06-01T00:00:00Z");
  private TestPlatforms platforms;
  private ManualPlatform platform;
  private PlatformClient client;

  @BeforeEach
  void start() {
    platforms = new TestPlatforms();
    platform = platforms.manual(new ManualClock(T0), b -> {});
    client = platform.client();
  }

  @AfterEach
  void stop() {
    platforms.close();
  }

  private List<TaskAttempt> attempts(long runId) {
    return client.attempts(runId);
  }

  @Test
  void retriesWithExponentialBackoffUntilSuccessAndKeepsEveryAttempt() {
    client.deploy(
        Workflow.builder("retry")
            .task(
                "flaky",
                "fail",
                t ->
                    t.option("failTimes", 2)
                        .retry(
                            RetryPolicy.exponential(
                                3, Duration.ofMillis(100), Duration.ofSeconds(1))))
            .build());
    long id = client.trigger("retry");

    platform.runUntilIdle();
    assertThat(attempts(id))
        .extracting(TaskAttempt::attempt, TaskAttempt::state)
        .containsExactly(tuple(1, TaskState.FAILED), tuple(2, TaskState.READY));
    assertThat(client.explain(id).tasks())
        .singleElement()
        .satisfies(
            t ->
                assertThat(t.reasons())
                    .extracting(Explanation.Reason::code)
                    .contains(Explanation.Code.RETRY_BACKOFF));

    platform.advance(Duration.ofMillis(99)).runUntilIdle();
    assertThat(attempts(id)).hasSize(2).last().returns(TaskState.READY, TaskAttempt::state);
    platform.advance(Duration.ofMillis(1)).runUntilIdle();
    assertThat(attempts(id))
        .extracting(TaskAttempt::attempt, TaskAttempt::state)
        .containsExactly(
            tuple(1, TaskState.FAILED), tuple(2, TaskState.FAILED), tuple(3, TaskState.READY));

    // exponential: 100 ms before attempt 2, 200 ms before attempt 3
    platform.advance(Duration.ofMillis(199)).runUntilIdle();
    assertThat(attempts(id)).last().returns(TaskState.READY, TaskAttempt::state);
    platform.advance(Duration.ofMillis(1)).runUntilIdle();

    assertThat(client.run(id).orElseThrow().state()).isEqualTo(RunState.SUCCESS);
    List<TaskAttempt> attempts = attempts(id);
    assertThat(attempts)
        .extracting(TaskAttempt::attempt, TaskAttempt::state)
        .containsExactly(
            tuple(1, TaskState.FAILED), tuple(2, TaskState.FAILED), tuple(3, TaskState.SUCCESS));
    assertThat(attempts)
        .extracting(a -> a.startedAt().orElseThrow())
        .containsExactly(T0, T0.plusMillis(100), T0.plusMillis(300));
    assertThat(attempts.get(0).message()).contains("planned failure of attempt 1");
    assertThat(client.log(attempts.get(2))).contains("attempt 3");
  }

  @Test
  void retriesRunOutAndTheRunFailsAfterTheLastDelay() {
    client.deploy(
        Workflow.builder("bad")
            .task("bad", "fail", t -> t.retry(RetryPolicy.fixed(1, Duration.ofMinutes(10))))
            .build());
    long id = client.trigger("bad");

    platform.runUntilIdle();
    platform.advance(Duration.ofMinutes(10).minusMillis(1)).runUntilIdle();
    assertThat(client.run(id).orElseThrow().state()).isEqualTo(RunState.RUNNING);
    platform.advance(Duration.ofMillis(1)).runUntilIdle();

    assertThat(client.run(id).orElseThrow().state()).isEqualTo(RunState.FAILED);
    assertThat(attempts(id))
        .extracting(TaskAttempt::attempt, TaskAttempt::state)
        .containsExactly(tuple(1, TaskState.FAILED), tuple(2, TaskState.FAILED));
  }
}

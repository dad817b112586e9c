package io.flinkplatform.engine.testing.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.zaxxer.hikari.HikariDataSource;
import io.flinkplatform.engine.PlatformClient;
import io.flinkplatform.engine.dag.RetryPolicy;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.event.PlatformEvent;
import io.flinkplatform.engine.run.Explanation;
import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.run.TaskAttempt;
import io.flinkplatform.engine.run.TaskState;
import io.flinkplatform.engine.run.WorkflowRun;
import io.flinkplatform.engine.schedule.ScheduleSpec;
import io.flinkplatform.engine.testing.ManualPlatform;
import io.flinkplatform.engine.testing.TestDatabase;
import io.flinkplatform.spi.TaskContext;
import io.flinkplatform.spi.TaskOutcome;
import io.flinkplatform.spi.TaskPlugin;
import io.flinkplatform.spi.TaskType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The example of docs/testing.md: a host tests its nightly billing workflow (a schedule at 02:00, a
 * charge that is retried five minutes after a failure, then a receipt) on a {@link ManualPlatform},
 * moving the clock instead of waiting. It uses only the public API; the database is the engine
 * tests' embedded one, where a host would give its own {@code DataSource}.
 */
class NightlyBillingTest {
  private static final Instant MIDNIGHT = Instant.parse("2026-06-01T00:00:00Z");
  private static final Instant TWO_AM = MIDNIGHT.plus(Duration.ofHours(2));

  private final PaymentGateway gateway = new PaymentGateway();
  private HikariDataSource dataSource;
  private ManualPlatform platform;
  private PlatformClient client;

  @BeforeEach
  void start() {
    dataSource = TestDatabase.get().newDatabase();
    platform =
        ManualPlatform.builder()
            .dataSource(dataSource)
            .startingAt(MIDNIGHT)
            .plugin(new BillingPlugin(gateway))
            .configure(b -> b.discoverPlugins(false))
            .build();
    client = platform.client();
    client.deploy(
        Workflow.builder("nightly_billing")
            .task("charge", "charge", t -> t.retry(RetryPolicy.fixed(2, Duration.ofMinutes(5))))
            .task("receipt", "receipt", t -> t.after("charge"))
            .build());
    client.saveSchedule(ScheduleSpec.builder("nightly", "nightly_billing", "0 2 * * *").build());
  }

  @AfterEach
  void stop() {
    platform.close();
    dataSource.close();
  }

  @Test
  void theNightlyRunRetriesAFailedChargeFiveMinutesLater() {
    gateway.failNextCalls(1);

    platform.advance(Duration.ofHours(2).minusSeconds(1)).runUntilIdle();
    assertThat(client.runs("nightly_billing", 10)).as("01:59:59, before the fire time").isEmpty();

    platform.advance(Duration.ofSeconds(1)).runUntilIdle();
    WorkflowRun run = onlyRun();
    assertThat(run.logicalDate()).isEqualTo(TWO_AM);
    assertThat(client.attempts(run.id()))
        .extracting(TaskAttempt::taskId, TaskAttempt::attempt, TaskAttempt::state)
        .containsExactly(
            tuple("charge", 1, TaskState.FAILED),
            tuple("receipt", 1, TaskState.WAITING),
            tuple("charge", 2, TaskState.READY));
    assertThat(reasons(run.id(), "charge")).contains(Explanation.Code.RETRY_BACKOFF);

    platform.advance(Duration.ofMinutes(5).minusSeconds(1)).runUntilIdle();
    assertThat(gateway.calls()).as("the retry waits its five minutes").hasSize(1);

    platform.advance(Duration.ofSeconds(1)).runUntilIdle();
    assertThat(gateway.calls()).hasSize(2);
    assertThat(client.run(run.id()).orElseThrow().state()).isEqualTo(RunState.SUCCESS);
    assertThat(client.attempts(run.id()))
        .filteredOn(a -> a.taskId().equals("receipt"))
        .singleElement()
        .satisfies(a -> assertThat(a.outputs()).containsEntry("amount", "42.00"));
    assertThat(platform.events(PlatformEvent.RunStateChanged.class))
        .filteredOn(e -> e.state().isFinal())
        .singleElement()
        .satisfies(e -> assertThat(e.at()).isEqualTo(TWO_AM.plus(Duration.ofMinutes(5))));
  }

  @Test
  void aChargeThatKeepsFailingEndsTheRunFailedAfterTwoRetries() {
    gateway.failNextCalls(3);

    platform.advance(Duration.ofHours(2)).runUntilIdle();
    platform.advance(Duration.ofMinutes(5)).runUntilIdle();
    platform.advance(Duration.ofMinutes(5)).runUntilIdle();

    WorkflowRun run = client.run(onlyRun().id()).orElseThrow();
    assertThat(run.state()).isEqualTo(RunState.FAILED);
    assertThat(gateway.calls()).hasSize(3);
    assertThat(client.attempts(run.id()))
        .filteredOn(a -> a.taskId().equals("receipt"))
        .extracting(TaskAttempt::state)
        .containsExactly(TaskState.UPSTREAM_FAILED);
  }

  private WorkflowRun onlyRun() {
    List<WorkflowRun> runs = client.runs("nightly_billing", 10);
    assertThat(runs).hasSize(1);
    return runs.get(0);
  }

  private List<Explanation.Code> reasons(long runId, String taskId) {
    return client.explain(runId).tasks().stream()
        .filter(t -> t.taskId().equals(taskId))
        .flatMap(t -> t.reasons().stream())
        .map(Explanation.Reason::code)
        .toList();
  }

  /** The host's stand-in for its payment provider: records calls, fails the next n of them. */
  static final class PaymentGateway {
    private final List<Instant> calls = new ArrayList<>();
    private int failures;

    synchronized void failNextCalls(int n) {
      failures = n;
    }

    synchronized boolean charge(Instant at) {
      calls.add(at);
      return failures-- <= 0;
    }

    synchronized List<Instant> calls() {
      return List.copyOf(calls);
    }
  }

  /** The host's task types: a charge through the gateway, and a receipt of its amount. */
  static final class BillingPlugin implements TaskPlugin {
    private final PaymentGateway gateway;

    BillingPlugin(PaymentGateway gateway) {
      this.gateway = gateway;
    }

    @Override
    public List<TaskType> taskTypes() {
      return List.of(
          new TaskType() {
            @Override
            public String id() {
              return "charge";
            }

            @Override
            public TaskOutcome execute(TaskContext c) {
              return gateway.charge(c.clock().instant())
                  ? TaskOutcome.success(Map.of("amount", "42.00"))
                  : TaskOutcome.failure("the gateway is down");
            }
          },
          new TaskType() {
            @Override
            public String id() {
              return "receipt";
            }

            @Override
            public TaskOutcome execute(TaskContext c) {
              return TaskOutcome.success(c.upstreamOutputs().get("charge"));
            }
          });
    }
  }
}

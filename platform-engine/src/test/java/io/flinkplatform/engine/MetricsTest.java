package io.flinkplatform.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.schedule.ScheduleSpec;
import io.flinkplatform.engine.testing.Await;
import io.flinkplatform.engine.testing.Sql;
import io.flinkplatform.engine.testing.TestPlatforms;
import io.flinkplatform.engine.testing.TestTasks;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The meters on a real {@link SimpleMeterRegistry} after real runs on the real database: runs and
 * attempts by state, task durations, claim and completion batches, fire lag, lease renewals, the
 * queue depth gauge, a stale write, and the health of a running platform.
 */
class MetricsTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Set<String> BOUNDED_TAGS =
      Set.of(
          "instance", "workflow", "state", "task.type", "band", "loop", "channel.type", "outcome");

  @Test
  void runsAttemptsBatchesFireLagAndRenewalsAreMeasuredAndTheHealthIsUp() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (TestPlatforms platforms = new TestPlatforms()) {
      Platform platform = platforms.start("metered", b -> b.meterRegistry(registry));
      PlatformClient client = platform.client();
      client.deploy(
          Workflow.builder("ok_flow")
              .task("a", "sleep", t -> t.option("duration", "200ms"))
              .task("b", "noop", t -> t.after("a"))
              .build());
      client.deploy(
          Workflow.builder("bad_flow")
              .task("f", "fail", t -> t.option("retryable", false))
              .build());
      client.deploy(Workflow.builder("tick").task("n", "noop", t -> {}).build());
      assertThat(client.awaitRun(client.trigger("ok_flow"), WAIT).state())
          .isEqualTo(RunState.SUCCESS);
      assertThat(client.awaitRun(client.trigger("bad_flow"), WAIT).state())
          .isEqualTo(RunState.FAILED);
      client.saveSchedule(ScheduleSpec.builder("every-second", "tick", "* * * * * ?").build());

      // the run counters come from events, delivered off the engine's threads
      Await.until(
          WAIT,
          () ->
              count(registry, "flinkplatform.runs.ended", "workflow", "bad_flow", "state", "FAILED")
                      == 1
                  && timer(registry, "flinkplatform.schedule.fire.lag") != null
                  && timer(registry, "flinkplatform.schedule.fire.lag").count() > 0
                  && count(registry, "flinkplatform.lease.renewals") > 0);
      assertThat(count(registry, "flinkplatform.runs.started", "workflow", "ok_flow")).isEqualTo(1);
      assertThat(
              count(
                  registry, "flinkplatform.runs.ended", "workflow", "ok_flow", "state", "SUCCESS"))
          .isEqualTo(1);
      assertThat(count(registry, "flinkplatform.attempts.started", "task.type", "sleep"))
          .isEqualTo(1);
      assertThat(count(registry, "flinkplatform.attempts.started", "task.type", "fail"))
          .isEqualTo(1);
      assertThat(
              count(
                  registry,
                  "flinkplatform.attempts.ended",
                  "task.type",
                  "sleep",
                  "state",
                  "SUCCESS"))
          .isEqualTo(1);
      assertThat(
              count(
                  registry, "flinkplatform.attempts.ended", "task.type", "fail", "state", "FAILED"))
          .isEqualTo(1);
      Timer sleep = registry.find("flinkplatform.task.duration").tag("task.type", "sleep").timer();
      assertThat(sleep.count()).isEqualTo(1);
      assertThat(sleep.totalTime(TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(200);
      DistributionSummary claims = registry.find("flinkplatform.claim.batch").summary();
      assertThat(claims.count()).isPositive();
      assertThat(claims.totalAmount()).isGreaterThanOrEqualTo(3);
      assertThat(timer(registry, "flinkplatform.claim.latency").count()).isEqualTo(claims.count());
      DistributionSummary commits = registry.find("flinkplatform.completion.batch").summary();
      assertThat(commits.count()).isPositive();
      assertThat(commits.totalAmount()).isGreaterThanOrEqualTo(3);
      assertThat(timer(registry, "flinkplatform.completion.latency").count())
          .isEqualTo(commits.count());

      // every meter is this instance's, and no tag is unbounded (a run id, a task's attempt)
      for (Meter m : registry.getMeters()) {
        assertThat(m.getId().getTag("instance")).as(m.getId().toString()).isEqualTo("metered");
        for (Tag t : m.getId().getTags()) {
          assertThat(BOUNDED_TAGS).as(m.getId().toString()).contains(t.getKey());
        }
      }

      Health health = platform.health();
      assertThat(health.status()).as(health.toString()).isEqualTo(Health.Status.UP);
      assertThat(health.checks())
          .extracting(Health.Check::name)
          .contains(
              "database",
              "loop:scheduler",
              "loop:dispatcher",
              "loop:heartbeat",
              "loop:metrics",
              "completer",
              "lease");
      Gauge up = registry.find("flinkplatform.health").gauge();
      assertThat(up.value()).isEqualTo(1.0);
    }
  }

  @Test
  void theQueueDepthGaugeCountsReadyAttemptsByPriorityBand() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (TestPlatforms platforms = new TestPlatforms()) {
      // no instance has workers: the roots stay READY
      Platform platform =
          platforms.start("no-workers", b -> b.workerThreads(0).meterRegistry(registry));
      PlatformClient client = platform.client();
      client.deploy(
          Workflow.builder("queued")
              .task("urgent", "noop", t -> t.priority(5))
              .task("x", "noop", t -> {})
              .task("y", "noop", t -> {})
              .task("later", "noop", t -> t.priority(-3))
              .build());
      client.trigger("queued");
      Await.until(
          WAIT,
          () ->
              ready(registry, "high") == 1
                  && ready(registry, "normal") == 2
                  && ready(registry, "low") == 1);
      // an instance without workers does not schedule: that loop is not DOWN for it
      Health health = platform.health();
      assertThat(health.isUp()).as(health.toString()).isTrue();
      assertThat(health.check("loop:scheduler").orElseThrow().detail())
          .isEqualTo("not run by this instance");
    }
  }

  @Test
  void anOutcomeOfAClaimThatWasTakenOverCountsAsAStaleWrite() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (TestPlatforms platforms = new TestPlatforms()) {
      // a slow heartbeat: the owner does not notice the take-over before its task ends
      Platform platform =
          platforms.start(
              "stale",
              b ->
                  b.meterRegistry(registry)
                      .heartbeatInterval(Duration.ofSeconds(10))
                      .leaseDuration(Duration.ofSeconds(60)));
      PlatformClient client = platform.client();
      // the task waits at its gate until the take-over below is done, then ends
      client.deploy(
          Workflow.builder("taken")
              .task("slow", "gate", t -> t.option("gate", "metrics_taken"))
              .build());
      long run = client.trigger("taken");
      Await.until(
          WAIT,
          () ->
              Sql.single(
                      platforms.dataSource(),
                      "SELECT COUNT(*) FROM t_job_run WHERE state = 'RUNNING' AND flow_run_id = "
                          + run)
                  == 1);
      // another owner's claim: the epoch moves on under the running attempt
      try (Connection c = platforms.dataSource().getConnection();
          Statement s = c.createStatement()) {
        s.executeUpdate(
            "UPDATE t_job_run SET epoch = epoch + 1, owner = 'someone-else' WHERE flow_run_id = "
                + run);
      }
      TestTasks.Gate.open("metrics_taken");
      Await.until(WAIT, () -> count(registry, "flinkplatform.stale.writes") == 1);
      assertThat(
              count(
                  registry,
                  "flinkplatform.attempts.ended",
                  "task.type",
                  "gate",
                  "state",
                  "SUCCESS"))
          .isEqualTo(1);
    }
  }

  @Test
  void aRegistryThatIsNoMeterRegistryIsRefusedNamingTheOption() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> Platform.builder().meterRegistry("prometheus"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "meterRegistry must be an io.micrometer.core.instrument.MeterRegistry but was"
                + " java.lang.String");
  }

  static double count(SimpleMeterRegistry registry, String name, String... tags) {
    Counter c = registry.find(name).tags(tags).counter();
    return c == null ? 0 : c.count();
  }

  private static Timer timer(SimpleMeterRegistry registry, String name) {
    return registry.find(name).timer();
  }

  private static double ready(SimpleMeterRegistry registry, String band) {
    Gauge g = registry.find("flinkplatform.queue.ready").tag("band", band).gauge();
    return g == null ? -1 : g.value();
  }
}

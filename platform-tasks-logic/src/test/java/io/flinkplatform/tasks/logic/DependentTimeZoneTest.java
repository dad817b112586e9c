package io.flinkplatform.tasks.logic;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinkplatform.engine.PlatformClient;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.run.TaskAttempt;
import io.flinkplatform.engine.run.TaskState;
import io.flinkplatform.engine.run.TriggerRequest;
import io.flinkplatform.engine.run.WorkflowRun;
import io.flinkplatform.engine.schedule.ScheduleSpec;
import io.flinkplatform.engine.testing.TestPlatforms;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A manually triggered dependent task reads its window in the run's zone, as date macros do: a
 * workflow in Asia/Shanghai triggered for 2026-03-15T17:30Z (01:30 on 16 March in Shanghai) waits
 * for Shanghai's 16 March, [2026-03-15T16:00Z, 2026-03-16T16:00Z), not for UTC's 15 March.
 */
class DependentTimeZoneTest {
  private static final Instant NEAR_MIDNIGHT = Instant.parse("2026-03-15T17:30:00Z");
  private static final String SHANGHAI_DAY = "[2026-03-15T16:00:00Z, 2026-03-16T16:00:00Z)";
  private static final String UTC_DAY = "[2026-03-15T00:00:00Z, 2026-03-16T00:00:00Z)";

  /** 10:00 on 16 March in Shanghai, and already 16 March in UTC: in Shanghai's day only. */
  private static final Instant IN_SHANGHAI_DAY_ONLY = Instant.parse("2026-03-16T02:00:00Z");

  /** 18:00 on 15 March in Shanghai, 10:00 on 15 March in UTC: in UTC's day only. */
  private static final Instant IN_UTC_DAY_ONLY = Instant.parse("2026-03-15T10:00:00Z");

  private static TestPlatforms platforms;
  private static PlatformClient client;
  private static long shanghaiUpRun;
  private static long utcUpRun;

  @BeforeAll
  static void start() {
    platforms = new TestPlatforms();
    client = platforms.start("dtz", b -> b.plugin(new LogicTaskPlugin()).workerThreads(2)).client();
    client.deploy(Workflow.builder("tz_up_shanghai").task("a", "noop").build());
    client.deploy(Workflow.builder("tz_up_utc").task("a", "noop").build());
    shanghaiUpRun = succeeded("tz_up_shanghai", IN_SHANGHAI_DAY_ONLY);
    utcUpRun = succeeded("tz_up_utc", IN_UTC_DAY_ONLY);
  }

  @AfterAll
  static void stop() {
    platforms.close();
  }

  private static long succeeded(String workflow, Instant logicalDate) {
    long id = client.trigger(TriggerRequest.of(workflow).withLogicalDate(logicalDate));
    assertThat(await(id).state()).isEqualTo(RunState.SUCCESS);
    return id;
  }

  private static WorkflowRun await(long runId) {
    return client.awaitRun(runId, Duration.ofSeconds(30));
  }

  /** A workflow whose task {@code wait} waits for {@code item}; it gives up after 2 s. */
  private static void deployDependent(String name, String item, Consumer<Workflow.Builder> more) {
    Workflow.Builder b =
        Workflow.builder(name)
            .task(
                "wait",
                "dependent",
                t ->
                    t.option("items", List.of(item))
                        .option("poll_interval", "100ms")
                        .option("wait_timeout", "2s"));
    more.accept(b);
    client.deploy(b.build());
  }

  private static TaskAttempt trigger(String workflow, Map<String, String> parameters) {
    long id =
        client.trigger(
            TriggerRequest.of(workflow).withLogicalDate(NEAR_MIDNIGHT).withParameters(parameters));
    await(id);
    return Runs.latest(client, id).get("wait");
  }

  @Test
  void theSameDayIsTheWorkflowsDayNotUtcs() {
    deployDependent(
        "tz_down_same_day", "tz_up_shanghai", b -> b.parameter("timezone", "Asia/Shanghai"));

    TaskAttempt found = trigger("tz_down_same_day", Map.of());

    assertThat(found.state()).as(found.message().orElse("")).isEqualTo(TaskState.SUCCESS);
    assertThat(client.log(found))
        .contains("tz_up_shanghai in same_day " + SHANGHAI_DAY)
        .contains("run " + shanghaiUpRun + " SUCCESS");

    // the same workflow read in UTC (the run's own zone wins) waits for UTC's 15 March: nothing
    TaskAttempt inUtc = trigger("tz_down_same_day", Map.of("timezone", "UTC"));

    assertThat(inUtc.state()).isEqualTo(TaskState.FAILED);
    assertThat(inUtc.message().orElseThrow())
        .contains("still waiting")
        .contains("tz_up_shanghai in same_day " + UTC_DAY + ": no run yet");
  }

  @Test
  void aRunOfUtcsDayOnlyDoesNotSatisfyTheWorkflowsDay() {
    deployDependent("tz_down_utc_run", "tz_up_utc", b -> b.parameter("timezone", "Asia/Shanghai"));

    TaskAttempt notFound = trigger("tz_down_utc_run", Map.of());

    assertThat(notFound.state()).isEqualTo(TaskState.FAILED);
    assertThat(notFound.message().orElseThrow())
        .contains("still waiting")
        .contains("tz_up_utc in same_day " + SHANGHAI_DAY + ": no run yet");

    // that run is there: read in UTC, the same item is satisfied by it
    TaskAttempt inUtc = trigger("tz_down_utc_run", Map.of("timezone", "UTC"));

    assertThat(inUtc.state()).isEqualTo(TaskState.SUCCESS);
    assertThat(client.log(inUtc)).contains("run " + utcUpRun + " SUCCESS");
  }

  @Test
  void yesterdayIsTheWorkflowsYesterday() {
    // Shanghai's 15 March, [2026-03-14T16:00Z, 2026-03-15T16:00Z), holds the UTC-day run;
    // UTC's 14 March would not
    deployDependent(
        "tz_down_previous_day",
        "tz_up_utc@previous_day",
        b -> b.parameter("timezone", "Asia/Shanghai"));

    TaskAttempt found = trigger("tz_down_previous_day", Map.of());

    assertThat(found.state()).as(found.message().orElse("")).isEqualTo(TaskState.SUCCESS);
    assertThat(client.log(found))
        .contains("previous_day [2026-03-14T16:00:00Z, 2026-03-15T16:00:00Z)")
        .contains("run " + utcUpRun + " SUCCESS");
  }

  @Test
  void aManualTriggerReadsTheWindowInTheZoneOfTheWorkflowsSchedule() {
    // no timezone parameter anywhere: the zone comes from the (paused) schedule, as for ${date}
    deployDependent("tz_down_scheduled", "tz_up_shanghai", b -> {});
    client.saveSchedule(
        ScheduleSpec.builder("tz_down_scheduled_daily", "tz_down_scheduled", "30 1 * * *")
            .zone("Asia/Shanghai")
            .paused(true)
            .build());

    TaskAttempt found = trigger("tz_down_scheduled", Map.of());

    assertThat(found.state()).as(found.message().orElse("")).isEqualTo(TaskState.SUCCESS);
    assertThat(client.log(found)).contains("same_day " + SHANGHAI_DAY);
  }

  @Test
  void aBlankZoneIsUtcAsForDateMacros() {
    deployDependent("tz_down_blank", "tz_up_utc", b -> b.parameter("timezone", " "));

    TaskAttempt found = trigger("tz_down_blank", Map.of());

    assertThat(found.state()).as(found.message().orElse("")).isEqualTo(TaskState.SUCCESS);
    assertThat(client.log(found)).contains("same_day " + UTC_DAY);
  }
}

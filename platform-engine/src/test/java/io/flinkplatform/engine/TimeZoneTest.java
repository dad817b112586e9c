package io.flinkplatform.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.run.RerunRequest;
import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.run.TaskAttempt;
import io.flinkplatform.engine.run.TriggerRequest;
import io.flinkplatform.engine.schedule.ScheduleSpec;
import io.flinkplatform.engine.testing.TestPlatforms;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The zone a run reads its dates in: the same rule for triggers, reruns and scheduled runs. */
class TimeZoneTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  /** 01:30 on 16 March in Shanghai (UTC+8), still 15 March in UTC. */
  private static final Instant NEAR_MIDNIGHT = Instant.parse("2026-03-15T17:30:00Z");

  private static TestPlatforms platforms;
  private static PlatformClient client;

  @BeforeAll
  static void start() {
    platforms = new TestPlatforms();
    client = platforms.start("tz").client();
  }

  @AfterAll
  static void stop() {
    platforms.close();
  }

  private static Workflow dated(String name) {
    return Workflow.builder(name).task("e", "emit", t -> t.parameter("day", "${date}")).build();
  }

  private static TaskAttempt latest(long run) {
    return client.attempts(run).stream()
        .max(Comparator.comparingInt(TaskAttempt::attempt))
        .orElseThrow();
  }

  private static String day(TriggerRequest request) {
    long run = client.trigger(request.withLogicalDate(NEAR_MIDNIGHT));
    assertThat(client.awaitRun(run, WAIT).state()).isEqualTo(RunState.SUCCESS);
    return latest(run).outputs().get("param.day");
  }

  @Test
  void aManualTriggerReadsDatesInTheZoneOfTheWorkflowsSchedule() {
    client.deploy(dated("tz_scheduled"));
    client.saveSchedule(
        ScheduleSpec.builder("tz_scheduled_daily", "tz_scheduled", "30 1 * * *")
            .zone("Asia/Shanghai")
            .paused(true)
            .build());

    long run = client.trigger(TriggerRequest.of("tz_scheduled").withLogicalDate(NEAR_MIDNIGHT));

    assertThat(client.awaitRun(run, WAIT).state()).isEqualTo(RunState.SUCCESS);
    assertThat(latest(run).outputs()).containsEntry("param.day", "2026-03-16");
    assertThat(client.run(run).orElseThrow().parameters())
        .containsEntry("timezone", "Asia/Shanghai");

    // a rerun reads them as the first run did
    client.rerun(RerunRequest.task(run, "e"));
    client.awaitRun(run, WAIT);
    assertThat(latest(run).attempt()).isEqualTo(2);
    assertThat(latest(run).outputs()).containsEntry("param.day", "2026-03-16");
  }

  @Test
  void theWorkflowsOwnZoneOrTheRunsZoneWins() {
    client.deploy(
        Workflow.builder("tz_own")
            .parameter("timezone", "Asia/Shanghai")
            .task("e", "emit", t -> t.parameter("day", "${date}"))
            .build());
    client.saveSchedule(
        ScheduleSpec.builder("tz_own_daily", "tz_own", "30 1 * * *")
            .zone("America/New_York")
            .paused(true)
            .build());
    assertThat(day(TriggerRequest.of("tz_own"))).isEqualTo("2026-03-16");
    assertThat(day(TriggerRequest.of("tz_own").withParameters(Map.of("timezone", "UTC"))))
        .isEqualTo("2026-03-15");
  }

  @Test
  void withoutAZoneAnywhereDatesAreInUtc() {
    client.deploy(dated("tz_none"));
    assertThat(day(TriggerRequest.of("tz_none"))).isEqualTo("2026-03-15");
  }
}

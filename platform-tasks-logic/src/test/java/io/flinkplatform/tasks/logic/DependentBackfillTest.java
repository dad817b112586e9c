package io.flinkplatform.tasks.logic;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinkplatform.engine.PlatformClient;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.run.TaskAttempt;
import io.flinkplatform.engine.run.WorkflowRun;
import io.flinkplatform.engine.schedule.Backfill;
import io.flinkplatform.engine.schedule.BackfillRequest;
import io.flinkplatform.engine.testing.Await;
import io.flinkplatform.engine.testing.TestPlatforms;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A backfill of a workflow whose dependent task waits for another workflow that is being backfilled
 * at the same time: every backfilled date waits for its own day of the upstream.
 */
class DependentBackfillTest {
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  private static TestPlatforms platforms;
  private static PlatformClient client;

  @BeforeAll
  static void start() {
    platforms = new TestPlatforms();
    client = platforms.start("bf", b -> b.plugin(new LogicTaskPlugin()).workerThreads(4)).client();
  }

  @AfterAll
  static void stop() {
    platforms.close();
  }

  @Test
  void eachBackfilledDateWaitsForItsOwnDayOfTheUpstreamBackfill() throws Exception {
    client.deploy(
        Workflow.builder("bf_up")
            .parameter("timezone", "Europe/Berlin")
            .task("load", "sleep", t -> t.option("duration", "300ms"))
            .build());
    client.deploy(
        Workflow.builder("bf_down")
            .parameter("timezone", "Europe/Berlin")
            .task(
                "wait",
                "dependent",
                t ->
                    t.option("items", java.util.List.of("bf_up/load"))
                        .option("poll_interval", "100ms"))
            .task("report", "noop", t -> t.after("wait"))
            .build());
    LocalDate first = LocalDate.of(2024, 3, 28); // across the change to summer time
    LocalDate last = LocalDate.of(2024, 4, 3);
    long down =
        client.backfill(
            BackfillRequest.builder("bf_down").daily(first, last, BERLIN).parallelism(7).build());
    Await.until(
        () ->
            client.runs("bf_down", 100).size() == 7
                && client.runs("bf_down", 100).stream()
                    .allMatch(
                        r ->
                            Runs.states(client, r.id()).get("wait")
                                == io.flinkplatform.engine.run.TaskState.RUNNING));
    long up =
        client.backfill(
            BackfillRequest.builder("bf_up").daily(first, last, BERLIN).parallelism(2).build());
    Await.until(() -> client.backfillStatus(up).state() != Backfill.State.RUNNING);
    Await.until(() -> client.backfillStatus(down).state() != Backfill.State.RUNNING);
    assertThat(client.backfillStatus(up).state()).isEqualTo(Backfill.State.SUCCESS);
    assertThat(client.backfillStatus(down).state()).isEqualTo(Backfill.State.SUCCESS);

    Map<Instant, WorkflowRun> ups =
        client.runs("bf_up", 100).stream()
            .collect(Collectors.toMap(WorkflowRun::logicalDate, Function.identity()));
    Map<Instant, WorkflowRun> downs =
        client.runs("bf_down", 100).stream()
            .collect(Collectors.toMap(WorkflowRun::logicalDate, Function.identity()));
    assertThat(downs).hasSize(7);
    int waitedForUpstream = 0;
    for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1)) {
      Instant date = d.atStartOfDay(BERLIN).toInstant();
      WorkflowRun upRun = ups.get(date);
      WorkflowRun downRun = downs.get(date);
      assertThat(downRun.state()).isEqualTo(RunState.SUCCESS);
      TaskAttempt wait = Runs.latest(client, downRun.id()).get("wait");
      Instant upEnded = upRun.endedAt().orElseThrow();
      // the sensor ended only after its own day of the upstream finished
      assertThat(wait.endedAt().orElseThrow()).as(d.toString()).isAfterOrEqualTo(upEnded);
      assertThat(client.log(wait)).contains("run " + upRun.id() + " SUCCESS");
      if (wait.startedAt().orElseThrow().isBefore(upEnded)) {
        waitedForUpstream++;
      }
    }
    // every sensor was waiting before the upstream backfill began
    assertThat(waitedForUpstream).isEqualTo(7);
  }
}

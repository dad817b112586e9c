package io.flinkplatform.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.run.Explanation;
import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.run.TaskAttempt;
import io.flinkplatform.engine.run.WorkflowRun;
import io.flinkplatform.engine.schedule.Backfill;
import io.flinkplatform.engine.schedule.BackfillRequest;
import io.flinkplatform.engine.testing.Await;
import io.flinkplatform.engine.testing.ManualClock;
import io.flinkplatform.engine.testing.ManualPlatform;
import io.flinkplatform.engine.testing.TestPlatforms;
import io.flinkplatform.engine.testing.TestTasks;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class BackfillTest {
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  private static TestPlatforms platforms;
  private static PlatformClient client;

  @BeforeAll
  static void start() {
    platforms = new TestPlatforms();
    client = platforms.start("bf").client();
    client.deploy(
        Workflow.builder("daily")
            .parameter("day", "${date:yyyyMMdd}")
            .parameter("prev_month_end", "${month_end-1M}")
            .task("extract", "emit", t -> t.parameter("hour_before", "${date-1h:yyyy-MM-dd HH}"))
            .build());
  }

  @AfterAll
  static void stop() {
    platforms.close();
  }

  private static List<WorkflowRun> runsOf(String workflow) {
    return client.runs(workflow, 1000).stream()
        .sorted(Comparator.comparing(WorkflowRun::logicalDate))
        .toList();
  }

  @Test
  void aYearOfDatesWithParallelismFourRendersEveryDateAndKeepsTheLimit() throws Exception {
    LocalDate first = LocalDate.of(2025, 1, 1);
    long id =
        client.backfill(
            BackfillRequest.builder("daily")
                .daily(first, LocalDate.of(2025, 12, 31), BERLIN)
                .parallelism(4)
                .build());
    Await.until(() -> client.backfillStatus(id).state() != Backfill.State.RUNNING);
    Backfill b = client.backfillStatus(id);
    assertThat(b.state()).isEqualTo(Backfill.State.SUCCESS);
    assertThat(b.runs()).isEqualTo(365);
    assertThat(b.runsByState()).containsEntry(RunState.SUCCESS, 365);

    List<WorkflowRun> runs = runsOf("daily");
    assertThat(runs).hasSize(365);
    DateTimeFormatter day = DateTimeFormatter.ofPattern("yyyyMMdd");
    for (int i = 0; i < runs.size(); i++) {
      WorkflowRun run = runs.get(i);
      LocalDate date = first.plusDays(i);
      assertThat(run.logicalDate()).isEqualTo(date.atStartOfDay(BERLIN).toInstant());
      TaskAttempt a = client.attempts(run.id()).get(0);
      assertThat(a.outputs())
          .containsEntry("param.day", date.format(day))
          .containsEntry("param.prev_month_end", date.withDayOfMonth(1).minusDays(1).toString())
          .containsEntry("param.hour_before", date.minusDays(1) + " 23")
          .containsEntry("param.timezone", "Europe/Berlin");
    }
    // in order, and never more than four active at once
    for (int i = 1; i < runs.size(); i++) {
      assertThat(runs.get(i).startedAt().orElseThrow())
          .isAfterOrEqualTo(runs.get(i - 1).startedAt().orElseThrow());
    }
    int maxActive = 0;
    for (WorkflowRun r : runs) {
      long start = r.startedAt().orElseThrow().toEpochMilli();
      int active = 0;
      for (WorkflowRun o : runs) {
        if (o.startedAt().orElseThrow().toEpochMilli() <= start
            && o.endedAt().orElseThrow().toEpochMilli() > start) {
          active++;
        }
      }
      maxActive = Math.max(maxActive, active);
    }
    assertThat(maxActive).isBetween(1, 4);
  }

  /**
   * On a {@link ManualPlatform} whose runs are "stream" tasks that keep running until ended: the
   * first runs run and the rest are held, exactly, when the backfill is cancelled.
   */
  @Test
  void aBackfillIsCancelledAsOneUnit() throws Exception {
    TestTasks.Stream.reset(); // attempt ids start at 1 in the new database
    try (TestPlatforms own = new TestPlatforms()) {
      ManualPlatform platform =
          own.manual(new ManualClock(Instant.parse("2026-06-01T00:00:00Z")), b -> {});
      PlatformClient c = platform.client();
      c.deploy(Workflow.builder("slow").task("a", "stream").build());
      long id =
          c.backfill(
              BackfillRequest.builder("slow")
                  .daily(LocalDate.of(2025, 1, 1), LocalDate.of(2025, 1, 10), ZoneId.of("UTC"))
                  .parallelism(2)
                  .build());
      platform.runUntilIdle();
      List<WorkflowRun> runs =
          c.runs("slow", 100).stream()
              .sorted(Comparator.comparing(WorkflowRun::logicalDate))
              .toList();
      assertThat(runs).hasSize(10);
      assertThat(runs.subList(0, 2)).allMatch(r -> r.state() == RunState.RUNNING);
      assertThat(runs.subList(2, 10)).allMatch(r -> r.state() == RunState.CREATED);
      assertThat(c.explain(runs.get(2).id()).run().orElseThrow().code())
          .isEqualTo(Explanation.Code.BACKFILL_PARALLELISM);

      assertThat(c.cancelBackfill(id)).isTrue();
      platform.runUntilIdle();

      assertThat(c.runs("slow", 100))
          .hasSize(10)
          .allSatisfy(r -> assertThat(r.state()).isEqualTo(RunState.KILLED));
      assertThat(c.backfillStatus(id).state()).isEqualTo(Backfill.State.CANCELLED);
      assertThat(c.cancelBackfill(id)).isFalse();
    } finally {
      TestTasks.Stream.reset();
    }
  }

  @Test
  void badBackfillsAreRefusedByField() {
    assertThatThrownBy(
            () ->
                client.backfill(
                    BackfillRequest.builder("daily")
                        .daily(LocalDate.of(2025, 1, 2), LocalDate.of(2025, 1, 1), BERLIN)
                        .build()))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageStartingWith("to:");
    assertThatThrownBy(
            () ->
                client.backfill(
                    BackfillRequest.builder("daily")
                        .daily(LocalDate.of(2025, 1, 1), LocalDate.of(2025, 1, 2), BERLIN)
                        .parallelism(0)
                        .build()))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageStartingWith("parallelism:");
    assertThatThrownBy(
            () ->
                client.backfill(
                    BackfillRequest.builder("nope")
                        .daily(LocalDate.of(2025, 1, 1), LocalDate.of(2025, 1, 2), BERLIN)
                        .build()))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("workflowName");
  }
}

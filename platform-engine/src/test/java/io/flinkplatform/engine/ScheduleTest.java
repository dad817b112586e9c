package io.flinkplatform.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.event.PlatformEvent;
import io.flinkplatform.engine.run.Explanation;
import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.run.TaskState;
import io.flinkplatform.engine.run.WorkflowRun;
import io.flinkplatform.engine.schedule.DstGap;
import io.flinkplatform.engine.schedule.DstOverlap;
import io.flinkplatform.engine.schedule.FireTime;
import io.flinkplatform.engine.schedule.MisfirePolicy;
import io.flinkplatform.engine.schedule.OverlapPolicy;
import io.flinkplatform.engine.schedule.Schedule;
import io.flinkplatform.engine.schedule.ScheduleSpec;
import io.flinkplatform.engine.testing.Await;
import io.flinkplatform.engine.testing.ManualClock;
import io.flinkplatform.engine.testing.ManualPlatform;
import io.flinkplatform.engine.testing.Sql;
import io.flinkplatform.engine.testing.TestPlatforms;
import io.flinkplatform.engine.testing.TestTasks;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Cron schedules on the real database, on a {@link ManualPlatform}: the test moves the clock and
 * runs every loop until nothing more can happen at that time, so "nothing fired" is as certain as
 * "it fired". Runs of "slow" are external work that keeps running until the test ends it.
 */
class ScheduleTest {
  private static final Instant T0 = Instant.parse("2026-06-01T00:00:00Z");
  private final ManualClock clock = new ManualClock(T0);
  private TestPlatforms platforms;
  private ManualPlatform platform;
  private PlatformClient client;

  @BeforeEach
  void start() {
    // attempt ids start at 1 in every test database: forget the stops of earlier tests
    TestTasks.Stream.reset();
    platforms = new TestPlatforms();
    platform = platforms.manual(clock, b -> {});
    client = platform.client();
    client.deploy(Workflow.builder("quick").task("a", "noop").build());
    client.deploy(Workflow.builder("slow").task("a", "stream").build());
  }

  @AfterEach
  void stop() {
    platforms.close();
    TestTasks.Stream.reset();
  }

  private List<WorkflowRun> runs(String workflow) {
    return client.runs(workflow, 1000).stream()
        .sorted(Comparator.comparing(WorkflowRun::logicalDate).thenComparing(WorkflowRun::id))
        .toList();
  }

  /** Moves the clock by {@code d} and runs what became due. */
  private void advance(Duration d) {
    platform.advance(d).runUntilIdle();
  }

  private void assertRunsEnded(String workflow, int n) {
    assertThat(runs(workflow)).hasSize(n).allSatisfy(r -> assertThat(r.state().isFinal()).isTrue());
  }

  /** Ends the external work of every running attempt of "slow" and runs what follows. */
  private void endSlowRuns() {
    for (WorkflowRun r : runs("slow")) {
      client.attempts(r.id()).stream()
          .filter(a -> a.state() == TaskState.RUNNING)
          .forEach(a -> TestTasks.Stream.STOP.add(a.id()));
    }
    platform.runUntilIdle();
  }

  private List<PlatformEvent> events() {
    return platform.events();
  }

  @Test
  void firesEachFireTimeOnceWithItAsTheLogicalDate() throws Exception {
    Schedule s =
        client.saveSchedule(
            ScheduleSpec.builder("every-minute", "quick", "* * * * *")
                .parameter("region", "eu")
                .build());
    assertThat(s.nextFireTime()).contains(T0.plusSeconds(60));
    advance(Duration.ofSeconds(59));
    assertThat(runs("quick")).as("a second before the first fire time").isEmpty();
    advance(Duration.ofSeconds(1));
    assertRunsEnded("quick", 1);
    advance(Duration.ofSeconds(60));
    assertRunsEnded("quick", 2);
    List<WorkflowRun> runs = runs("quick");
    assertThat(runs)
        .extracting(WorkflowRun::logicalDate)
        .containsExactly(T0.plusSeconds(60), T0.plusSeconds(120));
    assertThat(runs).allSatisfy(r -> assertThat(r.state()).isEqualTo(RunState.SUCCESS));
    assertThat(runs.get(0).parameters()).containsEntry("region", "eu");
    Schedule after = client.schedule("every-minute").orElseThrow();
    assertThat(after.lastFireTime()).contains(T0.plusSeconds(120));
    assertThat(after.nextFireTime()).contains(T0.plusSeconds(180));
  }

  private void missTenMinutes(MisfirePolicy policy) {
    client.saveSchedule(
        ScheduleSpec.builder("m", "quick", "* * * * *")
            .misfire(policy)
            .misfireThreshold(Duration.ofSeconds(10))
            .build());
    client.pauseSchedule("m");
    assertThat(client.explainSchedule("m"))
        .extracting(Explanation.Reason::code)
        .containsExactly(Explanation.Code.SCHEDULE_PAUSED);
    advance(Duration.ofMinutes(10).plusSeconds(30)); // 00:01 .. 00:10 are missed
    assertThat(runs("quick")).isEmpty();
    client.resumeSchedule("m");
    platform.runUntilIdle();
  }

  @Test
  void misfireSkipDropsEveryMissedTime() throws Exception {
    missTenMinutes(MisfirePolicy.skip());
    assertThat(client.schedule("m").orElseThrow().nextFireTime())
        .contains(T0.plus(Duration.ofMinutes(11)));
    assertThat(runs("quick")).isEmpty();
    PlatformEvent.ScheduleMisfired m =
        platform.events(PlatformEvent.ScheduleMisfired.class).stream().findFirst().orElseThrow();
    assertThat(m.missed()).isEqualTo(10);
    assertThat(m.fired()).isZero();
    assertThat(client.explainSchedule("m"))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.code()).isEqualTo(Explanation.Code.MISFIRE);
              assertThat(r.detail()).contains("misfire policy SKIP ran 0 of 10");
            });
  }

  @Test
  void misfireFireOnceRunsTheLatestMissedTime() throws Exception {
    missTenMinutes(MisfirePolicy.fireOnce());
    assertRunsEnded("quick", 1);
    assertThat(runs("quick").get(0).logicalDate()).isEqualTo(T0.plus(Duration.ofMinutes(10)));
  }

  @Test
  void misfireCatchUpRunsTheLatestMissedTimesInOrder() throws Exception {
    missTenMinutes(MisfirePolicy.catchUp(3));
    assertRunsEnded("quick", 3);
    assertThat(runs("quick"))
        .extracting(WorkflowRun::logicalDate)
        .containsExactly(
            T0.plus(Duration.ofMinutes(8)),
            T0.plus(Duration.ofMinutes(9)),
            T0.plus(Duration.ofMinutes(10)));
  }

  @Test
  void lateButWithinTheThresholdIsNotAMisfire() throws Exception {
    client.saveSchedule(
        ScheduleSpec.builder("m", "quick", "* * * * *")
            .misfire(MisfirePolicy.skip())
            .misfireThreshold(Duration.ofMinutes(5))
            .build());
    client.pauseSchedule("m");
    advance(Duration.ofMinutes(3));
    assertThat(runs("quick")).isEmpty();
    client.resumeSchedule("m");
    platform.runUntilIdle();
    assertRunsEnded("quick", 3);
    assertThat(events()).noneMatch(e -> e instanceof PlatformEvent.ScheduleMisfired);
  }

  private void fireTwiceWhileTheFirstRuns(OverlapPolicy policy) {
    client.saveSchedule(ScheduleSpec.builder("o", "slow", "* * * * *").overlap(policy).build());
    advance(Duration.ofSeconds(60));
    assertThat(runs("slow")).singleElement().returns(RunState.RUNNING, WorkflowRun::state);
    advance(Duration.ofSeconds(60));
    Schedule o = client.schedule("o").orElseThrow();
    assertThat(o.lastFireTime()).contains(T0.plusSeconds(120));
    assertThat(o.nextFireTime()).contains(T0.plusSeconds(180));
  }

  @Test
  void overlapSkipStartsNothingAndSaysSo() throws Exception {
    fireTwiceWhileTheFirstRuns(OverlapPolicy.skip());
    endSlowRuns();
    assertRunsEnded("slow", 1);
    assertThat(events())
        .filteredOn(e -> e instanceof PlatformEvent.ScheduleFireSkipped)
        .singleElement()
        .satisfies(
            e ->
                assertThat(((PlatformEvent.ScheduleFireSkipped) e).fireTime())
                    .isEqualTo(T0.plusSeconds(120)));
  }

  @Test
  void theHeldRunOfADeletedScheduleStartsOnceTheEarlierOneEnded() throws Exception {
    fireTwiceWhileTheFirstRuns(OverlapPolicy.queue());
    assertThat(client.deleteSchedule("o")).isTrue();
    assertThat(runs("slow"))
        .extracting(WorkflowRun::state)
        .containsExactly(RunState.RUNNING, RunState.CREATED);
    // admission now locks the held runs, there being no schedule row: still one at a time
    endSlowRuns();
    assertThat(runs("slow"))
        .extracting(WorkflowRun::state)
        .containsExactly(RunState.SUCCESS, RunState.RUNNING);
    endSlowRuns();
    assertRunsEnded("slow", 2);
    List<WorkflowRun> runs = runs("slow");
    assertThat(runs).allSatisfy(r -> assertThat(r.state()).isEqualTo(RunState.SUCCESS));
    assertThat(runs.get(1).startedAt().orElseThrow())
        .isAfterOrEqualTo(runs.get(0).endedAt().orElseThrow());
  }

  @Test
  void overlapQueueHoldsTheNextRunUntilThePreviousEnded() throws Exception {
    fireTwiceWhileTheFirstRuns(OverlapPolicy.queue());
    assertThat(runs("slow"))
        .extracting(WorkflowRun::state)
        .containsExactly(RunState.RUNNING, RunState.CREATED);
    assertThat(client.explain(runs("slow").get(1).id()).run().orElseThrow().code())
        .isEqualTo(Explanation.Code.SCHEDULE_OVERLAP);
    endSlowRuns();
    assertThat(runs("slow"))
        .extracting(WorkflowRun::state)
        .containsExactly(RunState.SUCCESS, RunState.RUNNING);
    endSlowRuns();
    assertRunsEnded("slow", 2);
    List<WorkflowRun> runs = runs("slow");
    assertThat(runs).allSatisfy(r -> assertThat(r.state()).isEqualTo(RunState.SUCCESS));
    assertThat(runs.get(1).startedAt().orElseThrow())
        .isAfterOrEqualTo(runs.get(0).endedAt().orElseThrow());
  }

  @Test
  void overlapAllowRunsUpToTheLimitAtOnce() throws Exception {
    fireTwiceWhileTheFirstRuns(OverlapPolicy.allow(2));
    assertThat(runs("slow"))
        .extracting(WorkflowRun::state)
        .containsExactly(RunState.RUNNING, RunState.RUNNING);
    advance(Duration.ofSeconds(60));
    assertThat(runs("slow"))
        .extracting(WorkflowRun::state)
        .as("the third waits while two run")
        .containsExactly(RunState.RUNNING, RunState.RUNNING, RunState.CREATED);
    endSlowRuns();
    assertThat(runs("slow").get(2).state()).isEqualTo(RunState.RUNNING);
    endSlowRuns();
    assertRunsEnded("slow", 3);
    List<WorkflowRun> runs = runs("slow");
    assertThat(runs.get(2).startedAt().orElseThrow())
        .isAfterOrEqualTo(runs.get(0).endedAt().orElseThrow());
  }

  @Test
  void overlapCancelPreviousKillsTheActiveRun() throws Exception {
    fireTwiceWhileTheFirstRuns(OverlapPolicy.cancelPrevious());
    endSlowRuns();
    assertRunsEnded("slow", 2);
    assertThat(runs("slow"))
        .extracting(WorkflowRun::state)
        .containsExactly(RunState.KILLED, RunState.SUCCESS);
  }

  @Test
  void boundsLimitTheFireTimes() throws Exception {
    client.saveSchedule(
        ScheduleSpec.builder("b", "quick", "* * * * *")
            .startAt(T0.plus(Duration.ofMinutes(2)))
            .endAt(T0.plus(Duration.ofMinutes(3)))
            .build());
    assertThat(client.schedule("b").orElseThrow().nextFireTime())
        .contains(T0.plus(Duration.ofMinutes(2)));
    advance(Duration.ofSeconds(119));
    assertThat(runs("quick")).as("before startAt").isEmpty();
    for (int i = 0; i < 5; i++) {
      advance(Duration.ofSeconds(60));
    }
    assertRunsEnded("quick", 2);
    assertThat(client.schedule("b").orElseThrow().nextFireTime()).isEmpty();
  }

  @Test
  void springForwardInBerlinRunsAtTheEndOfTheGap() throws Exception {
    clock.set(Instant.parse("2026-03-28T23:00:00Z"));
    ScheduleSpec spec =
        ScheduleSpec.builder("dst", "quick", "30 2 * * *")
            .zone("Europe/Berlin")
            .dst(DstGap.RUN_AT_NEXT_VALID, DstOverlap.ONCE)
            .build();
    List<FireTime> preview = client.previewSchedule(spec, clock.instant(), 2);
    assertThat(preview.get(0).instant()).isEqualTo(Instant.parse("2026-03-29T01:00:00Z"));
    assertThat(preview.get(0).note()).hasValueSatisfying(n -> assertThat(n).contains("runs at"));
    client.saveSchedule(spec);
    platform.setTime(Instant.parse("2026-03-29T01:00:01Z")).runUntilIdle();
    assertRunsEnded("quick", 1);
    assertThat(runs("quick").get(0).logicalDate()).isEqualTo(Instant.parse("2026-03-29T01:00:00Z"));
  }

  @Test
  void badSchedulesAreRefusedByField() {
    assertThatThrownBy(
            () -> client.saveSchedule(ScheduleSpec.builder("x", "quick", "61 * * * *").build()))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageStartingWith("cron:");
    assertThatThrownBy(
            () -> client.saveSchedule(ScheduleSpec.builder("x", "nope", "* * * * *").build()))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("workflowName: workflow 'nope' is not deployed");
    assertThatThrownBy(
            () ->
                client.saveSchedule(
                    ScheduleSpec.builder("x", "quick", "* * * * *").startAt(T0).endAt(T0).build()))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageStartingWith("endAt:");
    assertThat(client.schedules()).isEmpty();
    assertThatThrownBy(() -> client.pauseSchedule("x")).isInstanceOf(NotFoundException.class);
  }

  @Test
  void deleteStopsFiring() throws Exception {
    client.saveSchedule(ScheduleSpec.builder("d", "quick", "* * * * *").build());
    assertThat(client.deleteSchedule("d")).isTrue();
    advance(Duration.ofMinutes(2));
    assertThat(runs("quick")).isEmpty();
    assertThat(client.deleteSchedule("d")).isFalse();
  }

  /** With the real clock: two instances, schedules firing every second, each time exactly once. */
  @Test
  void twoInstancesFireEachTimeExactlyOnce() throws Exception {
    try (TestPlatforms two = new TestPlatforms()) {
      PlatformClient a = two.start("a").client();
      two.start("b");
      a.deploy(Workflow.builder("tick").task("t", "noop").build());
      int schedules = 50;
      for (int i = 0; i < schedules; i++) {
        a.saveSchedule(
            ScheduleSpec.builder("s" + i, "tick", "* * * * * ?")
                .overlap(OverlapPolicy.allow(10))
                .build());
      }
      // until every schedule fired at least three times
      Await.until(
          Duration.ofSeconds(30),
          () ->
              Sql.single(
                      two.dataSource(),
                      "SELECT COUNT(*) FROM (SELECT schedule_id FROM t_job_flow_run"
                          + " GROUP BY schedule_id HAVING COUNT(*) >= 3) fired")
                  == schedules);
      for (int i = 0; i < schedules; i++) {
        a.pauseSchedule("s" + i);
      }
      Thread.sleep(500);
      try (Connection c = two.dataSource().getConnection();
          Statement st = c.createStatement()) {
        try (ResultSet rs =
            st.executeQuery(
                "SELECT COUNT(*), COUNT(DISTINCT schedule_id, fire_time) FROM t_job_flow_run")) {
          rs.next();
          assertThat(rs.getInt(1)).isGreaterThanOrEqualTo(schedules * 3);
          assertThat(rs.getInt(2)).isEqualTo(rs.getInt(1));
        }
        // no gaps: per schedule, fire times are consecutive seconds
        try (ResultSet rs =
            st.executeQuery(
                "SELECT schedule_id, MIN(fire_time), MAX(fire_time), COUNT(*)"
                    + " FROM t_job_flow_run GROUP BY schedule_id")) {
          int n = 0;
          while (rs.next()) {
            n++;
            assertThat((rs.getLong(3) - rs.getLong(2)) / 1000 + 1).isEqualTo(rs.getLong(4));
          }
          assertThat(n).isEqualTo(schedules);
        }
      }
    }
  }

  /** A schedule row written past the platform's checks, as a manual edit or a truncation would. */
  private void insertRaw(String name, String cron, String zone) throws Exception {
    long next = T0.plusSeconds(60).toEpochMilli();
    Sql.update(
        platforms.dataSource(),
        "INSERT INTO t_schedule (name, flow_name, cron, zone, paused, dst_gap, dst_overlap,"
            + " misfire, catch_up_limit, misfire_after_ms, overlap, max_parallel, params,"
            + " next_fire_at, created_at, updated_at) VALUES ('"
            + name
            + "', 'quick', '"
            + cron
            + "', '"
            + zone
            + "', 0, 'SKIP', 'ONCE', 'FIRE_ONCE', 1, 60000, 'QUEUE', 1, '{}', "
            + next
            + ", 0, 0)");
  }

  private List<String> quarantined() {
    return platform.events(PlatformEvent.ScheduleQuarantined.class).stream()
        .map(PlatformEvent.ScheduleQuarantined::scheduleName)
        .distinct()
        .sorted()
        .toList();
  }

  @Test
  void aRowThatCannotBeReadIsQuarantinedAndTheOtherSchedulesKeepFiring() throws Exception {
    insertRaw("bad-zone", "* * * * *", "Mars/Olympus_Mons");
    insertRaw("bad-cron", "0 0 *", "UTC");
    client.saveSchedule(ScheduleSpec.builder("good", "quick", "* * * * *").build());

    advance(Duration.ofSeconds(60));
    assertRunsEnded("quick", 1);
    advance(Duration.ofSeconds(60));
    assertRunsEnded("quick", 2);

    assertThat(runs("quick"))
        .extracting(WorkflowRun::logicalDate)
        .containsExactly(T0.plusSeconds(60), T0.plusSeconds(120));
    assertThat(quarantined()).containsExactly("bad-cron", "bad-zone");
    assertThat(
            events().stream()
                .filter(
                    e ->
                        e instanceof PlatformEvent.ScheduleQuarantined q
                            && q.scheduleName().equals("bad-zone"))
                .map(e -> ((PlatformEvent.ScheduleQuarantined) e).reason()))
        .allSatisfy(r -> assertThat(r).contains("Mars/Olympus_Mons"));
    assertThat(client.explainSchedule("bad-zone"))
        .anySatisfy(
            r -> {
              assertThat(r.code()).isEqualTo(Explanation.Code.SCHEDULE_QUARANTINED);
              assertThat(r.detail()).contains("Mars/Olympus_Mons");
            });
    assertThat(client.explainSchedule("bad-cron"))
        .anySatisfy(
            r -> {
              assertThat(r.code()).isEqualTo(Explanation.Code.SCHEDULE_QUARANTINED);
              assertThat(r.detail()).contains("'0 0 *'");
            });
    assertThat(client.explainSchedule("good")).isEmpty();
    // the list still works: the unreadable rows are left out of it
    assertThat(client.schedules()).extracting(x -> x.spec().name()).contains("good");

    // saving it again (readable) clears the quarantine
    client.saveSchedule(ScheduleSpec.builder("bad-zone", "quick", "* * * * *").build());
    assertThat(client.explainSchedule("bad-zone"))
        .extracting(Explanation.Reason::code)
        .doesNotContain(Explanation.Code.SCHEDULE_QUARANTINED);
  }

  @Test
  void readingAScheduleWhoseRowCannotBeReadThrowsATypedErrorNamingItAndTheReason()
      throws Exception {
    insertRaw("unknown-zone", "* * * * *", "Mars/Olympus_Mons");

    assertThatThrownBy(() -> client.schedule("unknown-zone"))
        .isInstanceOfSatisfying(
            UnreadableScheduleException.class,
            e -> {
              assertThat(e.scheduleName()).isEqualTo("unknown-zone");
              assertThat(e.reason()).contains("Mars/Olympus_Mons");
            })
        .hasMessageContaining("schedule 'unknown-zone' cannot be read")
        .hasMessageContaining("Mars/Olympus_Mons");

    // saving it again makes it readable
    client.saveSchedule(ScheduleSpec.builder("unknown-zone", "quick", "* * * * *").build());
    assertThat(client.schedule("unknown-zone").orElseThrow().spec().zone())
        .isEqualTo(java.time.ZoneId.of("UTC"));
  }

  @Test
  void aQuarantinedRowIsTriedAgainAndFiresOnceItCanBeRead() throws Exception {
    insertRaw("fixed-later", "* * * * *", "Mars/Olympus_Mons");
    advance(Duration.ofSeconds(60));
    assertThat(quarantined()).containsExactly("fixed-later");
    // an operator repairs the row by hand (or an instance whose JDK knows the zone takes it)
    Sql.update(
        platforms.dataSource(), "UPDATE t_schedule SET zone = 'UTC' WHERE name = 'fixed-later'");
    advance(Duration.ofSeconds(30));
    assertThat(runs("quick")).as("set aside for a minute").isEmpty();

    advance(Duration.ofSeconds(31));
    // its kept fire time 00:01 runs late (missed, run by its misfire policy FIRE_ONCE), 00:02 too
    assertRunsEnded("quick", 2);
    assertThat(runs("quick"))
        .extracting(WorkflowRun::logicalDate)
        .containsExactly(T0.plusSeconds(60), T0.plusSeconds(120));
    assertThat(client.explainSchedule("fixed-later"))
        .extracting(Explanation.Reason::code)
        .doesNotContain(Explanation.Code.SCHEDULE_QUARANTINED);
  }

  @Test
  void cronsThatNeverFireAreRefusedWithTheReason() {
    for (String cron : List.of("0 0 30 2 *", "0 0 0 1 1 ? 2020")) {
      assertThatThrownBy(
              () -> client.saveSchedule(ScheduleSpec.builder("never", "quick", cron).build()))
          .isInstanceOfSatisfying(
              InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("cron"))
          .hasMessageContaining("never fires");
    }
    assertThat(client.schedule("never")).isEmpty();
  }

  @Test
  void concurrentCreatesOfOneNewNameEndInAConflictNotADatabaseError() throws Exception {
    // widen the window between a save's read (no row yet) and its insert, so that both saves of a
    // round read before either inserts
    Sql.update(
        platforms.dataSource(),
        "CREATE TRIGGER slow_schedule_insert BEFORE INSERT ON t_schedule FOR EACH ROW"
            + " BEGIN IF NEW.name LIKE 'race-%' THEN DO SLEEP(1); END IF; END");
    int threads = 2;
    int rounds = 3;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      for (int round = 0; round < rounds; round++) {
        String name = "race-" + round;
        CyclicBarrier start = new CyclicBarrier(threads);
        List<Future<Schedule>> saves = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
          saves.add(
              pool.submit(
                  () -> {
                    start.await();
                    return client.saveSchedule(
                        ScheduleSpec.builder(name, "quick", "* * * * *").build());
                  }));
        }
        List<Throwable> refused = new ArrayList<>();
        for (Future<Schedule> f : saves) {
          try {
            f.get();
          } catch (ExecutionException e) {
            refused.add(e.getCause());
          }
        }
        assertThat(refused)
            .singleElement()
            .isInstanceOf(ConflictException.class)
            .satisfies(e -> assertThat(e).hasMessageContaining("schedule '" + name + "'"));
        // saving again updates the schedule the other request created
        client.saveSchedule(ScheduleSpec.builder(name, "quick", "*/5 * * * *").build());
        assertThat(client.schedule(name).orElseThrow().spec().cron()).isEqualTo("*/5 * * * *");
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(
            Sql.single(
                platforms.dataSource(), "SELECT COUNT(*) FROM t_schedule WHERE name LIKE 'race-%'"))
        .isEqualTo(rounds);
  }
}

package io.flinkplatform.engine.internal.alert;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinkplatform.engine.PlatformClient;
import io.flinkplatform.engine.alert.AlertKind;
import io.flinkplatform.engine.alert.AlertRule;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.testing.ManualClock;
import io.flinkplatform.engine.testing.ManualPlatform;
import io.flinkplatform.engine.testing.Sql;
import io.flinkplatform.engine.testing.TestPlatforms;
import io.flinkplatform.engine.testing.TestTasks;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The overdue and deadline scan on a real database, driven by manual platforms and their clocks:
 * runs and attempts past a rule's {@code after}, runs unfinished at a day's deadline in the rule's
 * zone (across a daylight-saving change), task attempts unfinished at it (by workflow, task and
 * label), a deadline no instance was up for, and two instances that scan at once raising each
 * occurrence once.
 */
class OverdueScanTest {
  private static final Instant T0 = Instant.parse("2026-06-01T00:00:00Z");
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  private TestPlatforms platforms;
  private DataSource ds;

  @BeforeEach
  void setUp() {
    TestTasks.Stream.reset();
    platforms = new TestPlatforms();
    ds = platforms.dataSource();
  }

  @AfterEach
  void tearDown() {
    platforms.close();
    TestTasks.Stream.reset();
  }

  @Test
  void runsAndAttemptsRunningLongerThanTheRuleSaysRaiseOnceEach() throws Exception {
    ManualPlatform p = platforms.manual(new ManualClock(T0), b -> {});
    AlertRules.put(
        ds,
        "default",
        AlertRule.on("slow-etl", AlertKind.RUN_OVERDUE)
            .channels("ops")
            .workflow("etl*")
            .after(Duration.ofHours(1))
            .build());
    AlertRules.put(
        ds,
        "default",
        AlertRule.on("slow-load", AlertKind.TASK_OVERDUE)
            .channels("ops", "mail")
            .task("lo*")
            .after(Duration.ofMinutes(30))
            .build());
    PlatformClient client = p.client();
    client.deploy(Workflow.builder("etl_daily").task("load", "stream", t -> {}).build());
    client.deploy(Workflow.builder("other").task("sink", "stream", t -> {}).build());
    long etl = client.trigger("etl_daily");
    client.trigger("other");
    p.runUntilIdle();
    assertThat(client.run(etl).orElseThrow().state()).isEqualTo(RunState.RUNNING);

    p.advance(Duration.ofMinutes(29)).tick();
    assertThat(AlertRules.keys(ds)).as("nothing is overdue yet").isEmpty();

    p.advance(Duration.ofMinutes(2)).tick();
    assertThat(AlertRules.keys(ds)).containsExactly("slow-load=overdue:" + etl + ":load:1");

    p.advance(Duration.ofMinutes(30)).tick();
    p.tick();
    List<AlertRules.Raised> raised = AlertRules.raised(ds);
    assertThat(raised)
        .extracting(r -> r.rule() + "=" + r.dedupKey())
        .as("once each, only the run of the matching workflow")
        .containsExactly("slow-load=overdue:" + etl + ":load:1", "slow-etl=overdue:" + etl);
    assertThat(raised).extracting(AlertRules.Raised::deliveries).containsExactly(2, 1);
    assertThat(raised.get(1).title())
        .isEqualTo("[WARNING] run " + etl + " of etl_daily running for over PT1H");
    assertThat(raised.get(0).facts()).contains("\"task\":\"load\"", "\"state\":\"RUNNING\"");
  }

  @Test
  void aTaskRuleWithALabelWatchesOnlyTasksOfThatLabelInItsOwnWorkspace() throws Exception {
    ManualPlatform p =
        platforms.manual(new ManualClock(T0), b -> b.configure(c -> c.labels("gpu")));
    AlertRules.put(
        ds,
        "default",
        AlertRule.on("gpu-slow", AlertKind.TASK_OVERDUE)
            .channels("ops")
            .label("gpu")
            .after(Duration.ofMinutes(10))
            .build());
    AlertRules.put(
        ds,
        "team",
        AlertRule.on("theirs", AlertKind.TASK_OVERDUE)
            .channels("ops")
            .after(Duration.ofMinutes(10))
            .build());
    PlatformClient client = p.client();
    client.deploy(
        Workflow.builder("train")
            .task("fit", "stream", t -> t.label("gpu"))
            .task("prep", "stream", t -> {})
            .build());
    long run = client.trigger("train");
    p.runUntilIdle();
    assertThat(client.attempts(run)).hasSize(2).allMatch(a -> a.state().name().equals("RUNNING"));

    p.advance(Duration.ofMinutes(11)).tick();

    assertThat(AlertRules.keys(ds)).containsExactly("gpu-slow=overdue:" + run + ":fit:1");
    assertThat(AlertRules.raised(ds).get(0).facts()).contains("\"label\":\"gpu\"");
  }

  @Test
  void aRunUnfinishedAtTheDeadlineInTheRulesZoneRaisesOncePerDayAcrossADaylightSavingChange()
      throws Exception {
    // 2026-03-29: Berlin moves from +01:00 to +02:00 at 01:00Z; 06:00 there is 04:00Z that day
    ManualPlatform p =
        platforms.manual(new ManualClock(Instant.parse("2026-03-28T23:00:00Z")), b -> {});
    AlertRules.put(
        ds,
        "default",
        AlertRule.on("by-six", AlertKind.RUN_DEADLINE)
            .channels("ops")
            .deadline(LocalTime.of(6, 0), BERLIN)
            .build());
    PlatformClient client = p.client();
    client.deploy(Workflow.builder("etl_daily").task("load", "stream", t -> {}).build());
    client.deploy(Workflow.builder("quick").task("q", "noop", t -> {}).build());
    long stuck = client.trigger("etl_daily");
    long late = client.trigger("etl_daily");
    long quick = client.trigger("quick");
    p.runUntilIdle();
    assertThat(client.run(quick).orElseThrow().state()).isEqualTo(RunState.SUCCESS);

    p.setTime(Instant.parse("2026-03-29T03:59:00Z")).tick();
    assertThat(AlertRules.keys(ds)).as("05:59 in Berlin").isEmpty();

    // the late run ends after the deadline, before any scan saw the deadline pass: still missed
    p.setTime(Instant.parse("2026-03-29T04:10:00Z"));
    TestTasks.Stream.STOP.add(
        Sql.single(ds, "SELECT MAX(id) FROM t_job_run WHERE flow_run_id = " + late));
    p.tick();
    assertThat(client.run(late).orElseThrow().state()).isEqualTo(RunState.SUCCESS);
    assertThat(AlertRules.keys(ds))
        .containsExactlyInAnyOrder(
            "by-six=deadline:" + stuck + ":2026-03-29", "by-six=deadline:" + late + ":2026-03-29");
    assertThat(AlertRules.raised(ds).get(0).facts())
        .contains("\"deadline\":\"2026-03-29 06:00 Europe/Berlin\"");

    long after = client.trigger("etl_daily"); // created after today's deadline
    p.runUntilIdle();
    p.tick();
    assertThat(AlertRules.keys(ds)).hasSize(2);

    // the next day (no change: 06:00 Berlin is 04:00Z again) both unfinished runs raise anew
    p.setTime(Instant.parse("2026-03-30T04:00:00Z")).tick();
    assertThat(AlertRules.keys(ds))
        .containsExactlyInAnyOrder(
            "by-six=deadline:" + stuck + ":2026-03-29",
            "by-six=deadline:" + late + ":2026-03-29",
            "by-six=deadline:" + stuck + ":2026-03-30",
            "by-six=deadline:" + after + ":2026-03-30");
  }

  @Test
  void aTaskUnfinishedAtTheDeadlineRaisesOnceAndOneDoneBeforeItNothing() throws Exception {
    ManualPlatform p =
        platforms.manual(new ManualClock(Instant.parse("2026-06-01T05:00:00Z")), b -> {});
    AlertRules.put(
        ds,
        "default",
        AlertRule.on("tasks-by-six", AlertKind.TASK_DEADLINE)
            .channels("ops")
            .deadline(LocalTime.of(6, 0), ZoneOffset.UTC)
            .build());
    PlatformClient client = p.client();
    client.deploy(
        Workflow.builder("etl_daily")
            .task("load", "stream", t -> {})
            .task("prep", "stream", t -> {})
            .task("late", "stream", t -> {})
            .build());
    long run = client.trigger("etl_daily");
    p.runUntilIdle();
    assertThat(client.attempts(run)).hasSize(3).allMatch(a -> a.state().name().equals("RUNNING"));

    p.setTime(Instant.parse("2026-06-01T05:30:00Z"));
    TestTasks.Stream.STOP.add(attemptId(run, "prep"));
    p.tick();
    p.setTime(Instant.parse("2026-06-01T05:59:00Z")).tick();
    assertThat(AlertRules.keys(ds)).as("05:59: no deadline passed yet").isEmpty();

    // late ends after the deadline, before any scan saw the deadline pass: still missed it
    p.setTime(Instant.parse("2026-06-01T06:10:00Z"));
    TestTasks.Stream.STOP.add(attemptId(run, "late"));
    p.tick();
    p.tick();
    assertThat(AlertRules.keys(ds))
        .as("prep was done at 05:30; each of the others once")
        .containsExactlyInAnyOrder(
            "tasks-by-six=deadline:" + run + ":load:1:2026-06-01",
            "tasks-by-six=deadline:" + run + ":late:1:2026-06-01");
    AlertRules.Raised load =
        AlertRules.raised(ds).stream()
            .filter(r -> r.dedupKey().contains(":load:"))
            .findFirst()
            .orElseThrow();
    assertThat(load.title())
        .isEqualTo(
            "[CRITICAL] task load of etl_daily run " + run + " not done by 2026-06-01 06:00 Z");
    assertThat(load.facts())
        .contains(
            "\"task\":\"load\"",
            "\"attempt\":\"1\"",
            "\"state\":\"RUNNING\"",
            "\"deadline\":\"2026-06-01 06:00 Z\"");
    assertThat(load.deliveries()).isEqualTo(1);

    // the next day the attempt still running raises anew
    p.setTime(Instant.parse("2026-06-02T06:00:00Z")).tick();
    assertThat(AlertRules.keys(ds))
        .hasSize(3)
        .contains("tasks-by-six=deadline:" + run + ":load:1:2026-06-02");
  }

  @Test
  void aTaskDeadlineRuleWatchesOnlyItsWorkflowsTasksAndLabel() throws Exception {
    ManualPlatform p =
        platforms.manual(
            new ManualClock(Instant.parse("2026-06-01T05:00:00Z")),
            b -> b.configure(c -> c.labels("gpu")));
    AlertRule rule =
        AlertRule.on("gpu-loads", AlertKind.TASK_DEADLINE)
            .channels("ops")
            .workflow("etl*")
            .task("lo*")
            .label("gpu")
            .deadline(LocalTime.of(6, 0), ZoneOffset.UTC)
            .build();
    RuleChecks.check(rule); // task and label filters are allowed on this kind
    AlertRules.put(ds, "default", rule);
    PlatformClient client = p.client();
    client.deploy(
        Workflow.builder("etl_daily")
            .task("load", "stream", t -> t.label("gpu"))
            .task("load_cpu", "stream", t -> {})
            .task("fit", "stream", t -> t.label("gpu"))
            .build());
    client.deploy(Workflow.builder("other").task("load", "stream", t -> t.label("gpu")).build());
    long etl = client.trigger("etl_daily");
    long other = client.trigger("other");
    p.runUntilIdle();
    assertThat(client.attempts(etl)).hasSize(3).allMatch(a -> a.state().name().equals("RUNNING"));
    assertThat(client.attempts(other)).hasSize(1).allMatch(a -> a.state().name().equals("RUNNING"));

    p.setTime(Instant.parse("2026-06-01T06:01:00Z")).tick();

    assertThat(AlertRules.keys(ds))
        .containsExactly("gpu-loads=deadline:" + etl + ":load:1:2026-06-01");
    assertThat(AlertRules.raised(ds).get(0).facts()).contains("\"label\":\"gpu\"");
  }

  private long attemptId(long run, String task) {
    return Sql.single(
        ds,
        "SELECT MAX(id) FROM t_job_run WHERE flow_run_id = "
            + run
            + " AND task_id = '"
            + task
            + "'");
  }

  @Test
  void anInstanceThatStartsAfterADeadlineNoInstanceWasUpForRaisesIt() throws Exception {
    ManualPlatform first =
        platforms.manual(new ManualClock(Instant.parse("2026-06-01T05:00:00Z")), b -> {});
    AlertRules.put(
        ds,
        "default",
        AlertRule.on("by-six", AlertKind.RUN_DEADLINE)
            .channels("ops")
            .deadline(LocalTime.of(6, 0), ZoneOffset.UTC)
            .build());
    first.client().deploy(Workflow.builder("etl_daily").task("load", "stream", t -> {}).build());
    long run = first.client().trigger("etl_daily");
    first.runUntilIdle();
    first.close();
    assertThat(AlertRules.keys(ds)).isEmpty();

    ManualPlatform next =
        platforms.manual(new ManualClock(Instant.parse("2026-06-01T09:00:00Z")), b -> {});
    next.tick();
    assertThat(AlertRules.keys(ds)).containsExactly("by-six=deadline:" + run + ":2026-06-01");
  }

  @Test
  void twoInstancesScanningAtOnceRaiseEachOccurrenceOnce() throws Exception {
    ManualClock clockA = new ManualClock(T0);
    ManualClock clockB = new ManualClock(T0);
    ManualPlatform a =
        platforms.manual(
            clockA, b -> b.configure(c -> c.instanceName("a").leaseDuration(Duration.ofDays(2))));
    ManualPlatform b =
        platforms.manual(
            clockB, x -> x.configure(c -> c.instanceName("b").leaseDuration(Duration.ofDays(2))));
    AlertRules.put(
        ds,
        "default",
        AlertRule.on("slow", AlertKind.RUN_OVERDUE)
            .channels("ops")
            .after(Duration.ofMinutes(10))
            // no rate limit: the delivery pass would sum the six runs' alerts up in a digest
            .rateLimit(Duration.ZERO)
            .build());
    AlertRules.put(
        ds,
        "default",
        AlertRule.on("slow-task", AlertKind.TASK_OVERDUE)
            .channels("ops", "mail")
            .after(Duration.ofMinutes(10))
            .rateLimit(Duration.ZERO)
            .build());
    a.client().deploy(Workflow.builder("etl_daily").task("load", "stream", t -> {}).build());
    List<Long> runs = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      runs.add(a.client().trigger("etl_daily"));
    }
    a.runUntilIdle();

    ExecutorService two = Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < 3; round++) {
        clockA.advance(Duration.ofMinutes(11));
        clockB.advance(Duration.ofMinutes(11));
        CyclicBarrier together = new CyclicBarrier(2);
        Future<?> fa = two.submit(() -> tickAfter(together, a));
        Future<?> fb = two.submit(() -> tickAfter(together, b));
        fa.get(2, TimeUnit.MINUTES);
        fb.get(2, TimeUnit.MINUTES);
      }
    } finally {
      two.shutdownNow();
    }

    List<String> expected = new ArrayList<>();
    for (long run : runs) {
      expected.add("slow=overdue:" + run);
      expected.add("slow-task=overdue:" + run + ":load:1");
    }
    assertThat(AlertRules.keys(ds)).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(Sql.single(ds, "SELECT COUNT(*) FROM t_alert_delivery")).isEqualTo(6 + 12);
  }

  private static Void tickAfter(CyclicBarrier barrier, ManualPlatform p) throws Exception {
    barrier.await(1, TimeUnit.MINUTES);
    p.tick();
    return null;
  }

  @Test
  void theDeadlineOfADayFallsOnTheRightInstantInGapsAndOverlaps() {
    AlertRule halfPastTwo =
        AlertRule.on("r", AlertKind.RUN_DEADLINE)
            .channels("ops")
            .deadline(LocalTime.of(2, 30), BERLIN)
            .build();
    // 02:30 does not exist on 2026-03-29 in Berlin: the first instant after the gap, 03:30 CEST
    assertThat(OverdueScan.lastDeadline(halfPastTwo, Instant.parse("2026-03-29T12:00:00Z")))
        .isEqualTo(
            new OverdueScan.Deadline(
                java.time.LocalDate.of(2026, 3, 29), Instant.parse("2026-03-29T01:30:00Z")));
    // 02:30 happens twice on 2026-10-25: the earlier one, 02:30 CEST
    assertThat(OverdueScan.lastDeadline(halfPastTwo, Instant.parse("2026-10-25T12:00:00Z")))
        .isEqualTo(
            new OverdueScan.Deadline(
                java.time.LocalDate.of(2026, 10, 25), Instant.parse("2026-10-25T00:30:00Z")));
    // before today's deadline: yesterday's, dated by the rule's zone, not UTC
    assertThat(OverdueScan.lastDeadline(halfPastTwo, Instant.parse("2026-06-01T23:30:00Z")))
        .as("01:30 on June 2 in Berlin")
        .isEqualTo(
            new OverdueScan.Deadline(
                java.time.LocalDate.of(2026, 6, 1), Instant.parse("2026-06-01T00:30:00Z")));
  }
}

package io.flinkplatform.engine.internal.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flinkplatform.engine.PlatformClient;
import io.flinkplatform.engine.alert.AlertKind;
import io.flinkplatform.engine.alert.AlertRule;
import io.flinkplatform.engine.alert.AlertSettings;
import io.flinkplatform.engine.dag.RetryPolicy;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.internal.common.Json;
import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.schedule.BackfillRequest;
import io.flinkplatform.engine.schedule.MisfirePolicy;
import io.flinkplatform.engine.schedule.OverlapPolicy;
import io.flinkplatform.engine.schedule.ScheduleSpec;
import io.flinkplatform.engine.testing.ManualClock;
import io.flinkplatform.engine.testing.ManualPlatform;
import io.flinkplatform.engine.testing.Sql;
import io.flinkplatform.engine.testing.TestPlatforms;
import io.flinkplatform.engine.testing.TestTasks;
import io.flinkplatform.spi.Workspaces;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Alerts raised by the engine's own changes, end to end on a {@link ManualPlatform} and the real
 * database: which rule raises for which change, once, with which facts, and which rules do not.
 */
class AlertRaisingTest {
  private static final Instant T0 = Instant.parse("2026-06-01T00:00:00Z");

  /** Rules are read again at once: a rule inserted by the test is seen by the next change. */
  static final AlertSettings QUICK_RULES =
      new AlertSettings(
          true,
          Duration.ofSeconds(1),
          Duration.ofSeconds(30),
          Duration.ofSeconds(10),
          Duration.ofSeconds(5),
          Duration.ofMinutes(5),
          Duration.ofHours(24),
          2,
          Duration.ofSeconds(15),
          Duration.ofMillis(1));

  private TestPlatforms platforms;
  private ManualPlatform platform;
  private PlatformClient client;

  /** One raised alert as stored, with its deliveries. */
  record Raised(
      String rule,
      String kind,
      String dedupKey,
      Long runId,
      Map<String, String> facts,
      int sends) {}

  @BeforeEach
  void start() {
    platforms = new TestPlatforms();
    platform =
        platforms.manual(
            new ManualClock(T0), b -> b.configure(p -> p.labels("gpu").alerts(QUICK_RULES)));
    client = platform.client();
  }

  @AfterEach
  void stop() {
    platforms.close();
  }

  /** Stores a rule of {@code workspace} as AlertBook would (the spec's JSON, enabled). */
  static void rule(javax.sql.DataSource ds, String workspace, AlertRule rule) throws Exception {
    AlertRules.put(ds, workspace, rule);
  }

  private void rule(AlertRule rule) throws Exception {
    rule(platforms.dataSource(), Workspaces.DEFAULT, rule);
  }

  static AlertRule.Builder on(String name, AlertKind kind) {
    return AlertRule.on(name, kind).channels("ops", "chat");
  }

  static List<Raised> raised(javax.sql.DataSource ds) throws Exception {
    List<Raised> out = new ArrayList<>();
    Sql.query(
        ds,
        "SELECT a.rule_name, a.kind, a.dedup_key, a.run_id, a.facts,"
            + " (SELECT COUNT(*) FROM t_alert_delivery d WHERE d.alert_id = a.id)"
            + " FROM t_alert a ORDER BY a.id",
        rs ->
            out.add(
                new Raised(
                    rs.getString(1),
                    rs.getString(2),
                    rs.getString(3),
                    rs.getObject(4) == null ? null : rs.getLong(4),
                    Json.stringMap(rs.getString(5)),
                    rs.getInt(6))));
    return out;
  }

  private List<Raised> raised() throws Exception {
    return raised(platforms.dataSource());
  }

  private List<Raised> raised(String rule) throws Exception {
    return raised().stream().filter(r -> r.rule().equals(rule)).toList();
  }

  @Test
  void aRunEndRaisesOnceForTheRulesItMatchesWithItsFacts() throws Exception {
    rule(on("etl-failed", AlertKind.RUN_FAILED).workflow("etl*").build());
    rule(on("report-failed", AlertKind.RUN_FAILED).workflow("report*").build());
    rule(on("any-ok", AlertKind.RUN_SUCCEEDED).build());
    rule(on("disabled", AlertKind.RUN_FAILED).enabled(false).build());
    rule(platforms.dataSource(), "team-b", on("team-b-failed", AlertKind.RUN_FAILED).build());
    client.deploy(
        Workflow.builder("etl-daily")
            .task("load", "fail", t -> t.option("retryable", false))
            .build());
    client.deploy(Workflow.builder("etl-ok").task("t", "noop", t -> {}).build());
    long failed = client.trigger("etl-daily");
    long ok = client.trigger("etl-ok");
    platform.runUntilIdle();
    assertThat(client.run(failed).orElseThrow().state()).isEqualTo(RunState.FAILED);

    List<Raised> all = raised();
    assertThat(all).extracting(Raised::rule).containsExactlyInAnyOrder("etl-failed", "any-ok");
    Raised f = raised("etl-failed").get(0);
    assertThat(f.kind()).isEqualTo("RUN_FAILED");
    assertThat(f.runId()).isEqualTo(failed);
    assertThat(f.dedupKey()).startsWith("run:" + failed + ":FAILED:");
    assertThat(f.sends()).as("a delivery per channel").isEqualTo(2);
    assertThat(f.facts())
        .containsEntry("run", Long.toString(failed))
        .containsEntry("workflow", "etl-daily")
        .containsEntry("workspace", Workspaces.DEFAULT)
        .containsEntry("state", "FAILED")
        .containsEntry("actor", "system")
        .containsEntry("logicalDate", T0.toString())
        .doesNotContainKey("link"); // no console address configured
    assertThat(raised("any-ok").get(0).facts()).containsEntry("run", Long.toString(ok));

    // nothing more when the platform goes on idle: each end raised once
    platform.advance(Duration.ofMinutes(1)).runUntilIdle();
    assertThat(raised()).hasSize(2);
  }

  @Test
  void aRetriedTaskRaisesRetriedForEachRetryAndFailedOnlyAfterTheLast() throws Exception {
    rule(on("retried", AlertKind.TASK_RETRIED).build());
    rule(on("failed", AlertKind.TASK_FAILED).task("lo*").build());
    rule(on("gpu-failed", AlertKind.TASK_FAILED).label("gpu").build());
    rule(on("cpu-failed", AlertKind.TASK_FAILED).label("cpu").build());
    rule(on("other-task", AlertKind.TASK_FAILED).task("x*").build());
    rule(on("other-flow", AlertKind.TASK_FAILED).workflow("nightly").build());
    client.deploy(
        Workflow.builder("etl")
            .task(
                "load",
                "fail",
                t -> t.label("gpu").retry(RetryPolicy.fixed(2, Duration.ofSeconds(1))))
            .build());
    long run = client.trigger("etl");
    platform.runUntilIdle();
    assertThat(raised()).extracting(Raised::rule).containsExactly("retried");
    platform.advance(Duration.ofSeconds(1)).runUntilIdle();
    assertThat(raised()).extracting(Raised::rule).containsExactly("retried", "retried");
    platform.advance(Duration.ofSeconds(1)).runUntilIdle();
    assertThat(client.run(run).orElseThrow().state()).isEqualTo(RunState.FAILED);

    assertThat(raised("retried"))
        .extracting(Raised::dedupKey)
        .containsExactly("task:" + run + ":load:1:FAILED", "task:" + run + ":load:2:FAILED");
    assertThat(raised("failed"))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.dedupKey()).isEqualTo("task:" + run + ":load:3:FAILED");
              assertThat(r.facts())
                  .containsEntry("task", "load")
                  .containsEntry("attempt", "3")
                  .containsEntry("state", "FAILED")
                  .containsEntry("label", "gpu")
                  .containsEntry("workflow", "etl")
                  .containsEntry("message", "planned failure of attempt 3");
            });
    assertThat(raised("gpu-failed")).hasSize(1);
    assertThat(raised("cpu-failed")).isEmpty();
    assertThat(raised("other-task")).isEmpty();
    assertThat(raised("other-flow")).isEmpty();
  }

  @Test
  void aRerunThatFailsAgainAlertsAgainAndAMarkThatEndsTheRunAlertsInItsTransaction()
      throws Exception {
    rule(on("failed", AlertKind.RUN_FAILED).build());
    rule(on("ok", AlertKind.RUN_SUCCEEDED).build());
    client.deploy(
        Workflow.builder("etl").task("load", "fail", t -> t.option("retryable", false)).build());
    long run = client.trigger("etl");
    platform.runUntilIdle();
    platform.advance(Duration.ofMinutes(1));
    client.rerun(io.flinkplatform.engine.run.RerunRequest.failedTasks(run));
    platform.runUntilIdle();
    assertThat(raised("failed")).hasSize(2).extracting(Raised::runId).containsOnly(run);
    client.markTask(run, "load", io.flinkplatform.engine.run.TaskState.SUCCESS);
    assertThat(client.run(run).orElseThrow().state()).isEqualTo(RunState.SUCCESS);
    assertThat(raised("ok"))
        .singleElement()
        .satisfies(r -> assertThat(r.facts()).containsEntry("state", "SUCCESS"));
  }

  @Test
  void aKillRaisesRunKilledInTheKillTransactionWithTheKiller() throws Exception {
    rule(on("killed", AlertKind.RUN_KILLED).build());
    client.deploy(Workflow.builder("etl").task("t", "noop", t -> {}).build());
    long run = client.trigger("etl");
    assertThat(client.kill(run)).isTrue(); // nothing started: the kill ends the run
    assertThat(client.run(run).orElseThrow().state()).isEqualTo(RunState.KILLED);
    assertThat(raised())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.kind()).isEqualTo("RUN_KILLED");
              assertThat(r.facts())
                  .containsEntry("state", "KILLED")
                  .containsEntry("actor", "system");
            });
  }

  @Test
  void aBackfillRaisesFinishedOnceWhenItsLastRunEnds() throws Exception {
    rule(on("backfill", AlertKind.BACKFILL_FINISHED).workflow("daily").build());
    rule(on("other-backfill", AlertKind.BACKFILL_FINISHED).workflow("weekly").build());
    client.deploy(Workflow.builder("daily").task("t", "noop", t -> {}).build());
    long id =
        client.backfill(
            BackfillRequest.builder("daily")
                .daily(LocalDate.of(2026, 5, 1), LocalDate.of(2026, 5, 3), ZoneOffset.UTC)
                .parallelism(1)
                .build());
    platform.runUntilIdle();
    assertThat(raised())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.rule()).isEqualTo("backfill");
              assertThat(r.dedupKey()).isEqualTo("backfill:" + id);
              assertThat(r.facts())
                  .containsEntry("state", "SUCCESS")
                  .containsEntry("runs", "3")
                  .containsEntry("succeeded", "3")
                  .containsEntry("workflow", "daily");
            });
  }

  @Test
  void aMisfireAndASkippedFireTimeRaiseInTheFiringTransaction() throws Exception {
    rule(on("misfired", AlertKind.SCHEDULE_MISFIRED).workflow("quick").build());
    rule(on("misfired-elsewhere", AlertKind.SCHEDULE_MISFIRED).workflow("slow*").build());
    rule(on("skipped", AlertKind.SCHEDULE_SKIPPED).build());
    client.deploy(Workflow.builder("quick").task("t", "noop", t -> {}).build());
    client.saveSchedule(
        ScheduleSpec.builder("m", "quick", "* * * * *")
            .misfire(MisfirePolicy.skip())
            .misfireThreshold(Duration.ofSeconds(10))
            .build());
    client.pauseSchedule("m");
    platform.advance(Duration.ofMinutes(10).plusSeconds(30)).runUntilIdle();
    client.resumeSchedule("m");
    platform.runUntilIdle();
    assertThat(raised())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.rule()).isEqualTo("misfired");
              assertThat(r.dedupKey())
                  .isEqualTo("misfire:m:" + T0.plus(Duration.ofMinutes(1)).toEpochMilli());
              assertThat(r.facts())
                  .containsEntry("schedule", "m")
                  .containsEntry("workflow", "quick")
                  .containsEntry("missed", "10");
            });

    // overlap SKIP: the second fire time skips while the first run's external work goes on
    TestTasks.Stream.reset();
    client.deploy(Workflow.builder("slow").task("a", "stream").build());
    client.saveSchedule(
        ScheduleSpec.builder("o", "slow", "* * * * *").overlap(OverlapPolicy.skip()).build());
    try {
      platform.advance(Duration.ofSeconds(60)).runUntilIdle();
      platform.advance(Duration.ofSeconds(60)).runUntilIdle();
      assertThat(raised("skipped"))
          .singleElement()
          .satisfies(
              r -> {
                assertThat(r.dedupKey()).startsWith("skip:o:");
                assertThat(r.facts()).containsEntry("workflow", "slow");
                assertThat(r.facts().get("message")).contains("overlap policy SKIP");
              });
    } finally {
      client.pauseSchedule("o");
      for (var run : client.runs("slow", 10)) {
        client.attempts(run.id()).forEach(at -> TestTasks.Stream.STOP.add(at.id()));
      }
      platform.runUntilIdle();
      TestTasks.Stream.reset();
    }
  }

  @Test
  void anInstanceWhoseAttemptsAreReapedRaisesInstanceLostInEveryWorkspaceOnce() throws Exception {
    rule(on("lost", AlertKind.INSTANCE_LOST).build());
    rule(platforms.dataSource(), "team-b", on("lost-b", AlertKind.INSTANCE_LOST).build());
    TestTasks.Stream.reset();
    try {
      client.deploy(Workflow.builder("slow").task("a", "stream").build());
      client.deploy(Workflow.builder("slow2").task("a", "stream").build());
      long run = client.trigger("slow");
      long run2 = client.trigger("slow2");
      platform.runUntilIdle(); // "manual" holds both external attempts
      List<String> owners = new ArrayList<>();
      Sql.query(
          platforms.dataSource(),
          "SELECT owner FROM t_job_run WHERE flow_run_id = " + run + " AND state = 'RUNNING'",
          rs -> owners.add(rs.getString(1)));
      String owner = owners.get(0);
      // its lease lapses (by the database's clock) as if it had stopped renewing
      Sql.update(
          platforms.dataSource(),
          "UPDATE t_job_run SET lease_until = 1 WHERE flow_run_id IN (" + run + ", " + run2 + ")");
      ManualPlatform other =
          platforms.manual(
              platform.clock(), b -> b.configure(p -> p.instanceName("other").alerts(QUICK_RULES)));
      other.runUntilIdle();
      assertThat(raised()).extracting(Raised::rule).containsExactlyInAnyOrder("lost", "lost-b");
      assertThat(raised("lost"))
          .singleElement()
          .satisfies(
              r -> {
                assertThat(r.kind()).isEqualTo("INSTANCE_LOST");
                assertThat(r.dedupKey()).startsWith("lost:" + owner + ":");
                assertThat(r.facts())
                    .containsEntry("instance", "manual")
                    .containsEntry("worker", owner);
                assertThat(r.facts().get("message")).startsWith("2 running attempt(s) re-queued");
              });
    } finally {
      TestTasks.Stream.SUBMISSIONS.keySet().forEach(TestTasks.Stream.STOP::add);
      TestTasks.Stream.reset();
    }
  }

  @Test
  void withoutRulesNothingIsRaised() throws Exception {
    client.deploy(
        Workflow.builder("etl").task("load", "fail", t -> t.option("retryable", false)).build());
    client.trigger("etl");
    platform.runUntilIdle();
    assertThat(raised()).isEmpty();
    assertThatThrownBy(() -> Sql.single(platforms.dataSource(), "SELECT id FROM t_alert_delivery"))
        .hasMessageContaining("no row");
  }
}

package io.flinkplatform.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flinkplatform.engine.dag.Edge;
import io.flinkplatform.engine.dag.EdgeCondition;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.run.InstanceInfo;
import io.flinkplatform.engine.run.Overview;
import io.flinkplatform.engine.run.Overview.HourCounts;
import io.flinkplatform.engine.run.RunPage;
import io.flinkplatform.engine.run.RunQuery;
import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.run.TaskState;
import io.flinkplatform.engine.run.TriggerRequest;
import io.flinkplatform.engine.run.VersionDiff;
import io.flinkplatform.engine.run.WorkflowRun;
import io.flinkplatform.engine.run.WorkflowSummary;
import io.flinkplatform.engine.run.WorkflowVersion;
import io.flinkplatform.engine.schedule.ScheduleSpec;
import io.flinkplatform.engine.testing.Await;
import io.flinkplatform.engine.testing.ManualClock;
import io.flinkplatform.engine.testing.ManualPlatform;
import io.flinkplatform.engine.testing.Sql;
import io.flinkplatform.engine.testing.TestPlatforms;
import io.flinkplatform.spi.Actor;
import io.flinkplatform.spi.Role;
import io.flinkplatform.spi.Workspaces;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The reads an operations console pages through, on the real database with a manual clock:
 * workflows with their versions and a diff, run search with keyset pages, and the overview.
 */
class OperationsReadsTest {
  private static final Instant T0 = Instant.parse("2026-06-01T07:30:00Z");

  /** Version 1 of "etl", or version 2: another value of an option of "load", a task "report". */
  private static Workflow etl(boolean second) {
    Workflow.Builder b =
        Workflow.builder("etl")
            .task("extract", "noop")
            .task(
                "load",
                "emit",
                t -> t.option("outputs", Map.of("k", second ? "v2" : "v1")).after("extract"));
    if (second) {
      b.task("report", "noop", t -> t.after("load"));
    }
    return b.build();
  }

  @Test
  void workflowsListTheLatestVersionWhoDeployedItItsSchedulesAndItsLastRun() {
    try (TestPlatforms platforms = new TestPlatforms()) {
      ManualPlatform platform = platforms.manual(new ManualClock(T0), b -> {});
      PlatformClient system = platform.client();
      system.setMember("ed", Role.EDITOR);
      system.setMember("op", Role.OPERATOR);
      PlatformClient editor = platform.client(Actor.user("ed"), Workspaces.DEFAULT);
      PlatformClient operator = platform.client(Actor.user("op"), Workspaces.DEFAULT);
      editor.deploy(etl(false));
      platform.advance(Duration.ofMinutes(5));
      editor.deploy(etl(true));
      system.deploy(Workflow.builder("other").description("idle").task("t", "noop").build());
      system.saveSchedule(
          ScheduleSpec.builder("etl-nightly", "etl", "0 2 * * *").zone("UTC").build());
      system.saveSchedule(
          ScheduleSpec.builder("etl-hourly", "etl", "0 * * * *").zone("UTC").build());
      long first = operator.trigger("etl");
      long last = operator.trigger("etl");
      platform.runUntilIdle();

      List<WorkflowSummary> all = operator.workflows();
      assertThat(all).extracting(WorkflowSummary::name).containsExactly("etl", "other");
      WorkflowSummary etl = all.get(0);
      assertThat(etl.latestVersion()).isEqualTo(2);
      assertThat(etl.taskCount()).isEqualTo(3);
      assertThat(etl.deployedBy()).isEqualTo("ed");
      assertThat(etl.deployedAt()).isEqualTo(T0.plus(Duration.ofMinutes(5)));
      assertThat(etl.schedules()).containsExactly("etl-hourly", "etl-nightly");
      assertThat(etl.lastRun()).map(WorkflowRun::id).contains(last);
      assertThat(etl.lastRun()).map(WorkflowRun::state).contains(RunState.SUCCESS);
      assertThat(etl.lastRun()).map(WorkflowRun::triggeredBy).contains("op");
      assertThat(first).isLessThan(last);
      WorkflowSummary other = all.get(1);
      assertThat(other.deployedBy()).isEqualTo("system");
      assertThat(other.description()).isEqualTo("idle");
      assertThat(other.schedules()).isEmpty();
      assertThat(other.lastRun()).isEmpty();

      List<WorkflowVersion> versions = operator.versions("etl");
      assertThat(versions).extracting(WorkflowVersion::version).containsExactly(2, 1);
      assertThat(versions).extracting(WorkflowVersion::taskCount).containsExactly(3, 2);
      assertThat(versions).extracting(WorkflowVersion::deployedBy).containsOnly("ed");
      assertThat(versions.get(1).deployedAt()).isEqualTo(T0);
      assertThat(versions.get(0).id()).isEqualTo(operator.workflow("etl", 2).orElseThrow().id());
      assertThat(operator.versions("missing")).isEmpty();

      VersionDiff diff = operator.diff("etl", 1, 2);
      assertThat(diff.tasksAdded()).containsExactly("report");
      assertThat(diff.tasksRemoved()).isEmpty();
      assertThat(diff.tasksChanged())
          .containsExactly(new VersionDiff.TaskChange("load", List.of("outputs"), List.of()));
      assertThat(diff.edgesAdded())
          .containsExactly(new Edge("load", "report", EdgeCondition.SUCCESS));
      assertThat(operator.diff("etl", 2, 1).tasksRemoved()).containsExactly("report");
      assertThat(operator.diff("etl", 2, 2).isEmpty()).isTrue();
      assertThatThrownBy(() -> operator.diff("etl", 1, 3))
          .isInstanceOf(NotFoundException.class)
          .hasMessageContaining("'etl'")
          .hasMessageContaining("version 3");
    }
  }

  @Test
  void runsAreFilteredByEveryFieldAndPagedByAKeysetCursor() {
    try (TestPlatforms platforms = new TestPlatforms()) {
      ManualPlatform platform = platforms.manual(new ManualClock(T0), b -> {});
      PlatformClient system = platform.client();
      system.setMember("op", Role.OPERATOR);
      PlatformClient operator = platform.client(Actor.user("op"), Workspaces.DEFAULT);
      system.deploy(Workflow.builder("a").task("t", "noop").build());
      system.deploy(Workflow.builder("b").task("t", "noop").build());
      system.deploy(Workflow.builder("bad").task("t", "fail").build());
      Instant day1 = Instant.parse("2026-05-01T00:00:00Z");
      List<Long> a = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        a.add(
            operator.trigger(
                TriggerRequest.of("a").withLogicalDate(day1.plus(Duration.ofDays(i)))));
      }
      platform.advance(Duration.ofHours(1));
      long b1 = system.trigger("b");
      long b2 = system.trigger("b");
      platform.advance(Duration.ofHours(1));
      long bad = operator.trigger("bad");
      platform.runUntilIdle();
      List<Long> all = List.of(bad, b2, b1, a.get(2), a.get(1), a.get(0));

      assertThat(ids(operator.runs(RunQuery.latest(100)))).containsExactlyElementsOf(all);
      assertThat(operator.runs(RunQuery.latest(100)).nextBeforeId()).isEmpty();
      assertThat(ids(operator.runs(RunQuery.latest(100).workflow("a"))))
          .containsExactly(a.get(2), a.get(1), a.get(0));
      assertThat(ids(operator.runs(RunQuery.latest(100).states(RunState.FAILED))))
          .containsExactly(bad);
      assertThat(ids(operator.runs(RunQuery.latest(100).states(RunState.FAILED, RunState.SUCCESS))))
          .containsExactlyElementsOf(all);
      assertThat(ids(operator.runs(RunQuery.latest(100).states(RunState.RUNNING)))).isEmpty();
      assertThat(
              ids(
                  operator.runs(
                      RunQuery.latest(100)
                          .logicalDates(
                              day1.plus(Duration.ofDays(1)), day1.plus(Duration.ofDays(2))))))
          .as("the range's end is exclusive")
          .containsExactly(a.get(1));
      assertThat(ids(operator.runs(RunQuery.latest(100).triggeredBy("op"))))
          .containsExactly(bad, a.get(2), a.get(1), a.get(0));
      assertThat(ids(operator.runs(RunQuery.latest(100).triggeredBy("nobody")))).isEmpty();
      assertThat(
              ids(
                  operator.runs(
                      RunQuery.latest(100)
                          .created(T0.plus(Duration.ofHours(1)), T0.plus(Duration.ofHours(2))))))
          .containsExactly(b2, b1);
      assertThat(
              ids(
                  operator.runs(
                      RunQuery.latest(100)
                          .workflow("a")
                          .triggeredBy("op")
                          .states(RunState.SUCCESS)
                          .created(T0, T0.plus(Duration.ofMinutes(1)))
                          .before(a.get(2)))))
          .containsExactly(a.get(1), a.get(0));

      // pages of 2 over 6 runs: 3 pages, the last one says it is the last
      List<Long> paged = new ArrayList<>();
      RunQuery q = RunQuery.latest(2);
      int pages = 0;
      while (true) {
        RunPage page = operator.runs(q);
        pages++;
        assertThat(page.runs()).hasSizeLessThanOrEqualTo(2);
        paged.addAll(ids(page));
        if (page.nextBeforeId().isEmpty()) {
          break;
        }
        q = q.before(page.nextBeforeId().get());
      }
      assertThat(paged).containsExactlyElementsOf(all);
      assertThat(pages).isEqualTo(3);
      RunPage page = operator.runs(RunQuery.latest(4).workflow("a"));
      assertThat(page.nextBeforeId()).as("a page that holds the rest is the last").isEmpty();

      // the old call keeps working
      assertThat(operator.runs("a", 2))
          .extracting(WorkflowRun::id)
          .containsExactly(a.get(2), a.get(1));
    }
  }

  @Test
  void aBadQueryIsATypedErrorNamingTheField() {
    assertThatThrownBy(() -> RunQuery.latest(0))
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("limit"))
        .hasMessageContaining("between 1 and 500");
    assertThatThrownBy(() -> RunQuery.latest(RunQuery.MAX_LIMIT + 1))
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("limit"));
    assertThat(RunQuery.latest(RunQuery.MAX_LIMIT).limit()).isEqualTo(500);
    assertThatThrownBy(() -> RunQuery.latest(10).logicalDates(T0, T0.minusSeconds(1)))
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("logicalTo"));
    assertThatThrownBy(() -> RunQuery.latest(10).created(T0, T0.minusSeconds(1)))
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("createdTo"));
  }

  @Test
  void theOverviewCountsRunsByHourListsRunningAndFailedRunsTheQueueAndLaggingSchedules() {
    try (TestPlatforms platforms = new TestPlatforms()) {
      ManualPlatform platform =
          platforms.manual(new ManualClock(T0.minus(Duration.ofHours(24))), b -> {});
      PlatformClient client = platform.client();
      client.deploy(Workflow.builder("ok").task("t", "noop").build());
      client.deploy(Workflow.builder("bad").task("t", "fail").build());
      client.deploy(Workflow.builder("urgent").priority(5).task("t", "noop").build());
      long tooOld = client.trigger("bad"); // 2026-05-31T07:30: more than 24 hours before "now"
      platform.runUntilIdle();
      platform.setTime(T0); // 07:30
      long ok = client.trigger("ok");
      platform.runUntilIdle();
      platform.advance(Duration.ofHours(1)); // 08:30
      long failed = client.trigger("bad");
      platform.runUntilIdle();
      client.saveSchedule(ScheduleSpec.builder("every5", "ok", "*/5 * * * *").zone("UTC").build());
      client.saveSchedule(
          ScheduleSpec.builder("held", "ok", "*/5 * * * *").zone("UTC").paused(true).build());
      platform.advance(Duration.ofHours(2)); // 10:30, nothing ticks: the schedule lags
      long q1 = client.trigger("ok");
      long q2 = client.trigger("ok");
      long q3 = client.trigger("urgent");

      Overview o = client.overview();
      Instant now = T0.plus(Duration.ofHours(3));
      assertThat(o.at()).isEqualTo(now);
      assertThat(o.hours()).hasSize(24);
      assertThat(o.hours().get(0).start()).isEqualTo(Instant.parse("2026-05-31T11:00:00Z"));
      assertThat(o.hours().get(23).start()).isEqualTo(Instant.parse("2026-06-01T10:00:00Z"));
      assertThat(hour(o, "07:00")).containsExactlyEntriesOf(Map.of(RunState.SUCCESS, 1));
      assertThat(hour(o, "08:00")).containsExactlyEntriesOf(Map.of(RunState.FAILED, 1));
      assertThat(hour(o, "10:00")).containsExactlyEntriesOf(Map.of(RunState.RUNNING, 3));
      assertThat(o.hours().stream().mapToInt(HourCounts::total).sum())
          .as("the run of the day before is not counted")
          .isEqualTo(5);
      assertThat(o.running()).extracting(WorkflowRun::id).containsExactly(q3, q2, q1);
      assertThat(o.runningCount()).isEqualTo(3);
      assertThat(o.failures()).extracting(WorkflowRun::id).containsExactly(failed);
      assertThat(o.failureCount()).isEqualTo(1);
      assertThat(o.queueDepth()).isEqualTo(3);
      assertThat(o.readyByPriority()).containsExactlyInAnyOrderEntriesOf(Map.of(0, 2, 5, 1));
      assertThat(o.liveInstances()).isEqualTo(1);
      assertThat(o.lagging()).hasSize(1);
      Overview.ScheduleLag lag = o.lagging().get(0);
      assertThat(lag.schedule()).isEqualTo("every5");
      assertThat(lag.workflow()).isEqualTo("ok");
      assertThat(lag.nextFireAt()).isEqualTo(Instant.parse("2026-06-01T08:35:00Z"));
      assertThat(lag.lag()).isEqualTo(Duration.ofMinutes(115));
      assertThat(lag.quarantine()).isEmpty();
      assertThat(List.of(tooOld, ok)).doesNotContainNull();

      platform.runUntilIdle(); // the schedule catches up, the queue drains
      Overview after = client.overview();
      assertThat(after.lagging()).isEmpty();
      assertThat(after.queueDepth()).isZero();
      assertThat(after.readyByPriority()).isEmpty();
      assertThat(after.running()).isEmpty();
      assertThat(after.runningCount()).isZero();
    }
  }

  @Test
  void instancesAreListedLiveLostOrStoppedWithTheirRunningAttempts() throws Exception {
    try (TestPlatforms platforms = new TestPlatforms()) {
      Platform alpha = platforms.start("alpha", b -> b.labels("gpu", "eu"));
      Platform beta = platforms.start("beta", b -> b.workerThreads(0));
      beta.stop();
      PlatformClient client = alpha.client();
      client.deploy(
          Workflow.builder("slow").task("t", "sleep", t -> t.option("duration", "60s")).build());
      long run = client.trigger("slow");
      Await.until(
          () -> client.attempts(run).stream().anyMatch(a -> a.state() == TaskState.RUNNING));
      // an instance that died without a stop an hour ago, and one gone for longer than RECENT
      Sql.update(
          platforms.dataSource(),
          "INSERT INTO t_worker (name, instance_name, host, pid, version, labels, task_types, state,"
              + " started_at, heartbeat_at, lease_until) SELECT 'lost#1', 'lost', 'h', 1, 'v', '',"
              + " 'noop', 'ACTIVE', 0, 0, (UNIX_TIMESTAMP() - 3600) * 1000");
      Sql.update(
          platforms.dataSource(),
          "INSERT INTO t_worker (name, instance_name, host, pid, version, labels, task_types, state,"
              + " started_at, heartbeat_at, lease_until) SELECT 'gone#1', 'gone', 'h', 1, 'v', '',"
              + " 'noop', 'ACTIVE', 0, 0, (UNIX_TIMESTAMP() - 2 * 86400) * 1000");

      List<InstanceInfo> instances = client.instances();
      assertThat(instances)
          .extracting(InstanceInfo::instanceName)
          .containsExactly("alpha", "beta", "lost");
      InstanceInfo a = instances.get(0);
      assertThat(a.state()).isEqualTo(InstanceInfo.State.LIVE);
      assertThat(a.labels()).containsExactly("eu", "gpu");
      assertThat(a.taskTypes()).contains("noop", "sleep");
      assertThat(a.runningAttempts()).isEqualTo(1);
      assertThat(a.name()).startsWith("alpha#");
      assertThat(a.heartbeatAge().isNegative()).isFalse();
      assertThat(a.lastHeartbeat()).isAfterOrEqualTo(a.startedAt());
      InstanceInfo b = instances.get(1);
      assertThat(b.state()).isEqualTo(InstanceInfo.State.STOPPED);
      assertThat(b.taskTypes()).isEmpty();
      assertThat(b.runningAttempts()).isZero();
      assertThat(instances.get(2).state()).isEqualTo(InstanceInfo.State.LOST);
      assertThat(client.overview().liveInstances()).isEqualTo(1);

      client.kill(run);
      client.awaitRun(run, Duration.ofSeconds(30));
      Await.until(() -> client.instances().get(0).runningAttempts() == 0);
    }
  }

  @Test
  void anotherWorkspacesWorkflowsAndRunsAreNotSeen() throws Exception {
    try (TestPlatforms platforms = new TestPlatforms()) {
      Platform platform = platforms.start("iso");
      platform.admin(Actor.SYSTEM).createWorkspace("other", "");
      PlatformClient mine = platform.client();
      PlatformClient theirs = platform.client(Actor.SYSTEM, "other");
      theirs.deploy(Workflow.builder("etl").task("t", "fail").build());
      theirs.deploy(Workflow.builder("etl").task("t", "fail").task("u", "noop").build());
      mine.deploy(Workflow.builder("etl").task("t", "noop").build());
      long theirRun = theirs.trigger("etl");
      theirs.awaitRun(theirRun, Duration.ofSeconds(30));
      long myRun = mine.trigger("etl");
      mine.awaitRun(myRun, Duration.ofSeconds(30));

      assertThat(mine.workflows())
          .singleElement()
          .satisfies(
              w -> {
                assertThat(w.latestVersion()).isEqualTo(1);
                assertThat(w.lastRun()).map(WorkflowRun::id).contains(myRun);
              });
      assertThat(mine.versions("etl")).hasSize(1);
      assertThatThrownBy(() -> mine.diff("etl", 1, 2)).isInstanceOf(NotFoundException.class);
      assertThat(ids(mine.runs(RunQuery.latest(10)))).containsExactly(myRun);
      assertThat(ids(mine.runs(RunQuery.latest(10).states(RunState.FAILED)))).isEmpty();
      assertThat(mine.overview().failureCount()).isZero();
      assertThat(theirs.overview().failures())
          .extracting(WorkflowRun::id)
          .containsExactly(theirRun);
    }
  }

  private static Map<RunState, Integer> hour(Overview o, String hhmm) {
    Instant start = Instant.parse("2026-06-01T" + hhmm + ":00Z");
    return o.hours().stream()
        .filter(h -> h.start().equals(start))
        .findFirst()
        .map(HourCounts::byState)
        .orElseThrow();
  }

  private static List<Long> ids(RunPage page) {
    return page.runs().stream().map(WorkflowRun::id).toList();
  }
}

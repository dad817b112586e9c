package io.flinkplatform.engine.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flinkplatform.engine.CapExceededException;
import io.flinkplatform.engine.NotFoundException;
import io.flinkplatform.engine.Platform;
import io.flinkplatform.engine.PlatformClient;
import io.flinkplatform.engine.WorkflowValidationException;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.run.TaskAttempt;
import io.flinkplatform.engine.run.TaskState;
import io.flinkplatform.engine.run.WorkflowRun;
import io.flinkplatform.engine.schedule.Backfill;
import io.flinkplatform.engine.schedule.BackfillRequest;
import io.flinkplatform.engine.schedule.ScheduleSpec;
import io.flinkplatform.engine.testing.Await;
import io.flinkplatform.engine.testing.TestPlatforms;
import io.flinkplatform.engine.testing.TestTasks;
import io.flinkplatform.spi.AccessDeniedException;
import io.flinkplatform.spi.Actor;
import io.flinkplatform.spi.Role;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Two workspaces on one platform: names, runs, pools and roles stay apart. */
class WorkspaceIsolationTest {
  private static TestPlatforms platforms;
  private static Platform platform;
  private static final Actor ALICE = Actor.user("alice");
  private static final Actor BOB = Actor.user("bob");

  @BeforeAll
  static void start() {
    platforms = new TestPlatforms();
    platform = platforms.start("iso", b -> b.labels("gpu"));
    PlatformAdmin admin = platform.admin(Actor.SYSTEM);
    admin.createWorkspace("team-a", "team A");
    admin.createWorkspace("team-b", "team B");
    platform.client(Actor.SYSTEM, "team-a").setMember("alice", Role.EDITOR);
    platform.client(Actor.SYSTEM, "team-b").setMember("bob", Role.VIEWER);
  }

  @AfterAll
  static void stop() {
    platforms.close();
  }

  private static Workflow one(String name) {
    return Workflow.builder(name).task("t", "noop", t -> {}).build();
  }

  @Test
  void theSameNameInTwoWorkspacesIsTwoWorkflowsAndRunsStayInTheirWorkspace() {
    PlatformClient a = platform.client(ALICE, "team-a");
    PlatformClient b = platform.client(Actor.SYSTEM, "team-b");
    assertThat(a.deploy(one("etl")).version()).isEqualTo(1);
    assertThat(b.deploy(one("etl")).version()).isEqualTo(1);
    assertThat(b.deploy(one("etl")).version()).isEqualTo(2);
    long run = a.trigger("etl");
    WorkflowRun done = a.awaitRun(run, Duration.ofSeconds(30));
    assertThat(done.state()).isEqualTo(RunState.SUCCESS);
    // another workspace does not see it, even as the system actor
    assertThat(b.run(run)).isEmpty();
    assertThat(b.attempts(run)).isEmpty();
    assertThatThrownBy(() -> b.kill(run)).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> b.explain(run)).isInstanceOf(NotFoundException.class);
    long attempt = a.attempts(run).get(0).id();
    assertThatThrownBy(() -> b.log(attempt, io.flinkplatform.engine.run.LogRange.tail(10)))
        .isInstanceOf(NotFoundException.class);
    assertThat(platform.client().run(run)).isEmpty(); // the default workspace neither
    assertThat(a.runs("etl", 10)).extracting(WorkflowRun::id).containsExactly(run);
    assertThat(b.runs("etl", 10)).isEmpty();
  }

  @Test
  void rolesDecideWhatAMemberMayDoAndADeniedCallWritesNothing() {
    PlatformClient bob = platform.client(BOB, "team-b");
    platform.client(Actor.SYSTEM, "team-b").deploy(one("report"));
    assertThat(bob.workflow("report")).isPresent(); // a viewer reads
    int audits = platform.client(Actor.SYSTEM, "team-b").audit(AuditQuery.latest(1000)).size();
    assertThatThrownBy(() -> bob.trigger("report"))
        .isInstanceOfSatisfying(
            AccessDeniedException.class,
            e -> {
              assertThat(e.actor()).isEqualTo("bob");
              assertThat(e.workspace()).isEqualTo("team-b");
              assertThat(e.action()).isEqualTo("run.trigger");
              assertThat(e.needed()).contains(Role.OPERATOR);
            });
    assertThat(platform.client(Actor.SYSTEM, "team-b").runs("report", 10)).isEmpty();
    assertThat(platform.client(Actor.SYSTEM, "team-b").audit(AuditQuery.latest(1000)))
        .hasSize(audits);
    // bob is no member of team-a at all
    assertThatThrownBy(() -> platform.client(BOB, "team-a").workflow("etl"))
        .isInstanceOf(AccessDeniedException.class)
        .hasMessageContaining("not a member");
    // an unknown workspace is not found
    assertThatThrownBy(() -> platform.client(BOB, "team-z")).isInstanceOf(NotFoundException.class);
  }

  @Test
  void everyChangeWritesOneAuditRowWithTheActor() {
    PlatformClient a = platform.client(ALICE.from("10.1.2.3"), "team-a");
    a.deploy(one("audited"));
    List<AuditEntry> rows =
        platform.client(Actor.SYSTEM, "team-a").audit(AuditQuery.latest(5).byActor("alice"));
    AuditEntry deploy = rows.get(0);
    assertThat(deploy.action()).isEqualTo("workflow.deploy");
    assertThat(deploy.target()).isEqualTo("workflow:audited");
    assertThat(deploy.workspace()).isEqualTo("team-a");
    assertThat(deploy.address()).contains("10.1.2.3");
    assertThat(deploy.digest()).contains("version 1").contains("sha256:");
  }

  @Test
  void poolsOfOneWorkspaceAreNotAnotherOnesAndForeignPoolsNeedAGrant() {
    PlatformClient a = platform.client(Actor.SYSTEM, "team-a");
    PlatformClient b = platform.client(Actor.SYSTEM, "team-b");
    a.setPool("shared", 3);
    b.setPool("shared", 1);
    assertThat(a.limits()).anyMatch(l -> l.name().equals("shared") && l.slots() == 3);
    assertThat(b.limits()).anyMatch(l -> l.name().equals("shared") && l.slots() == 1);
    Workflow foreign =
        Workflow.builder("uses-a-pool").task("t", "noop", t -> t.pool("team-a/shared")).build();
    assertThatThrownBy(() -> b.deploy(foreign))
        .isInstanceOf(WorkflowValidationException.class)
        .hasMessageContaining("has not granted it");
    a.grant("team-b", "pool", "shared");
    b.deploy(foreign);
    long run = b.trigger("uses-a-pool");
    assertThat(b.awaitRun(run, Duration.ofSeconds(30)).state()).isEqualTo(RunState.SUCCESS);
    assertThat(b.grants()).anyMatch(g -> g.owner().equals("team-a") && g.name().equals("shared"));
    // revoked: the deployed workflow stays, but its next attempt does not start in the pool
    assertThat(a.revoke("team-b", "pool", "shared")).isTrue();
    assertThat(b.grants()).noneMatch(g -> g.owner().equals("team-a"));
    long refused = b.trigger("uses-a-pool");
    assertThat(b.awaitRun(refused, Duration.ofSeconds(30)).state()).isEqualTo(RunState.FAILED);
    List<TaskAttempt> attempts = b.attempts(refused);
    assertThat(attempts).hasSize(1); // failed, not retried: a retry cannot help without the grant
    assertThat(attempts.get(0).state()).isEqualTo(TaskState.FAILED);
    assertThat(attempts.get(0).message())
        .hasValueSatisfying(
            m ->
                assertThat(m)
                    .contains(
                        "pool 'team-a/shared' of workspace 'team-a' is no longer granted to"
                            + " workspace 'team-b'"));
    assertThat(b.log(attempts.get(0))).contains("is no longer granted");
  }

  @Test
  void theMinCronIntervalCapRefusesAScheduleFiringMoreOftenAndWritesNothing() {
    platform.admin(Actor.SYSTEM).createWorkspace("hourly", "");
    PlatformClient c = platform.client(Actor.SYSTEM, "hourly");
    c.deploy(one("w"));
    c.setCaps(WorkspaceCaps.NONE.withMinCronInterval(Duration.ofHours(1)));
    int audits = c.audit(AuditQuery.latest(1000)).size();
    // every 30 minutes; then a cron whose gaps alternate 50 and 10 minutes: the shortest counts
    for (String cron : List.of("*/30 * * * *", "0,50 * * * *")) {
      assertThatThrownBy(
              () ->
                  c.saveSchedule(
                      ScheduleSpec.builder("often", "w", cron).zone("UTC").paused(true).build()))
          .as(cron)
          .isInstanceOfSatisfying(
              CapExceededException.class,
              e -> {
                assertThat(e.cap()).isEqualTo("minCronInterval");
                assertThat(e.workspace()).isEqualTo("hourly");
                assertThat(e.field()).isEqualTo("cron");
                assertThat(e.getMessage()).contains("minCronInterval").contains("PT1H");
              });
    }
    assertThat(c.schedule("often")).isEmpty();
    assertThat(c.schedules()).isEmpty();
    assertThat(c.audit(AuditQuery.latest(1000))).hasSize(audits);
    // exactly at the interval is allowed
    c.saveSchedule(
        ScheduleSpec.builder("often", "w", "0 * * * *").zone("UTC").paused(true).build());
    assertThat(c.schedule("often"))
        .hasValueSatisfying(s -> assertThat(s.spec().cron()).isEqualTo("0 * * * *"));
    assertThat(c.audit(AuditQuery.latest(1000).byAction("schedule.save"))).hasSize(1);
    // replacing it with one too frequent keeps the saved one
    assertThatThrownBy(
            () ->
                c.saveSchedule(
                    ScheduleSpec.builder("often", "w", "*/5 * * * *")
                        .zone("UTC")
                        .paused(true)
                        .build()))
        .isInstanceOf(CapExceededException.class);
    assertThat(c.schedule("often"))
        .hasValueSatisfying(s -> assertThat(s.spec().cron()).isEqualTo("0 * * * *"));
    assertThat(c.audit(AuditQuery.latest(1000).byAction("schedule.save"))).hasSize(1);
  }

  @Test
  void capsAreEnforcedWithTypedErrors() {
    PlatformAdmin admin = platform.admin(Actor.SYSTEM);
    admin.createWorkspace("capped", "");
    PlatformClient c = platform.client(Actor.SYSTEM, "capped");
    c.setCaps(WorkspaceCaps.NONE.withMaxTasksPerWorkflow(1).withPriorityRange(-5, 5));
    Workflow two =
        Workflow.builder("two").task("a", "noop", t -> {}).task("b", "noop", t -> {}).build();
    assertThatThrownBy(() -> c.deploy(two))
        .isInstanceOfSatisfying(
            CapExceededException.class,
            e -> {
              assertThat(e.cap()).isEqualTo("maxTasksPerWorkflow");
              assertThat(e.field()).isEqualTo("tasks");
            });
    assertThatThrownBy(
            () -> c.deploy(Workflow.builder("hot").priority(9).task("a", "noop", t -> {}).build()))
        .isInstanceOf(CapExceededException.class)
        .hasMessageContaining("priority 9");
    assertThat(c.workflow("two")).isEmpty();
    assertThat(c.caps().maxTasksPerWorkflow()).contains(1);
    assertThat(c.audit(AuditQuery.latest(10).byAction("workspace.caps"))).hasSize(1);
    assertThat(Optional.of(c.workspace())).contains("capped");
  }

  @Test
  void aLabelIsUsedOnlyWhileItIsGrantedAtDeployAndWhenTheTaskStarts() {
    PlatformAdmin admin = platform.admin(Actor.SYSTEM);
    admin.createWorkspace("labelled", "");
    PlatformClient c = platform.client(Actor.SYSTEM, "labelled");
    Workflow gpu = Workflow.builder("on-gpu").task("t", "noop", t -> t.label("gpu")).build();
    assertThatThrownBy(() -> c.deploy(gpu))
        .isInstanceOf(WorkflowValidationException.class)
        .hasMessageContaining("label 'gpu' is not granted to workspace 'labelled'");
    assertThatThrownBy(() -> platform.admin(ALICE).grantLabel("labelled", "gpu"))
        .isInstanceOf(AccessDeniedException.class);
    admin.grantLabel("labelled", "gpu");
    c.deploy(gpu);
    assertThat(c.awaitRun(c.trigger("on-gpu"), Duration.ofSeconds(30)).state())
        .isEqualTo(RunState.SUCCESS);
    assertThat(admin.revokeLabel("labelled", "gpu")).isTrue();
    long refused = c.trigger("on-gpu");
    assertThat(c.awaitRun(refused, Duration.ofSeconds(30)).state()).isEqualTo(RunState.FAILED);
    assertThat(c.attempts(refused).get(0).message())
        .hasValueSatisfying(m -> assertThat(m).contains("label 'gpu' is not granted"));
    assertThat(admin.audit(Optional.of("labelled"), AuditQuery.latest(10).byAction("grant.label")))
        .hasSize(1);
  }

  @Test
  void theMaxActiveRunsCapRefusesTriggersAtTheCapAndHoldsScheduledAndBackfillRuns()
      throws InterruptedException {
    platform.admin(Actor.SYSTEM).createWorkspace("busy", "");
    PlatformClient c = platform.client(Actor.SYSTEM, "busy");
    c.setCaps(WorkspaceCaps.NONE.withMaxActiveRuns(1).withMaxBackfillRuns(3));
    // the first run waits at the gate until the checks below are done; every run then sleeps a
    // while, so that runs let through together would overlap
    c.deploy(
        Workflow.builder("slow")
            .task("t", "gate", t -> t.option("gate", "busy_workspace"))
            .task("u", "sleep", t -> t.after("t").option("duration", "300ms"))
            .build());
    long first = c.trigger("slow");
    long backfill;
    try {
      // in a capped workspace even a triggered run goes through admission
      Await.until(
          Duration.ofSeconds(30), () -> c.run(first).orElseThrow().state() == RunState.RUNNING);
      assertThatThrownBy(() -> c.trigger("slow"))
          .isInstanceOfSatisfying(
              CapExceededException.class, e -> assertThat(e.cap()).isEqualTo("maxActiveRuns"));
      assertThatThrownBy(
              () ->
                  c.backfill(
                      BackfillRequest.builder("slow")
                          .range(
                              Instant.parse("2026-01-01T00:00:00Z"),
                              Instant.parse("2026-01-10T00:00:00Z"),
                              "0 0 * * *",
                              java.time.ZoneOffset.UTC)
                          .build()))
          .isInstanceOfSatisfying(
              CapExceededException.class, e -> assertThat(e.cap()).isEqualTo("maxBackfillRuns"));
      backfill =
          c.backfill(
              BackfillRequest.builder("slow")
                  .range(
                      Instant.parse("2026-01-01T00:00:00Z"),
                      Instant.parse("2026-01-02T00:00:00Z"),
                      "0 0 * * *",
                      java.time.ZoneOffset.UTC)
                  .parallelism(2)
                  .build());
      // the backfill's runs wait for the workspace's one active run
      List<WorkflowRun> held = c.runs("slow", 10);
      assertThat(held).filteredOn(r -> r.state() == RunState.CREATED).hasSize(2);
      long heldRun =
          held.stream().filter(r -> r.state() == RunState.CREATED).findFirst().get().id();
      assertThat(c.explain(heldRun).run())
          .hasValueSatisfying(r -> assertThat(r.detail()).contains("workspace 'busy' has 1 of 1"));
    } finally {
      TestTasks.Gate.open("busy_workspace");
    }
    assertThat(c.awaitRun(first, Duration.ofSeconds(30)).state()).isEqualTo(RunState.SUCCESS);
    Await.until(
        Duration.ofSeconds(60), () -> c.backfillStatus(backfill).state() != Backfill.State.RUNNING);
    // never more than one run of the workspace at a time
    List<WorkflowRun> all = c.runs("slow", 10);
    for (WorkflowRun r : all) {
      for (WorkflowRun o : all) {
        if (r.id() < o.id()) {
          assertThat(
                  r.endedAt().get().isAfter(o.startedAt().get())
                      && o.endedAt().get().isAfter(r.startedAt().get()))
              .as("runs %s and %s overlap", r.id(), o.id())
              .isFalse();
        }
      }
    }
  }
}

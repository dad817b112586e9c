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
import io.flinkplatform.engine.run.WorkflowRun;
import io.flinkplatform.engine.testing.TestPlatforms;
import io.flinkplatform.spi.AccessDeniedException;
import io.flinkplatform.spi.Actor;
import io.flinkplatform.spi.Role;
import java.time.Duration;
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
    platform = platforms.start("iso");
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
}

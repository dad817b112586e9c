package io.flinkplatform.engine.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flinkplatform.engine.Platform;
import io.flinkplatform.engine.PlatformClient;
import io.flinkplatform.engine.alert.AlertSettings;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.testing.TableFingerprint;
import io.flinkplatform.engine.testing.TestPlatforms;
import io.flinkplatform.spi.AccessDeniedException;
import io.flinkplatform.spi.Actor;
import io.flinkplatform.spi.Role;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A host's own {@link Authorizer} given to {@code Platform.builder().authorizer(..)}: roles and
 * platform administrators come from the host's source (here a map in memory, as a directory would
 * be), not from {@code t_member}; the platform asks it on every call of a user, at once after a
 * change, never for the system actor; an authorizer that fails fails the call and writes nothing.
 */
class AuthorizerTest {
  /** The host's directory: roles per user and workspace, platform administrators. */
  static final class Directory implements Authorizer {
    final Map<String, Role> roles = new ConcurrentHashMap<>();
    final Set<String> admins = ConcurrentHashMap.newKeySet();
    final ConcurrentLinkedQueue<Actor> asked = new ConcurrentLinkedQueue<>();
    final AtomicReference<RuntimeException> outage = new AtomicReference<>();

    void set(String user, String workspace, Role role) {
      roles.put(user + "@" + workspace, role);
    }

    void remove(String user, String workspace) {
      roles.remove(user + "@" + workspace);
    }

    @Override
    public Optional<Role> role(Actor actor, String workspace) {
      asked.add(actor);
      failIfDown();
      return Optional.ofNullable(roles.get(actor.name() + "@" + workspace));
    }

    @Override
    public boolean isPlatformAdmin(Actor actor) {
      asked.add(actor);
      failIfDown();
      return admins.contains(actor.name());
    }

    private void failIfDown() {
      RuntimeException e = outage.get();
      if (e != null) {
        throw e;
      }
    }
  }

  private static final String TEAM = "team";
  private static final String OTHER = "other";
  private static final Directory DIRECTORY = new Directory();
  private static TestPlatforms platforms;
  private static Platform platform;

  @BeforeAll
  static void start() {
    platforms = new TestPlatforms();
    platform =
        platforms.start("authz", b -> b.authorizer(DIRECTORY).alerts(AlertSettings.disabled()));
    PlatformAdmin admin = platform.admin(Actor.SYSTEM);
    admin.createWorkspace(TEAM, "");
    admin.createWorkspace(OTHER, "");
    for (String ws : List.of(TEAM, OTHER)) {
      platform.client(Actor.SYSTEM, ws).deploy(noop("w"));
    }
    for (Role role : Role.values()) {
      DIRECTORY.set(name(role), TEAM, role);
    }
    DIRECTORY.admins.add("root");
  }

  @AfterAll
  static void stop() {
    platforms.close();
  }

  @BeforeEach
  void directoryUp() {
    DIRECTORY.outage.set(null);
  }

  private static String name(Role role) {
    return role.name().toLowerCase();
  }

  private static Workflow noop(String name) {
    return Workflow.builder(name).task("t", "noop", t -> {}).build();
  }

  private static PlatformClient as(String user, String workspace) {
    return platform.client(Actor.user(user), workspace);
  }

  private static Consumer<AccessDeniedException> denied(
      String actor, String workspace, String action) {
    return e -> {
      assertThat(e.actor()).isEqualTo(actor);
      assertThat(e.workspace()).isEqualTo(workspace);
      assertThat(e.action()).isEqualTo(action);
      assertThat(e.getMessage()).contains(actor).contains(workspace).contains(action);
    };
  }

  @Test
  void eachRoleFromTheHostsDirectoryAllowsWhatItIncludesAndNoMore() {
    for (Role role : Role.values()) {
      PlatformClient c = as(name(role), TEAM);
      assertThat(c.workflow("w")).isPresent(); // every role reads
      if (role.includes(Role.OPERATOR)) {
        long run = c.trigger("w");
        assertThat(c.awaitRun(run, Duration.ofSeconds(30)).state()).isEqualTo(RunState.SUCCESS);
      } else {
        assertThatThrownBy(() -> c.trigger("w"))
            .isInstanceOfSatisfying(
                AccessDeniedException.class, denied(name(role), TEAM, "run.trigger"));
      }
      if (role.includes(Role.EDITOR)) {
        assertThat(c.deploy(noop("by-" + name(role))).version()).isEqualTo(1);
      } else {
        assertThatThrownBy(() -> c.deploy(noop("by-" + name(role))))
            .isInstanceOfSatisfying(
                AccessDeniedException.class,
                denied(name(role), TEAM, "workflow.deploy")
                    .andThen(e -> assertThat(e.needed()).contains(Role.EDITOR)));
      }
      if (role == Role.ADMIN) {
        assertThat(c.audit(AuditQuery.latest(10))).isNotEmpty();
      } else {
        assertThatThrownBy(() -> c.audit(AuditQuery.latest(10)))
            .isInstanceOfSatisfying(
                AccessDeniedException.class, denied(name(role), TEAM, "audit.read"));
      }
      // a role in one workspace is none in another
      assertThatThrownBy(() -> as(name(role), OTHER).workflow("w"))
          .isInstanceOfSatisfying(AccessDeniedException.class, denied(name(role), OTHER, "read"))
          .hasMessageContaining("not a member");
    }
    // the roles came from the directory, not from the platform's own members table
    assertThat(platform.client(Actor.SYSTEM, TEAM).members())
        .extracting(Member::principal)
        .doesNotContain("viewer", "operator", "editor", "admin");
    // the audit trail names the directory's users
    assertThat(
            platform
                .client(Actor.SYSTEM, TEAM)
                .audit(AuditQuery.latest(10).byAction("workflow.deploy").byActor("editor")))
        .extracting(AuditEntry::target)
        .containsExactly("workflow:by-editor");
  }

  @Test
  void aPlatformAdministratorOfTheDirectoryMayDoEverythingEverywhere() {
    PlatformClient root = as("root", OTHER); // no role in any workspace
    assertThat(root.deploy(noop("by-root")).version()).isEqualTo(1);
    root.setTaskTypeLimit("noop", 5);
    assertThat(platform.admin(Actor.user("root")).createWorkspace("made-by-root", "").name())
        .isEqualTo("made-by-root");
    assertThat(platform.admin(Actor.user("root")).workspaces())
        .extracting(PlatformAdmin.WorkspaceInfo::name)
        .contains("made-by-root");
    // the built-in user store takes the directory's word too
    assertThat(platform.users(Actor.user("root")).createUser("dave", "Dave").name())
        .isEqualTo("dave");
    assertThatThrownBy(() -> platform.users(Actor.user("admin")).createUser("eve", "Eve"))
        .isInstanceOfSatisfying(AccessDeniedException.class, denied("admin", "", "user.change"));
    assertThat(platform.users(Actor.SYSTEM).users())
        .extracting(Users.UserInfo::name)
        .contains("dave")
        .doesNotContain("eve");
    // an admin of a workspace is no platform administrator
    assertThatThrownBy(() -> platform.admin(Actor.user("admin")).createWorkspace("nope", ""))
        .isInstanceOfSatisfying(
            AccessDeniedException.class, denied("admin", "", "workspace.create"))
        .hasMessageContaining("only a platform administrator may");
    assertThatThrownBy(() -> as("admin", TEAM).setTaskTypeLimit("noop", 6))
        .isInstanceOfSatisfying(
            AccessDeniedException.class, denied("admin", TEAM, "limit.task-type"));
    assertThat(platform.admin(Actor.SYSTEM).workspaces())
        .extracting(PlatformAdmin.WorkspaceInfo::name)
        .doesNotContain("nope");
  }

  @Test
  void theSystemActorIsNeverAsked() {
    DIRECTORY.asked.clear();
    PlatformClient system = platform.client(Actor.SYSTEM, TEAM);
    system.deploy(noop("by-system"));
    long run = system.trigger("by-system");
    assertThat(system.awaitRun(run, Duration.ofSeconds(30)).state()).isEqualTo(RunState.SUCCESS);
    system.setMember("someone", Role.VIEWER);
    system.audit(AuditQuery.latest(5));
    platform.client(Actor.system("schedule:nightly"), TEAM).workflows();
    platform.client().workflows();
    platform.admin(Actor.SYSTEM).createWorkspace("made-by-system", "");
    platform.users(Actor.SYSTEM).users();
    assertThat(DIRECTORY.asked).isEmpty();
    // while a user's call asks
    as("viewer", TEAM).workflows();
    assertThat(DIRECTORY.asked).extracting(Actor::name).containsOnly("viewer");
  }

  @Test
  void aRoleChangedInTheDirectoryHoldsOnTheNextCall() {
    DIRECTORY.set("carol", TEAM, Role.EDITOR);
    PlatformClient carol = as("carol", TEAM); // one client across the changes
    carol.deploy(noop("carol-1"));
    DIRECTORY.set("carol", TEAM, Role.VIEWER);
    assertThatThrownBy(() -> carol.deploy(noop("carol-2")))
        .isInstanceOfSatisfying(
            AccessDeniedException.class, denied("carol", TEAM, "workflow.deploy"))
        .hasMessageContaining("its role there is VIEWER");
    assertThat(carol.workflow("carol-1")).isPresent();
    DIRECTORY.remove("carol", TEAM);
    assertThatThrownBy(() -> carol.workflow("carol-1"))
        .isInstanceOfSatisfying(AccessDeniedException.class, denied("carol", TEAM, "read"))
        .hasMessageContaining("not a member");
    DIRECTORY.admins.add("carol");
    try {
      assertThat(carol.deploy(noop("carol-3")).version()).isEqualTo(1);
    } finally {
      DIRECTORY.admins.remove("carol");
    }
    assertThatThrownBy(() -> carol.deploy(noop("carol-4")))
        .isInstanceOf(AccessDeniedException.class);
    assertThat(platform.client(Actor.SYSTEM, TEAM).workflow("carol-2")).isEmpty();
    assertThat(platform.client(Actor.SYSTEM, TEAM).workflow("carol-4")).isEmpty();
  }

  @Test
  void anAuthorizerThatFailsFailsTheCallAndWritesNothing() throws Exception {
    IllegalStateException down = new IllegalStateException("directory unreachable");
    String before = TableFingerprint.of(platforms.dataSource());
    DIRECTORY.outage.set(down);
    // a member's change, a read, a platform-wide change: each fails with the directory's error
    assertThatThrownBy(() -> as("admin", TEAM).trigger("w")).isSameAs(down);
    assertThatThrownBy(() -> as("admin", TEAM).deploy(noop("while-down"))).isSameAs(down);
    assertThatThrownBy(() -> as("admin", TEAM).setMember("mallory", Role.ADMIN)).isSameAs(down);
    assertThatThrownBy(() -> as("admin", TEAM).runs("w", 10)).isSameAs(down);
    assertThatThrownBy(() -> platform.admin(Actor.user("root")).createWorkspace("while-down", ""))
        .isSameAs(down);
    assertThat(TableFingerprint.of(platforms.dataSource())).isEqualTo(before);
    // the system actor does not depend on the directory
    assertThat(platform.client(Actor.SYSTEM, TEAM).workflow("w")).isPresent();
    DIRECTORY.outage.set(null);
    assertThat(as("admin", TEAM).workflow("while-down")).isEmpty();
    assertThat(as("admin", TEAM).deploy(noop("after-outage")).version()).isEqualTo(1);
  }
}

package io.flinkplatform.engine.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinkplatform.engine.PlatformClient;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.schedule.ScheduleSpec;
import io.flinkplatform.engine.testing.ManualClock;
import io.flinkplatform.engine.testing.ManualPlatform;
import io.flinkplatform.engine.testing.TestPlatforms;
import io.flinkplatform.spi.Actor;
import io.flinkplatform.spi.Role;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The audit trail read by time window, actor and action together, and paged, on a manual clock so
 * every row's time is exact: {@code from} is inclusive, {@code to} exclusive.
 */
class AuditQueryTest {
  private static final Instant T0 = Instant.parse("2026-05-01T00:00:00Z");
  private static final Instant T1 = T0.plus(Duration.ofHours(1));
  private static final Instant T2 = T0.plus(Duration.ofHours(2));

  private static TestPlatforms platforms;
  private static ManualPlatform platform;
  private static PlatformClient system;

  @BeforeAll
  static void start() {
    platforms = new TestPlatforms();
    platform = platforms.manual(new ManualClock(T0), b -> {});
    system = platform.client();
    system.setMember("alice", Role.EDITOR);
    system.setMember("bob", Role.EDITOR);
    PlatformClient alice = platform.client(Actor.user("alice"), "default");
    PlatformClient bob = platform.client(Actor.user("bob"), "default");
    alice.deploy(noop("a0")); // T0: before the window
    platform.advance(Duration.ofHours(1)); // T1: the window's first instant
    alice.deploy(noop("a1"));
    bob.deploy(noop("b1"));
    alice.saveSchedule(
        ScheduleSpec.builder("s", "a1", "0 0 * * *").zone("UTC").paused(true).build());
    platform.advance(Duration.ofMinutes(30));
    alice.deploy(noop("a2"));
    platform.advance(Duration.ofMinutes(30)); // T2: the window's end, not in it
    alice.deploy(noop("a3"));
  }

  @AfterAll
  static void stop() {
    platforms.close();
  }

  private static Workflow noop(String name) {
    return Workflow.builder(name).task("t", "noop", t -> {}).build();
  }

  private static List<String> targets(List<AuditEntry> rows) {
    return rows.stream().map(AuditEntry::target).toList();
  }

  @Test
  void aWindowWithActorAndActionHoldsOnlyTheRowsOfAllThree() {
    List<AuditEntry> rows =
        system.audit(
            AuditQuery.latest(100).between(T1, T2).byActor("alice").byAction("workflow.deploy"));
    // newest first; a0 (before T1) and a3 (at T2) are outside, bob's deploy and the schedule are
    // another actor's and another action
    assertThat(targets(rows)).containsExactly("workflow:a2", "workflow:a1");
    assertThat(rows)
        .extracting(AuditEntry::at)
        .containsExactly(T1.plus(Duration.ofMinutes(30)), T1);
    assertThat(rows).allSatisfy(r -> assertThat(r.workspace()).isEqualTo("default"));
  }

  @Test
  void eachFilterAloneNarrowsTheWindow() {
    assertThat(targets(system.audit(AuditQuery.latest(100).between(T1, T2))))
        .containsExactly("workflow:a2", "schedule:s", "workflow:b1", "workflow:a1");
    assertThat(targets(system.audit(AuditQuery.latest(100).between(T1, T2).byActor("bob"))))
        .containsExactly("workflow:b1");
    assertThat(
            targets(system.audit(AuditQuery.latest(100).between(T1, T2).byAction("schedule.save"))))
        .containsExactly("schedule:s");
    // the whole morning, alice's deploys: the window decides what is in
    assertThat(
            targets(
                system.audit(
                    AuditQuery.latest(100)
                        .between(T0, T2.plusMillis(1))
                        .byActor("alice")
                        .byAction("workflow.deploy"))))
        .containsExactly("workflow:a3", "workflow:a2", "workflow:a1", "workflow:a0");
    // an empty window
    assertThat(system.audit(AuditQuery.latest(100).between(T2.plusMillis(1), T2.plusSeconds(60))))
        .isEmpty();
  }

  @Test
  void pagesOfAWindowFollowEachOtherByIdWithTheFiltersKept() {
    AuditQuery query =
        AuditQuery.latest(1).between(T1, T2).byActor("alice").byAction("workflow.deploy");
    List<AuditEntry> first = system.audit(query);
    assertThat(targets(first)).containsExactly("workflow:a2");
    List<AuditEntry> second = system.audit(query.before(first.get(0).id()));
    assertThat(targets(second)).containsExactly("workflow:a1");
    assertThat(system.audit(query.before(second.get(0).id()))).isEmpty();
  }
}

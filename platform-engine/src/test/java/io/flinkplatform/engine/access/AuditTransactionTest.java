package io.flinkplatform.engine.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flinkplatform.engine.Platform;
import io.flinkplatform.engine.PlatformClient;
import io.flinkplatform.engine.alert.AlertSettings;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.run.TaskState;
import io.flinkplatform.engine.schedule.BackfillRequest;
import io.flinkplatform.engine.schedule.ScheduleSpec;
import io.flinkplatform.engine.testing.Await;
import io.flinkplatform.engine.testing.Sql;
import io.flinkplatform.engine.testing.TableFingerprint;
import io.flinkplatform.engine.testing.TestPlatforms;
import io.flinkplatform.spi.Actor;
import io.flinkplatform.spi.Role;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The audit row and the change it records share one transaction: with the database refusing every
 * audit row (a {@code BEFORE INSERT} trigger on {@code t_audit} of this test's own database), each
 * change fails and leaves every table as it was, so no change is ever made without its row.
 */
class AuditTransactionTest {
  private static final String WS = "audited";
  private static final String REFUSAL = "audit row refused by the test";
  private static TestPlatforms platforms;
  private static Platform platform;

  @BeforeAll
  static void start() {
    platforms = new TestPlatforms();
    platform = platforms.start("audit-tx", b -> b.alerts(AlertSettings.disabled()));
    platform.admin(Actor.SYSTEM).createWorkspace(WS, "");
    platform.admin(Actor.SYSTEM).createWorkspace("friend", "");
  }

  @AfterAll
  static void stop() {
    platforms.close();
  }

  private static Workflow noop(String name) {
    return Workflow.builder(name).task("t", "noop", t -> {}).build();
  }

  @Test
  void everyChangeFailsWholeWhenItsAuditRowCannotBeWritten() throws Exception {
    PlatformClient system = platform.client(Actor.SYSTEM, WS);
    system.setMember("alice", Role.ADMIN);
    PlatformClient alice = platform.client(Actor.user("alice"), WS);
    alice.deploy(noop("w"));
    alice.deploy(
        Workflow.builder("slow").task("t", "sleep", t -> t.option("duration", "10m")).build());
    alice.saveSchedule(ScheduleSpec.builder("s", "w", "0 0 1 1 *").zone("UTC").build());
    alice.setPool("p", 2);
    long running = alice.trigger("slow");
    Await.until(
        () -> alice.attempts(running).stream().anyMatch(a -> a.state() == TaskState.RUNNING));

    Map<String, ThrowingCallable> changes = new LinkedHashMap<>();
    changes.put("deploy a new workflow", () -> alice.deploy(noop("new")));
    changes.put(
        "deploy a new version",
        () -> alice.deploy(Workflow.builder("w").task("t2", "noop", t -> {}).build()));
    changes.put("trigger", () -> alice.trigger("w"));
    changes.put("kill", () -> alice.kill(running));
    changes.put("add a member", () -> alice.setMember("bob", Role.VIEWER));
    changes.put("change a role", () -> alice.setMember("alice", Role.VIEWER));
    changes.put(
        "save a new schedule",
        () -> alice.saveSchedule(ScheduleSpec.builder("s2", "w", "0 0 1 1 *").zone("UTC").build()));
    changes.put(
        "replace a schedule",
        () -> alice.saveSchedule(ScheduleSpec.builder("s", "w", "0 1 1 1 *").zone("UTC").build()));
    changes.put("pause a schedule", () -> alice.pauseSchedule("s"));
    changes.put("set a pool", () -> alice.setPool("p", 5));
    changes.put("grant", () -> alice.grant("friend", "workflow", "w"));
    changes.put("set caps", () -> alice.setCaps(WorkspaceCaps.NONE.withMaxActiveRuns(3)));
    changes.put(
        "backfill",
        () ->
            alice.backfill(
                BackfillRequest.builder("w")
                    .daily(LocalDate.of(2020, 1, 1), LocalDate.of(2020, 1, 2), ZoneOffset.UTC)
                    .build()));

    long audits = Sql.single(platforms.dataSource(), "SELECT COUNT(*) FROM t_audit");
    String before = TableFingerprint.of(platforms.dataSource());
    Sql.update(
        platforms.dataSource(),
        "CREATE TRIGGER refuse_audit BEFORE INSERT ON t_audit FOR EACH ROW"
            + " SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = '"
            + REFUSAL
            + "'");
    try {
      for (Map.Entry<String, ThrowingCallable> change : changes.entrySet()) {
        assertThatThrownBy(change.getValue()).as(change.getKey()).hasStackTraceContaining(REFUSAL);
        assertThat(TableFingerprint.of(platforms.dataSource()))
            .as("the tables after '%s' failed", change.getKey())
            .isEqualTo(before);
      }
    } finally {
      Sql.update(platforms.dataSource(), "DROP TRIGGER refuse_audit");
    }
    assertThat(alice.run(running).orElseThrow().state()).isEqualTo(RunState.RUNNING);
    assertThat(alice.workflow("new")).isEmpty();
    assertThat(alice.schedule("s2")).isEmpty();
    assertThat(Sql.single(platforms.dataSource(), "SELECT COUNT(*) FROM t_audit"))
        .isEqualTo(audits);
    // with the audit trail writable again the same change goes through, with its row
    assertThat(alice.kill(running)).isTrue();
    assertThat(alice.awaitRun(running, Duration.ofSeconds(30)).state()).isEqualTo(RunState.KILLED);
    assertThat(alice.audit(AuditQuery.latest(1)))
        .extracting(AuditEntry::action)
        .containsExactly("run.kill");
  }
}

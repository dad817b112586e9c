package io.flinkplatform.engine.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.flinkplatform.engine.NotFoundException;
import io.flinkplatform.engine.Platform;
import io.flinkplatform.engine.PlatformClient;
import io.flinkplatform.engine.alert.AlertKind;
import io.flinkplatform.engine.alert.AlertQuery;
import io.flinkplatform.engine.alert.AlertRule;
import io.flinkplatform.engine.alert.AlertSettings;
import io.flinkplatform.engine.alert.ChannelSpec;
import io.flinkplatform.engine.alert.SilenceSpec;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.event.PlatformEvent;
import io.flinkplatform.engine.run.Limit;
import io.flinkplatform.engine.run.LogRange;
import io.flinkplatform.engine.run.RerunRequest;
import io.flinkplatform.engine.run.RunQuery;
import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.run.TaskAttempt;
import io.flinkplatform.engine.run.TaskState;
import io.flinkplatform.engine.run.TriggerRequest;
import io.flinkplatform.engine.schedule.Backfill;
import io.flinkplatform.engine.schedule.BackfillRequest;
import io.flinkplatform.engine.schedule.ScheduleSpec;
import io.flinkplatform.engine.testing.Await;
import io.flinkplatform.engine.testing.TableFingerprint;
import io.flinkplatform.engine.testing.TestAlertChannel;
import io.flinkplatform.engine.testing.TestPlatforms;
import io.flinkplatform.spi.AccessDeniedException;
import io.flinkplatform.spi.Actor;
import io.flinkplatform.spi.Role;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every {@link PlatformClient} operation, called by a non-member and by a viewer, operator, editor
 * and admin of workspace {@code a}, in {@code a} ("own") and in {@code b} ("other"): the expected
 * allow or deny comes from {@link #EXPECTED}, a table written here from the roles (not from
 * {@link Action}), so the test checks the code. A denial is an {@link AccessDeniedException} naming
 * actor, workspace and action and leaves every table as it was; an allowed change writes exactly
 * one audit row, a read none.
 */
class RoleMatrixTest {
  /**
   * The roles table: operation, the least role that may call it in its workspace ({@code PLATFORM}:
   * only a platform administrator), the action a denial names, and whether an allowed call writes
   * an audit row.
   */
  private static final String EXPECTED =
      """
      validate             VIEWER    workflow.validate  read
      deploy               EDITOR    workflow.deploy    change
      workflow             VIEWER    read               read
      workflowVersion      VIEWER    read               read
      workflows            VIEWER    read               read
      versions             VIEWER    read               read
      diff                 VIEWER    read               read
      trigger              OPERATOR  run.trigger        change
      triggerAll           OPERATOR  run.trigger        change
      run                  VIEWER    read               read
      runs                 VIEWER    read               read
      runsQuery            VIEWER    read               read
      attempts             VIEWER    read               read
      kill                 OPERATOR  run.kill           change
      awaitRun             VIEWER    read               read
      logOfAttempt         VIEWER    read               read
      logRange             VIEWER    read               read
      mermaid              VIEWER    read               read
      saveSchedule         EDITOR    schedule.save      change
      schedule             VIEWER    read               read
      schedules            VIEWER    read               read
      pauseSchedule        OPERATOR  schedule.pause     change
      resumeSchedule       OPERATOR  schedule.resume    change
      deleteSchedule       EDITOR    schedule.delete    change
      previewSchedule      VIEWER    read               read
      backfill             OPERATOR  backfill.create    change
      backfillStatus       VIEWER    read               read
      backfills            VIEWER    read               read
      cancelBackfill       OPERATOR  backfill.cancel    change
      setPool              ADMIN     limit.set          change
      setTaskTypeLimit     PLATFORM  limit.task-type    change
      removeLimitPool      ADMIN     limit.remove       change
      removeLimitTaskType  PLATFORM  limit.task-type    change
      limits               VIEWER    read               read
      explain              VIEWER    read               read
      explainSchedule      VIEWER    read               read
      rerun                OPERATOR  run.rerun          change
      markTask             OPERATOR  task.mark          change
      members              ADMIN     member.read        read
      setMember            ADMIN     member.set         change
      removeMember         ADMIN     member.remove      change
      grant                ADMIN     grant.add          change
      revoke               ADMIN     grant.revoke       change
      grants               VIEWER    read               read
      caps                 VIEWER    read               read
      setCaps              ADMIN     workspace.caps     change
      audit                ADMIN     audit.read         read
      instances            VIEWER    read               read
      overview             VIEWER    read               read
      putResource          EDITOR    resource.upload    change
      resources            VIEWER    read               read
      resourceVersions     VIEWER    read               read
      readResource         VIEWER    read               read
      deleteResource       EDITOR    resource.delete    change
      alertChannelTypes    VIEWER    read               read
      alertPutChannel      EDITOR    alert.channel.save change
      alertChannels        VIEWER    read               read
      alertDeleteChannel   EDITOR    alert.channel.delete change
      alertTest            EDITOR    alert.test         change
      alertPutRule         EDITOR    alert.rule.save    change
      alertRules           VIEWER    read               read
      alertRule            VIEWER    read               read
      alertDeleteRule      EDITOR    alert.rule.delete  change
      alertSilence         OPERATOR  alert.silence      change
      alertSilences        VIEWER    read               read
      alertEndSilence      OPERATOR  alert.silence.end  change
      alertHistory         VIEWER    read               read
      alertById            VIEWER    read               read
      """;

  private record Expected(String op, Optional<Role> least, String action, boolean changes) {}

  private static final Map<String, Expected> TABLE =
      EXPECTED
          .lines()
          .filter(l -> !l.isBlank())
          .map(l -> l.trim().split("\\s+"))
          .map(
              f ->
                  new Expected(
                      f[0],
                      f[1].equals("PLATFORM") ? Optional.empty() : Optional.of(Role.valueOf(f[1])),
                      f[2],
                      f[3].equals("change")))
          .collect(
              Collectors.toMap(
                  e -> e.op(), e -> e, (x, y) -> x, LinkedHashMap<String, Expected>::new));

  private static final String OWN = "a";
  private static final String OTHER = "b";
  private static final String NOBODY = "nobody";
  private static final String ROOT = "root";

  private static TestPlatforms platforms;
  private static Platform platform;
  private static final ConcurrentLinkedQueue<PlatformEvent> EVENTS = new ConcurrentLinkedQueue<>();
  private static final AtomicInteger SEQ = new AtomicInteger();
  private static final Map<String, Shared> SHARED = new LinkedHashMap<>();

  /** A test alert of each workspace. */
  private static final Map<String, Long> ALERTS = new LinkedHashMap<>();

  /** What every workspace holds before the matrix runs. */
  private record Shared(long run, TaskAttempt attempt, long backfill) {}

  /**
   * One operation: its fixture (made by the system actor), the call, and what undoes its effect.
   */
  private interface Op {
    /** The PlatformClient method it calls. */
    String method();

    default Object prepare(PlatformClient system, String ws) throws Exception {
      return null;
    }

    Object call(PlatformClient client, String ws, Object fixture) throws Exception;

    /** Lets whatever the fixture or call started end, so the next case starts from rest. */
    default void cleanup(PlatformClient system, Object fixture, Object result) throws Exception {}
  }

  private static Op op(String method, Call call) {
    return new Op() {
      @Override
      public String method() {
        return method;
      }

      @Override
      public Object call(PlatformClient client, String ws, Object fixture) throws Exception {
        return call.call(client, ws, fixture);
      }
    };
  }

  private interface Call {
    Object call(PlatformClient client, String ws, Object fixture) throws Exception;
  }

  private interface Prepare {
    Object prepare(PlatformClient system, String ws) throws Exception;
  }

  private interface Cleanup {
    void cleanup(PlatformClient system, Object fixture, Object result) throws Exception;
  }

  private static Op op(String method, Prepare prepare, Call call, Cleanup cleanup) {
    return new Op() {
      @Override
      public String method() {
        return method;
      }

      @Override
      public Object prepare(PlatformClient system, String ws) throws Exception {
        return prepare.prepare(system, ws);
      }

      @Override
      public Object call(PlatformClient client, String ws, Object fixture) throws Exception {
        return call.call(client, ws, fixture);
      }

      @Override
      public void cleanup(PlatformClient system, Object fixture, Object result) throws Exception {
        cleanup.cleanup(system, fixture, result);
      }
    };
  }

  private static final Cleanup NOTHING = (s, f, r) -> {};
  private static final Cleanup AWAIT_RESULT_RUN =
      (s, f, r) -> {
        if (r != null) {
          awaitEnd(s, (Long) r);
        }
      };
  private static final Cleanup AWAIT_FIXTURE_RUN = (s, f, r) -> awaitEnd(s, (Long) f);

  private static final Map<String, Op> OPS = new LinkedHashMap<>();

  static {
    OPS.put("validate", op("validate", (c, ws, f) -> c.validate(noop("v"))));
    OPS.put(
        "deploy",
        op("deploy", (c, ws, f) -> c.deploy(noop("d" + SEQ.incrementAndGet())).version()));
    OPS.put("workflow", op("workflow", (c, ws, f) -> c.workflow("w")));
    OPS.put("workflowVersion", op("workflow", (c, ws, f) -> c.workflow("w", 1)));
    OPS.put("workflows", op("workflows", (c, ws, f) -> c.workflows()));
    OPS.put("versions", op("versions", (c, ws, f) -> c.versions("w")));
    OPS.put("diff", op("diff", (c, ws, f) -> c.diff("w", 1, 1)));
    OPS.put(
        "trigger", op("trigger", (s, ws) -> null, (c, ws, f) -> c.trigger("w"), AWAIT_RESULT_RUN));
    OPS.put(
        "triggerAll",
        op(
            "triggerAll",
            (s, ws) -> null,
            (c, ws, f) -> c.triggerAll(List.of(TriggerRequest.of("w"))).get(0),
            AWAIT_RESULT_RUN));
    OPS.put("run", op("run", (c, ws, f) -> c.run(shared(ws).run()).orElseThrow()));
    OPS.put("runs", op("runs", (c, ws, f) -> c.runs("w", 5)));
    OPS.put(
        "runsQuery", op("runs", (c, ws, f) -> c.runs(RunQuery.latest(5).states(RunState.FAILED))));
    OPS.put("attempts", op("attempts", (c, ws, f) -> c.attempts(shared(ws).run())));
    OPS.put(
        "kill",
        op(
            "kill",
            (s, ws) -> runningRun(s, "slow"),
            (c, ws, f) -> c.kill((Long) f),
            (s, f, r) -> {
              s.kill((Long) f);
              awaitEnd(s, (Long) f);
            }));
    OPS.put(
        "awaitRun",
        op("awaitRun", (c, ws, f) -> c.awaitRun(shared(ws).run(), Duration.ofSeconds(5))));
    OPS.put("logOfAttempt", op("log", (c, ws, f) -> c.log(shared(ws).attempt())));
    OPS.put(
        "logRange", op("log", (c, ws, f) -> c.log(shared(ws).attempt().id(), LogRange.tail(1024))));
    OPS.put("mermaid", op("mermaid", (c, ws, f) -> c.mermaid(shared(ws).run())));
    OPS.put(
        "saveSchedule",
        op("saveSchedule", (c, ws, f) -> c.saveSchedule(yearly("s" + SEQ.incrementAndGet()))));
    OPS.put("schedule", op("schedule", (c, ws, f) -> c.schedule("s").orElseThrow()));
    OPS.put("schedules", op("schedules", (c, ws, f) -> c.schedules()));
    OPS.put(
        "pauseSchedule",
        op(
            "pauseSchedule",
            (c, ws, f) -> {
              c.pauseSchedule("s");
              return null;
            }));
    OPS.put(
        "resumeSchedule",
        op(
            "resumeSchedule",
            (c, ws, f) -> {
              c.resumeSchedule("s");
              return null;
            }));
    OPS.put(
        "deleteSchedule",
        op(
            "deleteSchedule",
            (s, ws) -> s.saveSchedule(yearly("del" + SEQ.incrementAndGet())).spec().name(),
            (c, ws, f) -> {
              assertThat(c.deleteSchedule((String) f)).isTrue();
              return null;
            },
            NOTHING));
    OPS.put(
        "previewSchedule",
        op(
            "previewSchedule",
            (c, ws, f) ->
                c.previewSchedule(yearly("p"), Instant.parse("2030-01-01T00:00:00Z"), 2)));
    OPS.put(
        "backfill",
        op(
            "backfill",
            (s, ws) -> null,
            (c, ws, f) -> c.backfill(oneDay("w")),
            (s, f, r) -> {
              if (r != null) {
                awaitBackfill(s, (Long) r);
              }
            }));
    OPS.put(
        "backfillStatus",
        op("backfillStatus", (c, ws, f) -> c.backfillStatus(shared(ws).backfill())));
    OPS.put("backfills", op("backfills", (c, ws, f) -> c.backfills()));
    OPS.put(
        "cancelBackfill",
        op(
            "cancelBackfill",
            (s, ws) -> runningBackfill(s),
            (c, ws, f) -> {
              assertThat(c.cancelBackfill((Long) f)).isTrue();
              return null;
            },
            (s, f, r) -> {
              s.cancelBackfill((Long) f);
              awaitBackfill(s, (Long) f);
            }));
    OPS.put(
        "setPool",
        op(
            "setPool",
            (c, ws, f) -> {
              c.setPool("p" + SEQ.incrementAndGet(), 2);
              return null;
            }));
    OPS.put(
        "setTaskTypeLimit",
        op(
            "setTaskTypeLimit",
            (c, ws, f) -> {
              c.setTaskTypeLimit("emit", 50 + SEQ.incrementAndGet());
              return null;
            }));
    OPS.put(
        "removeLimitPool",
        op(
            "removeLimit",
            (s, ws) -> {
              String name = "r" + SEQ.incrementAndGet();
              s.setPool(name, 1);
              return name;
            },
            (c, ws, f) -> {
              assertThat(c.removeLimit(Limit.Kind.POOL, (String) f)).isTrue();
              return null;
            },
            NOTHING));
    OPS.put(
        "removeLimitTaskType",
        op(
            "removeLimit",
            (s, ws) -> {
              s.setTaskTypeLimit("skip", 7);
              return "skip";
            },
            (c, ws, f) -> {
              assertThat(c.removeLimit(Limit.Kind.TASK_TYPE, (String) f)).isTrue();
              return null;
            },
            (s, f, r) -> s.removeLimit(Limit.Kind.TASK_TYPE, "skip")));
    OPS.put("limits", op("limits", (c, ws, f) -> c.limits()));
    OPS.put("explain", op("explain", (c, ws, f) -> c.explain(shared(ws).run())));
    OPS.put("explainSchedule", op("explainSchedule", (c, ws, f) -> c.explainSchedule("s")));
    OPS.put(
        "rerun",
        op(
            "rerun",
            (s, ws) -> endedRun(s, "w"),
            (c, ws, f) -> c.rerun(RerunRequest.task((Long) f, "t")),
            AWAIT_FIXTURE_RUN));
    OPS.put(
        "markTask",
        op(
            "markTask",
            (s, ws) -> endedRun(s, "bad"),
            (c, ws, f) -> c.markTask((Long) f, "t", TaskState.SUCCESS),
            AWAIT_FIXTURE_RUN));
    OPS.put("members", op("members", (c, ws, f) -> c.members()));
    OPS.put(
        "setMember",
        op(
            "setMember",
            (c, ws, f) -> {
              c.setMember("m" + SEQ.incrementAndGet(), Role.VIEWER);
              return null;
            }));
    OPS.put(
        "removeMember",
        op(
            "removeMember",
            (s, ws) -> {
              String name = "q" + SEQ.incrementAndGet();
              s.setMember(name, Role.VIEWER);
              return name;
            },
            (c, ws, f) -> {
              assertThat(c.removeMember((String) f)).isTrue();
              return null;
            },
            NOTHING));
    OPS.put(
        "grant",
        op(
            "grant",
            (c, ws, f) -> {
              c.grant(otherThan(ws), "workflow", "g" + SEQ.incrementAndGet());
              return null;
            }));
    OPS.put(
        "revoke",
        op(
            "revoke",
            (s, ws) -> {
              String name = "k" + SEQ.incrementAndGet();
              s.grant(otherThan(ws), "workflow", name);
              return name;
            },
            (c, ws, f) -> {
              assertThat(c.revoke(otherThan(ws), "workflow", (String) f)).isTrue();
              return null;
            },
            NOTHING));
    OPS.put("grants", op("grants", (c, ws, f) -> c.grants()));
    OPS.put("caps", op("caps", (c, ws, f) -> c.caps()));
    OPS.put(
        "setCaps",
        op(
            "setCaps",
            (c, ws, f) -> {
              c.setCaps(WorkspaceCaps.NONE.withMaxTasksPerWorkflow(100 + SEQ.incrementAndGet()));
              return null;
            }));
    OPS.put("audit", op("audit", (c, ws, f) -> c.audit(AuditQuery.latest(5))));
    OPS.put("instances", op("instances", (c, ws, f) -> c.instances()));
    OPS.put("overview", op("overview", (c, ws, f) -> c.overview()));
    OPS.put(
        "putResource",
        op(
            "putResource",
            (c, ws, f) -> c.putResource("u" + SEQ.incrementAndGet() + ".txt", content("new"))));
    OPS.put("resources", op("resources", (c, ws, f) -> c.resources()));
    OPS.put("resourceVersions", op("resourceVersions", (c, ws, f) -> c.resourceVersions("res")));
    OPS.put(
        "readResource",
        op(
            "readResource",
            (c, ws, f) -> {
              try (java.io.InputStream in = c.readResource("res", 1)) {
                return in.readAllBytes();
              }
            }));
    OPS.put(
        "deleteResource",
        op(
            "deleteResource",
            (s, ws) -> s.putResource("x" + SEQ.incrementAndGet(), content("gone")).name(),
            (c, ws, f) -> {
              assertThat(c.deleteResource((String) f)).isTrue();
              return null;
            },
            NOTHING));
    // --- alerts: every operation of PlatformClient.alerts()
    OPS.put(
        "alertChannelTypes", op("alerts.channelTypes", (c, ws, f) -> c.alerts().channelTypes()));
    OPS.put(
        "alertPutChannel",
        op(
            "alerts.putChannel",
            (c, ws, f) -> c.alerts().putChannel(sink("c" + SEQ.incrementAndGet()))));
    OPS.put("alertChannels", op("alerts.channels", (c, ws, f) -> c.alerts().channels()));
    OPS.put(
        "alertDeleteChannel",
        op(
            "alerts.deleteChannel",
            (s, ws) -> s.alerts().putChannel(sink("dc" + SEQ.incrementAndGet())).name(),
            (c, ws, f) -> {
              c.alerts().deleteChannel((String) f);
              return null;
            },
            NOTHING));
    OPS.put("alertTest", op("alerts.test", (c, ws, f) -> c.alerts().test("ch")));
    OPS.put(
        "alertPutRule",
        op(
            "alerts.putRule",
            (c, ws, f) -> c.alerts().putRule(failures("r" + SEQ.incrementAndGet()))));
    OPS.put("alertRules", op("alerts.rules", (c, ws, f) -> c.alerts().rules()));
    OPS.put("alertRule", op("alerts.rule", (c, ws, f) -> c.alerts().rule("rl").orElseThrow()));
    OPS.put(
        "alertDeleteRule",
        op(
            "alerts.deleteRule",
            (s, ws) -> s.alerts().putRule(failures("dr" + SEQ.incrementAndGet())).name(),
            (c, ws, f) -> {
              c.alerts().deleteRule((String) f);
              return null;
            },
            NOTHING));
    OPS.put("alertSilence", op("alerts.silence", (c, ws, f) -> c.alerts().silence(silence())));
    OPS.put("alertSilences", op("alerts.silences", (c, ws, f) -> c.alerts().silences()));
    OPS.put(
        "alertEndSilence",
        op(
            "alerts.endSilence",
            (s, ws) -> s.alerts().silence(silence()).id(),
            (c, ws, f) -> {
              c.alerts().endSilence((Long) f);
              return null;
            },
            NOTHING));
    OPS.put(
        "alertHistory",
        op("alerts.history", (c, ws, f) -> c.alerts().history(AlertQuery.latest(5))));
    OPS.put(
        "alertById",
        op("alerts.alert", (c, ws, f) -> c.alerts().alert(ALERTS.get(ws)).orElseThrow()));
  }

  @BeforeAll
  static void start() throws Exception {
    platforms = new TestPlatforms();
    // no alert delivery: a delivery changing the outbox would show in a denied call's fingerprint
    platform =
        platforms.start("matrix", b -> b.listener(EVENTS::add).alerts(AlertSettings.disabled()));
    PlatformAdmin admin = platform.admin(Actor.SYSTEM);
    admin.createWorkspace(OWN, "the actors' workspace");
    admin.createWorkspace(OTHER, "a workspace the actors are no members of");
    PlatformClient a = platform.client(Actor.SYSTEM, OWN);
    for (Role role : Role.values()) {
      a.setMember(actorName(role), role);
    }
    try (Connection c = platforms.dataSource().getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO t_user (name, platform_admin, created_at, updated_at)"
                    + " VALUES (?, 1, 0, 0)")) {
      ps.setString(1, ROOT);
      ps.executeUpdate();
    }
    for (String ws : List.of(OWN, OTHER)) {
      PlatformClient s = platform.client(Actor.SYSTEM, ws);
      s.deploy(noop("w"));
      s.deploy(
          Workflow.builder("slow").task("t", "sleep", t -> t.option("duration", "60s")).build());
      s.deploy(Workflow.builder("bad").task("t", "fail").build());
      s.saveSchedule(yearly("s"));
      s.putResource("res", content("shared"));
      long run = endedRun(s, "bad"); // its attempt writes a log
      long backfill = s.backfill(oneDay("w"));
      awaitBackfill(s, backfill);
      SHARED.put(ws, new Shared(run, s.attempts(run).get(0), backfill));
      s.alerts().putChannel(sink("ch"));
      s.alerts().putRule(failures("rl"));
      ALERTS.put(ws, s.alerts().test("ch").id());
    }
  }

  @AfterAll
  static void stop() {
    if (platforms != null) {
      platforms.close();
    }
  }

  private static String actorName(Role role) {
    return role.name().toLowerCase();
  }

  private static Shared shared(String ws) {
    return SHARED.get(ws);
  }

  private static String otherThan(String ws) {
    return ws.equals(OWN) ? OTHER : OWN;
  }

  private static java.io.InputStream content(String text) {
    return new java.io.ByteArrayInputStream(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private static ChannelSpec sink(String name) {
    return new ChannelSpec(name, TestAlertChannel.TYPE, Map.of("url", "https://hooks.example/x"));
  }

  private static AlertRule failures(String name) {
    return AlertRule.on(name, AlertKind.RUN_FAILED).channels("ch").build();
  }

  private static SilenceSpec silence() {
    return new SilenceSpec(null, null, Instant.now().plus(Duration.ofHours(1)), "maintenance");
  }

  private static Workflow noop(String name) {
    return Workflow.builder(name).task("t", "noop", t -> {}).build();
  }

  private static ScheduleSpec yearly(String name) {
    return ScheduleSpec.builder(name, "w", "0 0 1 1 *").zone("UTC").paused(true).build();
  }

  private static BackfillRequest oneDay(String workflow) {
    LocalDate day = LocalDate.of(2020, 1, 1);
    return BackfillRequest.builder(workflow).daily(day, day, ZoneOffset.UTC).build();
  }

  private static long endedRun(PlatformClient s, String workflow) {
    long run = s.trigger(workflow);
    assertThat(s.awaitRun(run, Duration.ofSeconds(30)).state().isFinal()).isTrue();
    return run;
  }

  private static void awaitEnd(PlatformClient s, long run) {
    assertThat(s.awaitRun(run, Duration.ofSeconds(30)).state().isFinal()).isTrue();
  }

  /** A run whose only task is RUNNING, so nothing but its lease changes until it is killed. */
  private static long runningRun(PlatformClient s, String workflow) throws InterruptedException {
    long run = s.trigger(workflow);
    awaitTaskRunning(s, run);
    return run;
  }

  private static void awaitTaskRunning(PlatformClient s, long run) throws InterruptedException {
    Await.until(() -> s.attempts(run).stream().anyMatch(a -> a.state() == TaskState.RUNNING));
  }

  /** A backfill of one run of a sleeping workflow, its task RUNNING. */
  private static long runningBackfill(PlatformClient s) throws InterruptedException {
    String name = "cb" + SEQ.incrementAndGet();
    s.deploy(Workflow.builder(name).task("t", "sleep", t -> t.option("duration", "60s")).build());
    long id = s.backfill(oneDay(name));
    Await.until(() -> !s.runs(name, 1).isEmpty());
    awaitTaskRunning(s, s.runs(name, 1).get(0).id());
    return id;
  }

  private static void awaitBackfill(PlatformClient s, long id) throws InterruptedException {
    Await.until(
        () -> {
          Backfill b = s.backfillStatus(id);
          return b.state() != Backfill.State.RUNNING
              && b.runsByState().entrySet().stream()
                  .allMatch(e -> e.getValue() == 0 || e.getKey().isFinal());
        });
  }

  // --- the database as a whole

  /** Row count and a checksum of every {@code t_} table, leases and heartbeats left out. */
  private static String fingerprint() throws Exception {
    return TableFingerprint.of(platforms.dataSource());
  }

  private record AuditRow(String actor, String workspace, String action) {}

  private static long lastAuditId() throws Exception {
    try (Connection c = platforms.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT COALESCE(MAX(id), 0) FROM t_audit")) {
      r.next();
      return r.getLong(1);
    }
  }

  private static List<AuditRow> auditAfter(long id) throws Exception {
    try (Connection c = platforms.dataSource().getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT actor, workspace, action FROM t_audit WHERE id > ? ORDER BY id")) {
      ps.setLong(1, id);
      List<AuditRow> rows = new ArrayList<>();
      try (ResultSet r = ps.executeQuery()) {
        while (r.next()) {
          rows.add(new AuditRow(r.getString(1), r.getString(2), r.getString(3)));
        }
      }
      return rows;
    }
  }

  // --- the matrix

  /**
   * Every operation of the client and of its {@code alerts()} has a row: a new method of either
   * without one fails here. An alert operation is named {@code alerts.<method>}; {@code alerts()}
   * itself only hands out the {@link io.flinkplatform.engine.alert.Alerts} interface.
   */
  @Test
  void theTableNamesEveryOperationOfTheClient() {
    assertThat(OPS.keySet()).containsExactlyElementsOf(TABLE.keySet());
    Set<String> methods = new java.util.HashSet<>(operations(PlatformClient.class, ""));
    methods.remove("workspace");
    methods.remove("alerts");
    methods.addAll(operations(io.flinkplatform.engine.alert.Alerts.class, "alerts."));
    assertThat(methods).contains("alerts.putChannel", "alerts.endSilence", "alerts.history");
    assertThat(OPS.values().stream().map(Op::method).collect(Collectors.toSet()))
        .containsExactlyInAnyOrderElementsOf(methods);
  }

  /** The abstract methods of {@code type}, named {@code prefix + name}. */
  private static Set<String> operations(Class<?> type, String prefix) {
    return Arrays.stream(type.getMethods())
        .filter(m -> !m.isDefault() && !Modifier.isStatic(m.getModifiers()))
        .map(m -> prefix + m.getName())
        .collect(Collectors.toSet());
  }

  private static boolean allowed(Expected e, Optional<Role> role, boolean own) {
    return own && role.isPresent() && e.least().isPresent() && role.get().includes(e.least().get());
  }

  @TestFactory
  Stream<DynamicTest> everyOperationByEveryRoleInItsOwnAndAnotherWorkspace() {
    List<Optional<Role>> roles = new ArrayList<>();
    roles.add(Optional.empty());
    Arrays.stream(Role.values()).map(Optional::of).forEach(roles::add);
    List<DynamicTest> tests = new ArrayList<>();
    for (Expected e : TABLE.values()) {
      for (Optional<Role> role : roles) {
        for (boolean own : List.of(true, false)) {
          String actor = role.map(RoleMatrixTest::actorName).orElse(NOBODY);
          String ws = own ? OWN : OTHER;
          boolean allow = allowed(e, role, own);
          String name =
              e.op()
                  + " by "
                  + role.map(Role::name).orElse("none")
                  + " in "
                  + (own ? "own" : "other")
                  + " workspace: "
                  + (allow ? "allowed" : "denied");
          tests.add(DynamicTest.dynamicTest(name, () -> check(e, actor, ws, allow)));
        }
      }
    }
    return tests.stream();
  }

  @TestFactory
  Stream<DynamicTest> aPlatformAdministratorMayDoEverythingInEveryWorkspace() {
    List<DynamicTest> tests = new ArrayList<>();
    for (Expected e : TABLE.values()) {
      for (String ws : List.of(OWN, OTHER)) {
        tests.add(
            DynamicTest.dynamicTest(
                e.op() + " by a platform administrator in " + ws, () -> check(e, ROOT, ws, true)));
      }
    }
    return tests.stream();
  }

  private static void check(Expected e, String actor, String ws, boolean allow) throws Exception {
    Op op = OPS.get(e.op());
    PlatformClient system = platform.client(Actor.SYSTEM, ws);
    PlatformClient client = platform.client(Actor.user(actor), ws);
    Object fixture = op.prepare(system, ws);
    Object result = null;
    try {
      String before = fingerprint();
      long audit = lastAuditId();
      if (allow) {
        result = op.call(client, ws, fixture);
        List<AuditRow> rows = auditAfter(audit);
        if (e.changes()) {
          // a platform-wide change (a task type's limit) is recorded without a workspace
          String recorded = e.least().isPresent() ? ws : "";
          assertThat(rows).containsExactly(new AuditRow(actor, recorded, e.action()));
        } else {
          assertThat(rows).isEmpty();
        }
      } else {
        try {
          op.call(client, ws, fixture);
          fail(e.op() + " by " + actor + " in " + ws + " was allowed");
        } catch (AccessDeniedException denied) {
          assertThat(denied.actor()).isEqualTo(actor);
          assertThat(denied.workspace()).isEqualTo(ws);
          assertThat(denied.action()).isEqualTo(e.action());
          assertThat(denied.getMessage()).contains(actor).contains(ws).contains(e.action());
        }
        assertThat(fingerprint()).isEqualTo(before);
      }
    } finally {
      op.cleanup(system, fixture, result);
    }
  }

  // --- who did it, on runs, attempts and events

  private static String column(String sql, long id) throws Exception {
    try (Connection c = platforms.dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setLong(1, id);
      try (ResultSet r = ps.executeQuery()) {
        return r.next() ? r.getString(1) : "<no row>";
      }
    }
  }

  @Test
  void runsAndAttemptsRecordWhoTriggeredKilledAndReranThem() throws Exception {
    PlatformClient operator = platform.client(Actor.user("operator"), OWN);
    PlatformClient editor = platform.client(Actor.user("editor"), OWN);
    long run = operator.trigger("slow");
    awaitTaskRunning(operator, run);
    long attempt = operator.attempts(run).get(0).id();
    assertThat(editor.kill(run)).isTrue();
    assertThat(operator.awaitRun(run, Duration.ofSeconds(30)).state()).isEqualTo(RunState.KILLED);
    assertThat(column("SELECT triggered_by FROM t_job_flow_run WHERE id = ?", run))
        .isEqualTo("operator");
    assertThat(column("SELECT killed_by FROM t_job_flow_run WHERE id = ?", run))
        .isEqualTo("editor");
    assertThat(column("SELECT killed_by FROM t_job_run WHERE id = ?", attempt)).isEqualTo("editor");
    assertThat(column("SELECT workspace FROM t_job_flow_run WHERE id = ?", run)).isEqualTo(OWN);

    long other = operator.trigger("w");
    operator.awaitRun(other, Duration.ofSeconds(30));
    platform.client(Actor.user("admin"), OWN).rerun(RerunRequest.task(other, "t"));
    assertThat(operator.awaitRun(other, Duration.ofSeconds(30)).state())
        .isEqualTo(RunState.SUCCESS);
    assertThat(column("SELECT rerun_by FROM t_job_flow_run WHERE id = ?", other))
        .isEqualTo("admin");
    assertThat(
            column(
                "SELECT rerun_by FROM t_job_run WHERE flow_run_id = ? ORDER BY id DESC LIMIT 1",
                other))
        .isEqualTo("admin");
    assertThat(
            column(
                "SELECT COALESCE(rerun_by, '<none>') FROM t_job_run WHERE flow_run_id = ?"
                    + " ORDER BY id LIMIT 1",
                other))
        .isEqualTo("<none>");
  }

  @Test
  void runEventsCarryTheActorAndTheWorkspace() throws Exception {
    PlatformClient operator = platform.client(Actor.user("operator"), OWN);
    long run = operator.trigger("slow");
    awaitTaskRunning(operator, run);
    operator.kill(run);
    operator.awaitRun(run, Duration.ofSeconds(30));
    Await.until(
        () ->
            EVENTS.stream()
                .anyMatch(
                    e ->
                        e instanceof PlatformEvent.RunStateChanged r
                            && r.runId() == run
                            && r.state() == RunState.KILLING));
    PlatformEvent.RunStateChanged killing =
        EVENTS.stream()
            .filter(e -> e instanceof PlatformEvent.RunStateChanged)
            .map(e -> (PlatformEvent.RunStateChanged) e)
            .filter(r -> r.runId() == run && r.state() == RunState.KILLING)
            .findFirst()
            .orElseThrow();
    assertThat(killing.actor()).isEqualTo("operator");
    assertThat(killing.workspace()).isEqualTo(OWN);

    long failed = endedRun(operator, "bad");
    operator.markTask(failed, "t", TaskState.SUCCESS);
    operator.awaitRun(failed, Duration.ofSeconds(30));
    Await.until(
        () ->
            EVENTS.stream()
                .anyMatch(e -> e instanceof PlatformEvent.RunReopened r && r.runId() == failed));
    PlatformEvent.RunReopened reopened =
        EVENTS.stream()
            .filter(e -> e instanceof PlatformEvent.RunReopened r && r.runId() == failed)
            .map(e -> (PlatformEvent.RunReopened) e)
            .findFirst()
            .orElseThrow();
    assertThat(reopened.actor()).isEqualTo("operator");
    assertThat(reopened.workspace()).isEqualTo(OWN);
  }

  // --- logs

  @Test
  void logsOfAnotherWorkspaceAreNotReadableNotEvenThroughAForgedAttempt() throws Exception {
    PlatformClient viewer = platform.client(Actor.user("viewer"), OWN);
    TaskAttempt foreign = shared(OTHER).attempt();
    TaskAttempt mine = shared(OWN).attempt();
    assertThatThrownBy(() -> viewer.log(foreign.id(), LogRange.tail(100)))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> viewer.log(foreign)).isInstanceOf(NotFoundException.class);
    // a record of one's own attempt with another workspace's id
    TaskAttempt forgedId = withIdAndPath(mine, foreign.id(), mine.logPath());
    assertThatThrownBy(() -> viewer.log(forgedId)).isInstanceOf(NotFoundException.class);
    // one's own attempt id with another attempt's log path, or any path: the stored path is read
    assertThat(foreign.logPath()).isPresent();
    String own = viewer.log(mine);
    assertThat(viewer.log(withIdAndPath(mine, mine.id(), foreign.logPath()))).isEqualTo(own);
    assertThat(viewer.log(withIdAndPath(mine, mine.id(), Optional.of("../../../../etc/passwd"))))
        .isEqualTo(own);
    // a made-up attempt id reads nothing either
    assertThatThrownBy(() -> viewer.log(withIdAndPath(mine, Long.MAX_VALUE, mine.logPath())))
        .isInstanceOf(NotFoundException.class);
  }

  /** {@code a} with another id and log path: a record a caller made up. */
  private static TaskAttempt withIdAndPath(TaskAttempt a, long id, Optional<String> logPath)
      throws Exception {
    // through the record's components, so the forgery keeps up with new fields
    RecordComponent[] components = TaskAttempt.class.getRecordComponents();
    Object[] values = new Object[components.length];
    Class<?>[] types = new Class<?>[components.length];
    for (int i = 0; i < components.length; i++) {
      types[i] = components[i].getType();
      values[i] =
          switch (components[i].getName()) {
            case "id" -> id;
            case "logPath" -> logPath;
            default -> components[i].getAccessor().invoke(a);
          };
    }
    return TaskAttempt.class.getDeclaredConstructor(types).newInstance(values);
  }
}

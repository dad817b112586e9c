package io.flinkplatform.engine.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.flinkplatform.engine.ConsoleRoutesAccess;
import io.flinkplatform.engine.Platform;
import io.flinkplatform.engine.PlatformClient;
import io.flinkplatform.engine.access.PlatformAdmin;
import io.flinkplatform.engine.access.Users;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.internal.console.Route;
import io.flinkplatform.engine.run.RunQuery;
import io.flinkplatform.engine.schedule.Backfill;
import io.flinkplatform.engine.schedule.BackfillRequest;
import io.flinkplatform.engine.schedule.ScheduleSpec;
import io.flinkplatform.engine.testing.Await;
import io.flinkplatform.engine.testing.TableFingerprint;
import io.flinkplatform.engine.testing.TestPlatforms;
import io.flinkplatform.spi.Actor;
import io.flinkplatform.spi.Role;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every REST route, called over HTTP by no one (no login), a viewer, operator, editor and admin of
 * workspace {@code a}, the admin of workspace {@code b} only ("outsider") and a platform
 * administrator ("root"), each with an API token made once. The expected answer comes from {@link
 * #EXPECTED}, a table written here from the roles of docs/security.md (not from the routes' own
 * {@code needs}): 401 without a login; 403 {@code AccessDeniedException} naming the actor, the
 * workspace and the action below the least role; a 2xx otherwise. A refused state-changing call
 * leaves every table as it was and writes no audit row.
 */
class RestRoleMatrixTest {
  /**
   * Method, route, the least caller ({@code ANY}: any logged-in caller; {@code PLATFORM}: only a
   * platform administrator) and the action a refusal names.
   */
  private static final String EXPECTED =
      """
      GET    /workspaces                                                   ANY       -
      POST   /workspaces                                                   PLATFORM  workspace.create
      POST   /workspaces/{ws}/labels                                       PLATFORM  grant.label
      DELETE /workspaces/{ws}/labels/{label}                               PLATFORM  revoke.label
      GET    /audit                                                        PLATFORM  audit.read-all
      GET    /instances                                                    ANY       -
      GET    /users                                                        PLATFORM  user.change
      POST   /users                                                        PLATFORM  user.change
      PUT    /users/{name}/disabled                                        PLATFORM  user.change
      PUT    /users/{name}/admin                                           PLATFORM  user.change
      PUT    /users/{name}/password                                        PLATFORM  user.change
      GET    /me/tokens                                                    ANY       -
      POST   /me/tokens                                                    ANY       -
      DELETE /me/tokens/{tokenId}                                          ANY       -
      GET    /workspaces/{ws}/workflows                                    VIEWER    read
      GET    /workspaces/{ws}/workflows/{name}                             VIEWER    read
      GET    /workspaces/{ws}/workflows/{name}/versions                    VIEWER    read
      GET    /workspaces/{ws}/workflows/{name}/diff                        VIEWER    read
      GET    /workspaces/{ws}/workflows/{name}/picture.svg                 VIEWER    read
      POST   /workspaces/{ws}/workflows                                    EDITOR    workflow.deploy
      POST   /workspaces/{ws}/workflows/validate                           VIEWER    workflow.validate
      POST   /workspaces/{ws}/workflows/{name}/trigger                     OPERATOR  run.trigger
      GET    /workspaces/{ws}/runs                                         VIEWER    read
      POST   /workspaces/{ws}/runs                                         OPERATOR  run.trigger
      GET    /workspaces/{ws}/runs/{runId}                                 VIEWER    read
      GET    /workspaces/{ws}/runs/{runId}/attempts                        VIEWER    read
      GET    /workspaces/{ws}/runs/{runId}/explain                         VIEWER    read
      GET    /workspaces/{ws}/runs/{runId}/mermaid                         VIEWER    read
      GET    /workspaces/{ws}/runs/{runId}/picture.svg                     VIEWER    read
      POST   /workspaces/{ws}/runs/{runId}/kill                            OPERATOR  run.kill
      POST   /workspaces/{ws}/runs/{runId}/rerun                           OPERATOR  run.rerun
      POST   /workspaces/{ws}/runs/{runId}/tasks/{taskId}/mark             OPERATOR  task.mark
      GET    /workspaces/{ws}/runs/{runId}/attempts/{attemptId}/log        VIEWER    read
      GET    /workspaces/{ws}/runs/{runId}/attempts/{attemptId}/log/download VIEWER  read
      GET    /workspaces/{ws}/schedules                                    VIEWER    read
      GET    /workspaces/{ws}/schedules/{name}                             VIEWER    read
      PUT    /workspaces/{ws}/schedules/{name}                             EDITOR    schedule.save
      DELETE /workspaces/{ws}/schedules/{name}                             EDITOR    schedule.delete
      POST   /workspaces/{ws}/schedules/{name}/pause                       OPERATOR  schedule.pause
      POST   /workspaces/{ws}/schedules/{name}/resume                      OPERATOR  schedule.resume
      GET    /workspaces/{ws}/schedules/{name}/explain                     VIEWER    read
      POST   /workspaces/{ws}/schedules/preview                            VIEWER    read
      POST   /workspaces/{ws}/backfills                                    OPERATOR  backfill.create
      GET    /workspaces/{ws}/backfills/{backfillId}                       VIEWER    read
      POST   /workspaces/{ws}/backfills/{backfillId}/cancel                OPERATOR  backfill.cancel
      GET    /workspaces/{ws}/overview                                     VIEWER    read
      GET    /workspaces/{ws}/instances                                    VIEWER    read
      GET    /workspaces/{ws}/limits                                       VIEWER    read
      PUT    /workspaces/{ws}/pools/{name}                                 ADMIN     limit.set
      PUT    /workspaces/{ws}/limits/{kind}/{name}                         ADMIN     limit.set
      DELETE /workspaces/{ws}/limits/{kind}/{name}                         ADMIN     limit.remove
      GET    /workspaces/{ws}/members                                      ADMIN     member.read
      PUT    /workspaces/{ws}/members/{principal}                          ADMIN     member.set
      DELETE /workspaces/{ws}/members/{principal}                          ADMIN     member.remove
      GET    /workspaces/{ws}/grants                                       VIEWER    read
      POST   /workspaces/{ws}/grants                                       ADMIN     grant.add
      POST   /workspaces/{ws}/grants/revoke                                ADMIN     grant.revoke
      GET    /workspaces/{ws}/caps                                         VIEWER    read
      PUT    /workspaces/{ws}/caps                                         ADMIN     workspace.caps
      GET    /workspaces/{ws}/audit                                        ADMIN     audit.read
      GET    /workspaces/{ws}/resources                                    VIEWER    read
      GET    /workspaces/{ws}/resources/{name}/versions                    VIEWER    read
      POST   /workspaces/{ws}/resources/{name}                             EDITOR    resource.upload
      GET    /workspaces/{ws}/resources/{name}/versions/{version}/content  VIEWER    read
      DELETE /workspaces/{ws}/resources/{name}                             EDITOR    resource.delete
      GET    /workspaces/{ws}/alerts/channel-types                         VIEWER    read
      GET    /workspaces/{ws}/alerts/channels                              VIEWER    read
      PUT    /workspaces/{ws}/alerts/channels/{name}                       EDITOR    alert.channel.save
      DELETE /workspaces/{ws}/alerts/channels/{name}                       EDITOR    alert.channel.delete
      POST   /workspaces/{ws}/alerts/channels/{name}/test                  EDITOR    alert.test
      GET    /workspaces/{ws}/alerts/rules                                 VIEWER    read
      GET    /workspaces/{ws}/alerts/rules/{name}                          VIEWER    read
      PUT    /workspaces/{ws}/alerts/rules/{name}                          EDITOR    alert.rule.save
      DELETE /workspaces/{ws}/alerts/rules/{name}                          EDITOR    alert.rule.delete
      GET    /workspaces/{ws}/alerts/silences                              VIEWER    read
      POST   /workspaces/{ws}/alerts/silences                              OPERATOR  alert.silence
      POST   /workspaces/{ws}/alerts/silences/{silenceId}/end              OPERATOR  alert.silence.end
      GET    /workspaces/{ws}/alerts/history                               VIEWER    read
      GET    /workspaces/{ws}/alerts/history/{alertId}                     VIEWER    read
      """;

  /**
   * Routes of the login itself and the OpenAPI document (ConsoleApiTest covers them), and the
   * health check, which needs no login (ConsoleHealthTest).
   */
  private static final Set<String> NOT_HERE =
      Set.of(
          "POST /session", "GET /session", "DELETE /session", "GET /openapi.json", "GET /health");

  private record Expected(String method, String route, String least, String action) {
    String key() {
      return method + " " + route;
    }

    boolean mutating() {
      return !method.equals("GET");
    }
  }

  private static final Map<String, Expected> TABLE =
      EXPECTED
          .lines()
          .filter(l -> !l.isBlank())
          .map(l -> l.trim().split("\\s+"))
          .map(f -> new Expected(f[0], f[1], f[2], f[3]))
          .collect(Collectors.toMap(Expected::key, e -> e, (x, y) -> x, LinkedHashMap::new));

  static final int MAX_UPLOAD = 32 << 10;
  static final String WS = "a";
  static final String OTHER = "b";
  static final String NONE = "none";
  static final String OUTSIDER = "outsider";
  static final String ROOT = "root";
  static final String TARGET = "target";
  private static final List<String> CALLERS =
      List.of(NONE, "viewer", "operator", "editor", "admin", OUTSIDER, ROOT);

  private static TestPlatforms platforms;
  private static Platform platform;
  private static final Map<String, String> TOKENS = new LinkedHashMap<>();
  private static final AtomicInteger SEQ = new AtomicInteger();
  private static long endedRun;
  private static long failedRun;
  private static long failedAttempt;
  private static long backfill;
  private static long testAlert;

  /** A call of one route: its path with the placeholders filled, and its body. */
  private record Request(String path, Object body) {}

  /** Makes the request for a caller (made before the call, by the system actor if needed). */
  private static final Map<String, BiFunction<PlatformClient, String, Request>> REQUESTS =
      new LinkedHashMap<>();

  private static void on(String key, BiFunction<PlatformClient, String, Request> request) {
    REQUESTS.put(key, request);
  }

  private static Request get(String path) {
    return new Request(path, null);
  }

  private static String fresh(String prefix) {
    return prefix + SEQ.incrementAndGet();
  }

  static {
    String w = "/workspaces/" + WS;
    on("GET /workspaces", (s, who) -> get("/workspaces"));
    on(
        "POST /workspaces",
        (s, who) -> new Request("/workspaces", Map.of("name", fresh("ws"), "description", "x")));
    on(
        "POST /workspaces/{ws}/labels",
        (s, who) -> new Request(w + "/labels", Map.of("label", fresh("l"))));
    on(
        "DELETE /workspaces/{ws}/labels/{label}",
        (s, who) -> {
          String label = fresh("l");
          platform.admin(Actor.SYSTEM).grantLabel(WS, label);
          return get(w + "/labels/" + label);
        });
    on("GET /audit", (s, who) -> get("/audit?limit=5"));
    on("GET /instances", (s, who) -> get("/instances"));
    on("GET /users", (s, who) -> get("/users"));
    on(
        "POST /users",
        (s, who) -> new Request("/users", Map.of("name", fresh("u"), "displayName", "U")));
    on(
        "PUT /users/{name}/disabled",
        (s, who) -> new Request("/users/" + TARGET + "/disabled", Map.of("disabled", false)));
    on(
        "PUT /users/{name}/admin",
        (s, who) -> new Request("/users/" + TARGET + "/admin", Map.of("platformAdmin", false)));
    on(
        "PUT /users/{name}/password",
        (s, who) ->
            new Request(
                "/users/" + TARGET + "/password", Map.of("password", "a long enough password")));
    on("GET /me/tokens", (s, who) -> get("/me/tokens"));
    on("POST /me/tokens", (s, who) -> new Request("/me/tokens", Map.of("name", fresh("t"))));
    on(
        "DELETE /me/tokens/{tokenId}",
        (s, who) -> {
          // one of the caller's own tokens (nobody's for no login)
          String owner = who.equals(NONE) ? TARGET : who;
          long id =
              platform
                  .users(Actor.SYSTEM)
                  .createToken(owner, fresh("t"), Duration.ofDays(1))
                  .info()
                  .id();
          return get("/me/tokens/" + id);
        });
    on("GET /workspaces/{ws}/workflows", (s, who) -> get(w + "/workflows"));
    on("GET /workspaces/{ws}/workflows/{name}", (s, who) -> get(w + "/workflows/w?version=1"));
    on(
        "GET /workspaces/{ws}/workflows/{name}/versions",
        (s, who) -> get(w + "/workflows/w/versions"));
    on(
        "GET /workspaces/{ws}/workflows/{name}/diff",
        (s, who) -> get(w + "/workflows/w/diff?from=1&to=1"));
    on(
        "GET /workspaces/{ws}/workflows/{name}/picture.svg",
        (s, who) -> get(w + "/workflows/w/picture.svg?version=1"));
    on(
        "POST /workspaces/{ws}/workflows",
        (s, who) -> new Request(w + "/workflows", noopJson(fresh("d"))));
    on(
        "POST /workspaces/{ws}/workflows/validate",
        (s, who) -> new Request(w + "/workflows/validate", noopJson("v")));
    on(
        "POST /workspaces/{ws}/workflows/{name}/trigger",
        (s, who) ->
            new Request(
                w + "/workflows/w/trigger",
                Map.of("parameters", Map.of(), "logicalDate", "2026-01-01T00:00:00Z")));
    on("GET /workspaces/{ws}/runs", (s, who) -> get(w + "/runs?workflow=w&state=SUCCESS&limit=2"));
    on(
        "POST /workspaces/{ws}/runs",
        (s, who) -> new Request(w + "/runs", Map.of("runs", List.of(Map.of("workflow", "w")))));
    on("GET /workspaces/{ws}/runs/{runId}", (s, who) -> get(w + "/runs/" + endedRun));
    on(
        "GET /workspaces/{ws}/runs/{runId}/attempts",
        (s, who) -> get(w + "/runs/" + endedRun + "/attempts"));
    on(
        "GET /workspaces/{ws}/runs/{runId}/explain",
        (s, who) -> get(w + "/runs/" + endedRun + "/explain"));
    on(
        "GET /workspaces/{ws}/runs/{runId}/mermaid",
        (s, who) -> get(w + "/runs/" + endedRun + "/mermaid"));
    on(
        "GET /workspaces/{ws}/runs/{runId}/picture.svg",
        (s, who) -> get(w + "/runs/" + endedRun + "/picture.svg"));
    on(
        "POST /workspaces/{ws}/runs/{runId}/kill",
        (s, who) -> new Request(w + "/runs/" + endedRun + "/kill", Map.of()));
    on(
        "POST /workspaces/{ws}/runs/{runId}/rerun",
        (s, who) ->
            new Request(w + "/runs/" + endedRun + "/rerun", Map.of("mode", "TASK", "task", "t")));
    on(
        "POST /workspaces/{ws}/runs/{runId}/tasks/{taskId}/mark",
        (s, who) ->
            new Request(
                w + "/runs/" + ended(s, "bad") + "/tasks/t/mark", Map.of("state", "SKIPPED")));
    on(
        "GET /workspaces/{ws}/runs/{runId}/attempts/{attemptId}/log",
        (s, who) -> get(w + "/runs/" + failedRun + "/attempts/" + failedAttempt + "/log?max=1024"));
    on(
        "GET /workspaces/{ws}/runs/{runId}/attempts/{attemptId}/log/download",
        (s, who) -> get(w + "/runs/" + failedRun + "/attempts/" + failedAttempt + "/log/download"));
    on("GET /workspaces/{ws}/schedules", (s, who) -> get(w + "/schedules"));
    on("GET /workspaces/{ws}/schedules/{name}", (s, who) -> get(w + "/schedules/s"));
    on(
        "PUT /workspaces/{ws}/schedules/{name}",
        (s, who) -> new Request(w + "/schedules/" + fresh("s"), yearlyJson()));
    on(
        "DELETE /workspaces/{ws}/schedules/{name}",
        (s, who) -> get(w + "/schedules/" + s.saveSchedule(yearly(fresh("del"))).spec().name()));
    on(
        "POST /workspaces/{ws}/schedules/{name}/pause",
        (s, who) -> new Request(w + "/schedules/s/pause", Map.of()));
    on(
        "POST /workspaces/{ws}/schedules/{name}/resume",
        (s, who) -> new Request(w + "/schedules/s/resume", Map.of()));
    on(
        "GET /workspaces/{ws}/schedules/{name}/explain",
        (s, who) -> get(w + "/schedules/s/explain"));
    on(
        "POST /workspaces/{ws}/schedules/preview",
        (s, who) ->
            new Request(
                w + "/schedules/preview",
                Map.of("spec", yearlyJson(), "from", "2030-01-01T00:00:00Z", "count", 2)));
    on(
        "POST /workspaces/{ws}/backfills",
        (s, who) ->
            new Request(
                w + "/backfills",
                Map.of(
                    "workflow",
                    "w",
                    "from",
                    "2020-01-01T00:00:00Z",
                    "to",
                    "2020-01-01T00:00:00Z")));
    on(
        "GET /workspaces/{ws}/backfills/{backfillId}",
        (s, who) -> get(w + "/backfills/" + backfill));
    on(
        "POST /workspaces/{ws}/backfills/{backfillId}/cancel",
        (s, who) -> new Request(w + "/backfills/" + backfill + "/cancel", Map.of()));
    on("GET /workspaces/{ws}/overview", (s, who) -> get(w + "/overview"));
    on("GET /workspaces/{ws}/instances", (s, who) -> get(w + "/instances"));
    on("GET /workspaces/{ws}/limits", (s, who) -> get(w + "/limits"));
    on(
        "PUT /workspaces/{ws}/pools/{name}",
        (s, who) -> new Request(w + "/pools/" + fresh("p"), Map.of("slots", 2)));
    on(
        "PUT /workspaces/{ws}/limits/{kind}/{name}",
        (s, who) -> new Request(w + "/limits/POOL/" + fresh("p"), Map.of("slots", 3)));
    on(
        "DELETE /workspaces/{ws}/limits/{kind}/{name}",
        (s, who) -> {
          String pool = fresh("r");
          s.setPool(pool, 1);
          return get(w + "/limits/POOL/" + pool);
        });
    on("GET /workspaces/{ws}/members", (s, who) -> get(w + "/members"));
    on(
        "PUT /workspaces/{ws}/members/{principal}",
        (s, who) -> new Request(w + "/members/" + fresh("m"), Map.of("role", "VIEWER")));
    on(
        "DELETE /workspaces/{ws}/members/{principal}",
        (s, who) -> {
          String member = fresh("q");
          s.setMember(member, Role.VIEWER);
          return get(w + "/members/" + member);
        });
    on("GET /workspaces/{ws}/grants", (s, who) -> get(w + "/grants"));
    on(
        "POST /workspaces/{ws}/grants",
        (s, who) ->
            new Request(
                w + "/grants", Map.of("to", OTHER, "kind", "workflow", "name", fresh("g"))));
    on(
        "POST /workspaces/{ws}/grants/revoke",
        (s, who) -> {
          String name = fresh("k");
          s.grant(OTHER, "workflow", name);
          return new Request(
              w + "/grants/revoke", Map.of("to", OTHER, "kind", "workflow", "name", name));
        });
    on("GET /workspaces/{ws}/caps", (s, who) -> get(w + "/caps"));
    on(
        "PUT /workspaces/{ws}/caps",
        (s, who) ->
            new Request(w + "/caps", Map.of("maxTasksPerWorkflow", 100 + SEQ.incrementAndGet())));
    on("GET /workspaces/{ws}/audit", (s, who) -> get(w + "/audit?limit=5"));
    on("GET /workspaces/{ws}/resources", (s, who) -> get(w + "/resources"));
    on(
        "GET /workspaces/{ws}/resources/{name}/versions",
        (s, who) -> get(w + "/resources/res/versions"));
    on(
        "POST /workspaces/{ws}/resources/{name}",
        (s, who) -> new Request(w + "/resources/" + fresh("up") + ".txt", "content " + SEQ.get()));
    on(
        "GET /workspaces/{ws}/resources/{name}/versions/{version}/content",
        (s, who) -> get(w + "/resources/res/versions/1/content"));
    on(
        "DELETE /workspaces/{ws}/resources/{name}",
        (s, who) -> {
          String name = fresh("x");
          s.putResource(name, new ByteArrayInputStream(name.getBytes(StandardCharsets.UTF_8)));
          return get(w + "/resources/" + name);
        });
    // alerts (issue 16, console part)
    String al = w + "/alerts";
    on("GET /workspaces/{ws}/alerts/channel-types", (s, who) -> get(al + "/channel-types"));
    on("GET /workspaces/{ws}/alerts/channels", (s, who) -> get(al + "/channels"));
    on(
        "PUT /workspaces/{ws}/alerts/channels/{name}",
        (s, who) -> new Request(al + "/channels/" + fresh("ch"), channelJson()));
    on(
        "DELETE /workspaces/{ws}/alerts/channels/{name}",
        (s, who) -> get(al + "/channels/" + s.alerts().putChannel(channel(fresh("dc"))).name()));
    on(
        "POST /workspaces/{ws}/alerts/channels/{name}/test",
        (s, who) -> new Request(al + "/channels/ch/test", Map.of()));
    on("GET /workspaces/{ws}/alerts/rules", (s, who) -> get(al + "/rules"));
    on("GET /workspaces/{ws}/alerts/rules/{name}", (s, who) -> get(al + "/rules/r"));
    on(
        "PUT /workspaces/{ws}/alerts/rules/{name}",
        (s, who) ->
            new Request(
                al + "/rules/" + fresh("r"),
                Map.of("kind", "RUN_FAILED", "channels", List.of("ch"), "enabled", false)));
    on(
        "DELETE /workspaces/{ws}/alerts/rules/{name}",
        (s, who) -> get(al + "/rules/" + s.alerts().putRule(rule(fresh("dr"))).name()));
    on("GET /workspaces/{ws}/alerts/silences", (s, who) -> get(al + "/silences"));
    on(
        "POST /workspaces/{ws}/alerts/silences",
        (s, who) -> new Request(al + "/silences", Map.of("duration", "1h", "reason", "matrix")));
    on(
        "POST /workspaces/{ws}/alerts/silences/{silenceId}/end",
        (s, who) -> {
          long id =
              s.alerts()
                  .silence(
                      new io.flinkplatform.engine.alert.SilenceSpec(
                          null, null, java.time.Instant.now().plus(Duration.ofHours(1)), "x"))
                  .id();
          return new Request(al + "/silences/" + id + "/end", Map.of());
        });
    on("GET /workspaces/{ws}/alerts/history", (s, who) -> get(al + "/history?limit=5"));
    on(
        "GET /workspaces/{ws}/alerts/history/{alertId}",
        (s, who) -> get(al + "/history/" + testAlert));
  }

  private static Map<String, Object> channelJson() {
    return Map.of("type", "consoletest", "options", Map.of("url", "http://127.0.0.1:9/x"));
  }

  private static io.flinkplatform.engine.alert.ChannelSpec channel(String name) {
    return new io.flinkplatform.engine.alert.ChannelSpec(
        name, "consoletest", Map.of("url", "http://127.0.0.1:9/x"));
  }

  private static io.flinkplatform.engine.alert.AlertRule rule(String name) {
    return io.flinkplatform.engine.alert.AlertRule.on(
            name, io.flinkplatform.engine.alert.AlertKind.RUN_FAILED)
        .channels("ch")
        .enabled(false)
        .build();
  }

  @BeforeAll
  static void start() throws Exception {
    platforms = new TestPlatforms();
    platform =
        platforms.start(
            "rest",
            b ->
                b.console(
                        ConsoleSettings.builder()
                            .port(0)
                            .maxBodyBytes(16 << 10)
                            .maxUploadBytes(MAX_UPLOAD)
                            .build())
                    // no delivery loop: the alert tables change only by the calls here
                    .alerts(io.flinkplatform.engine.alert.AlertSettings.disabled()));
    PlatformAdmin admin = platform.admin(Actor.SYSTEM);
    admin.createWorkspace(WS, "the callers' workspace");
    admin.createWorkspace(OTHER, "the outsider's workspace");
    Users users = platform.users(Actor.SYSTEM);
    PlatformClient a = platform.client(Actor.SYSTEM, WS);
    for (Role role : Role.values()) {
      String name = role.name().toLowerCase();
      users.createUser(name, name);
      a.setMember(name, role);
    }
    users.createUser(OUTSIDER, "Outsider");
    platform.client(Actor.SYSTEM, OTHER).setMember(OUTSIDER, Role.ADMIN);
    users.createUser(ROOT, "Root");
    users.setPlatformAdmin(ROOT, true);
    users.createUser(TARGET, "Target");
    for (String caller : CALLERS) {
      if (!caller.equals(NONE)) {
        TOKENS.put(caller, users.createToken(caller, "matrix", Duration.ofDays(1)).token());
      }
    }
    a.deploy(Workflow.builder("w").task("t", "noop", t -> {}).build());
    a.deploy(Workflow.builder("bad").task("t", "fail").build());
    a.saveSchedule(yearly("s"));
    a.putResource("res", new ByteArrayInputStream("one".getBytes(StandardCharsets.UTF_8)));
    endedRun = ended(a, "w");
    failedRun = ended(a, "bad");
    failedAttempt = a.attempts(failedRun).get(0).id();
    backfill = a.backfill(oneDay());
    a.alerts().putChannel(channel("ch"));
    a.alerts().putRule(rule("r"));
    testAlert = a.alerts().test("ch").id();
    quiet();
  }

  @AfterAll
  static void stop() {
    if (platforms != null) {
      platforms.close();
    }
  }

  static ConsoleClient as(String caller) {
    ConsoleClient c = new ConsoleClient(platform.consoleUri().orElseThrow());
    return caller.equals(NONE) ? c : c.token(TOKENS.get(caller));
  }

  // --- the matrix

  @Test
  void theTableNamesEveryRouteOfTheConsole() {
    Set<String> served = new TreeSet<>();
    for (Route r : ConsoleRoutesAccess.routes(platform)) {
      served.add(r.method() + " " + r.path());
    }
    served.removeAll(NOT_HERE);
    assertThat(new TreeSet<>(TABLE.keySet())).isEqualTo(served);
    assertThat(REQUESTS.keySet()).containsExactlyInAnyOrderElementsOf(TABLE.keySet());
  }

  /** Whether {@code caller} may call a route whose least caller is {@code least}. */
  private static boolean allowed(String least, String caller) {
    if (caller.equals(NONE)) {
      return false;
    }
    if (caller.equals(ROOT) || least.equals("ANY")) {
      return true;
    }
    if (least.equals("PLATFORM") || caller.equals(OUTSIDER)) {
      return false;
    }
    return Role.valueOf(caller.toUpperCase()).includes(Role.valueOf(least));
  }

  @TestFactory
  Stream<DynamicTest> everyRouteByEveryKindOfCaller() {
    List<DynamicTest> tests = new ArrayList<>();
    for (Expected e : TABLE.values()) {
      for (String caller : CALLERS) {
        boolean allow = allowed(e.least(), caller);
        tests.add(
            DynamicTest.dynamicTest(
                e.key() + " by " + caller + ": " + (allow ? "allowed" : "refused"),
                () -> check(e, caller, allow)));
      }
    }
    return tests.stream();
  }

  private static void check(Expected e, String caller, boolean allow) throws Exception {
    PlatformClient system = platform.client(Actor.SYSTEM, WS);
    Request request = REQUESTS.get(e.key()).apply(system, caller);
    quiet();
    String before = e.mutating() && !allow ? fingerprint() : "";
    long audit = lastAuditId();
    ConsoleClient.Reply r = as(caller).send(e.method(), "api/v1" + request.path(), request.body());
    String what = e.key() + " by " + caller + " -> " + r.status() + " " + r.body();
    if (allow) {
      assertThat(r.status()).as(what).isBetween(200, 299);
      quiet();
      return;
    }
    if (caller.equals(NONE)) {
      assertThat(r.status()).as(what).isEqualTo(401);
      assertThat(r.json().get("error").asText()).as(what).isEqualTo("Unauthenticated");
    } else {
      assertThat(r.status()).as(what).isEqualTo(403);
      JsonNode body = r.json();
      assertThat(body.get("error").asText()).as(what).isEqualTo("AccessDeniedException");
      assertThat(body.get("actor").asText()).as(what).isEqualTo(caller);
      if (!e.least().equals("PLATFORM")) {
        assertThat(body.get("workspace").asText()).as(what).isEqualTo(WS);
      }
      assertThat(body.get("action").asText()).as(what).isEqualTo(e.action());
      assertThat(body.get("message").asText()).as(what).contains(caller).contains(e.action());
    }
    if (e.mutating()) {
      assertThat(auditAfter(audit)).as(what).isEmpty();
      assertThat(fingerprint()).as(what).isEqualTo(before);
    }
  }

  // --- paging, errors, logs, tokens, uploads

  @Test
  void runsArePagedNewestFirstWithACursorUntilTheLastPage() throws Exception {
    PlatformClient s = platform.client(Actor.SYSTEM, WS);
    s.deploy(Workflow.builder("paged").task("t", "noop", t -> {}).build());
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(0, ended(s, "paged"));
    }
    ConsoleClient viewer = as("viewer");
    List<Long> seen = new ArrayList<>();
    String next = "";
    int pages = 0;
    do {
      ConsoleClient.Reply r = viewer.get("api/v1/workspaces/a/runs?workflow=paged&limit=2" + next);
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      r.json().get("runs").forEach(run -> seen.add(run.get("id").asLong()));
      JsonNode cursor = r.json().get("next");
      assertThat(r.json().get("runs").size()).isLessThanOrEqualTo(2);
      next = cursor.isNull() ? null : "&before=" + cursor.asLong();
      pages++;
    } while (next != null && pages < 10);
    assertThat(seen).isEqualTo(ids);
    assertThat(pages).isEqualTo(3);
    ConsoleClient.Reply failed = viewer.get("api/v1/workspaces/a/runs?workflow=paged&state=FAILED");
    assertThat(failed.json().get("runs")).isEmpty();
    assertThat(failed.json().get("next").isNull()).isTrue();
    ConsoleClient.Reply success =
        viewer.get("api/v1/workspaces/a/runs?workflow=paged&state=success,failed&limit=500");
    assertThat(success.json().get("runs")).hasSize(5);
  }

  @Test
  void theAuditTrailIsPagedNewestFirstWithACursor() throws Exception {
    PlatformClient s = platform.client(Actor.SYSTEM, WS);
    for (int i = 0; i < 4; i++) {
      s.setPool(fresh("audited"), 1);
    }
    List<Long> expected =
        s.audit(io.flinkplatform.engine.access.AuditQuery.latest(4).byAction("limit.set")).stream()
            .map(io.flinkplatform.engine.access.AuditEntry::id)
            .toList();
    ConsoleClient admin = as("admin");
    List<Long> seen = new ArrayList<>();
    ConsoleClient.Reply first =
        admin.get("api/v1/workspaces/a/audit?action=limit.set&limit=2&actor=system");
    first.json().get("entries").forEach(e -> seen.add(e.get("id").asLong()));
    long cursor = first.json().get("next").asLong();
    assertThat(cursor).isEqualTo(seen.get(1));
    ConsoleClient.Reply second =
        admin.get(
            "api/v1/workspaces/a/audit?action=limit.set&limit=2&actor=system&before=" + cursor);
    second.json().get("entries").forEach(e -> seen.add(e.get("id").asLong()));
    assertThat(seen).isEqualTo(expected);
    assertThat(second.json().get("entries").get(0).get("workspace").asText()).isEqualTo(WS);
    // the platform's trail, for a platform administrator, pages the same way
    ConsoleClient.Reply all =
        as(ROOT)
            .get("api/v1/audit?workspace=a&actor=system&action=limit.set&limit=2&before=" + cursor);
    assertThat(all.status()).isEqualTo(200);
    assertThat(all.json().get("entries").get(0).get("id").asLong()).isEqualTo(expected.get(2));
  }

  @Test
  void badInputIsA400NamingTheFieldAndWhatItAllowsAndWritesNothing() throws Exception {
    String w = "api/v1/workspaces/a";
    String run = w + "/runs/" + endedRun;
    Map<String, Object> spec = new LinkedHashMap<>(yearlyJson());
    // method, path, body, the field named, what the message says
    Object[][] cases = {
      {"GET", w + "/runs?state=NOPE", null, "state", "CREATED, RUNNING"},
      {"GET", w + "/runs?limit=0", null, "limit", "from 1 to 500"},
      {"GET", w + "/runs?from=yesterday", null, "from", "ISO-8601"},
      {"GET", w + "/runs?before=-3", null, "before", "positive"},
      {"GET", w + "/workflows/w/diff?from=1", null, "to", "required"},
      {"GET", w + "/runs/x", null, "runId", "positive"},
      {
        "GET",
        w + "/runs/" + failedRun + "/attempts/" + failedAttempt + "/log?max=1",
        null,
        "max",
        "from 4 to"
      },
      {
        "POST",
        run + "/rerun",
        Map.of("mode", "ALL"),
        "mode",
        "FAILED_TASKS, TASK, TASK_AND_UPSTREAM"
      },
      {"POST", run + "/rerun", Map.of("mode", "TASK"), "task", "required"},
      {"POST", run + "/tasks/t/mark", Map.of("state", "FAILED"), "state", "SUCCESS, SKIPPED"},
      {"POST", run + "/tasks/t/mark", Map.of("state", "MAYBE"), "state", "UPSTREAM_FAILED"},
      {
        "PUT",
        w + "/members/zed",
        Map.of("role", "OWNER"),
        "role",
        "VIEWER, OPERATOR, EDITOR, ADMIN"
      },
      {"PUT", w + "/schedules/n", Map.of("workflowName", "w"), "cron", "required"},
      {
        "PUT",
        w + "/schedules/n",
        with(spec, "dstGap", "NEVER"),
        "dstGap",
        "SKIP, RUN_AT_NEXT_VALID"
      },
      {"PUT", w + "/schedules/n", with(spec, "zone", "Mars/Base"), "zone", "time zone"},
      {
        "PUT",
        w + "/schedules/n",
        with(spec, "misfire", Map.of("kind", "LATER")),
        "misfire.kind",
        "SKIP, FIRE_ONCE, CATCH_UP"
      },
      {"PUT", w + "/schedules/n", with(spec, "name", "m"), "name", "path"},
      {"POST", w + "/workflows/w/trigger", Map.of("logicalDate", "soon"), "logicalDate", "ISO"},
      {
        "POST", w + "/workflows/w/trigger", Map.of("parameters", List.of(1)), "parameters", "object"
      },
      {"POST", w + "/workflows/w/trigger", Map.of("version", 0), "version", "from 1"},
      {"POST", w + "/runs", Map.of("runs", List.of()), "runs", "1 to 1000"},
      {"POST", w + "/workflows", "{nope", "body", "not JSON"},
      {"PUT", w + "/pools/p", Map.of("slots", 0), "slots", "from 1"},
      {"PUT", w + "/limits/WORKFLOW/x", Map.of("slots", 1), "kind", "POOL, TASK_TYPE"},
      {"DELETE", w + "/limits/NOPE/x", null, "kind", "POOL, TASK_TYPE, WORKFLOW, RUNS"},
      {"PUT", w + "/caps", Map.of("maxActiveRuns", 0), "maxActiveRuns", "from 1"},
      {"PUT", w + "/caps", Map.of("minCronInterval", "often"), "minCronInterval", "duration"},
      {"POST", w + "/backfills", Map.of("workflow", "w", "from", "x"), "from", "ISO-8601"},
      {"POST", w + "/grants", Map.of("to", OTHER), "kind", "required"},
      {
        "POST",
        "api/v1/me/tokens",
        Map.of("name", "t", "validityDays", 99999),
        "validityDays",
        "3660"
      },
      {
        "PUT",
        "api/v1/users/target/disabled",
        Map.of("disabled", "yes"),
        "disabled",
        "true or false"
      },
    };
    quiet();
    String before = fingerprint();
    long audit = lastAuditId();
    ConsoleClient admin = as("admin");
    for (Object[] c : cases) {
      ConsoleClient.Reply r = admin.send((String) c[0], (String) c[1], c[2]);
      String what = c[0] + " " + c[1] + " " + c[2] + " -> " + r.body();
      assertThat(r.status()).as(what).isEqualTo(400);
      assertThat(r.json().get("error").asText()).as(what).isEqualTo("InvalidRequestException");
      assertThat(r.json().get("field").asText()).as(what).isEqualTo(c[3]);
      assertThat(r.json().get("message").asText()).as(what).contains((String) c[4]);
    }
    assertThat(auditAfter(audit)).isEmpty();
    assertThat(fingerprint()).isEqualTo(before);
  }

  private static Map<String, Object> with(Map<String, Object> m, String key, Object value) {
    Map<String, Object> copy = new LinkedHashMap<>(m);
    copy.put(key, value);
    return copy;
  }

  @Test
  void aLogIsReadAsABoundedChunkOrDownloadedThroughTheClient() {
    PlatformClient s = platform.client(Actor.SYSTEM, WS);
    String whole =
        s.log(failedAttempt, io.flinkplatform.engine.run.LogRange.from(0, 1 << 20)).text();
    assertThat(whole).isNotEmpty();
    ConsoleClient viewer = as("viewer");
    String log = "api/v1/workspaces/a/runs/" + failedRun + "/attempts/" + failedAttempt + "/log";
    ConsoleClient.Reply chunk = viewer.get(log + "?offset=0&max=4");
    assertThat(chunk.status()).isEqualTo(200);
    assertThat(chunk.json().get("start").asLong()).isZero();
    assertThat(chunk.json().get("end").asLong()).isLessThanOrEqualTo(4);
    assertThat(chunk.json().get("size").asLong())
        .isEqualTo(whole.getBytes(StandardCharsets.UTF_8).length);
    assertThat(whole).startsWith(chunk.json().get("text").asText());
    ConsoleClient.Reply rest = viewer.get(log + "?offset=" + chunk.json().get("end").asLong());
    assertThat(chunk.json().get("text").asText() + rest.json().get("text").asText())
        .isEqualTo(whole);
    ConsoleClient.Reply tail = viewer.get(log);
    assertThat(tail.json().get("text").asText()).isEqualTo(whole);
    ConsoleClient.Reply download = viewer.get(log + "/download");
    assertThat(download.status()).isEqualTo(200);
    assertThat(download.header("Content-Type").orElseThrow()).startsWith("text/plain");
    assertThat(download.header("Content-Disposition").orElseThrow())
        .startsWith("attachment; filename=\"run-" + failedRun + "-t-1.log");
    assertThat(download.body()).isEqualTo(whole);
    // an attempt of another run, through this run's path, is not found
    ConsoleClient.Reply other =
        viewer.get("api/v1/workspaces/a/runs/" + endedRun + "/attempts/" + failedAttempt + "/log");
    assertThat(other.status()).isEqualTo(404);
    assertThat(other.json().get("error").asText()).isEqualTo("NotFoundException");
  }

  @Test
  void aTokenSecretIsInItsCreationAnswerOnlyAndARevokedTokenStopsWorking() {
    ConsoleClient editor = as("editor");
    ConsoleClient.Reply created =
        editor.post("api/v1/me/tokens", Map.of("name", "ci", "validityDays", 7));
    assertThat(created.status()).isEqualTo(201);
    String secret = created.json().get("token").asText();
    long id = created.json().get("info").get("id").asLong();
    assertThat(secret).startsWith("fpt_" + id + "_");
    ConsoleClient.Reply listed = editor.get("api/v1/me/tokens");
    assertThat(listed.body())
        .contains("\"ci\"")
        .doesNotContain(secret.substring(5 + String.valueOf(id).length()));
    ConsoleClient fresh = as(NONE).token(secret);
    assertThat(fresh.get("api/v1/workspaces").status()).isEqualTo(200);
    // another user's token id is not found (and not revoked) under /me
    assertThat(as("viewer").delete("api/v1/me/tokens/" + id).status()).isEqualTo(404);
    assertThat(fresh.get("api/v1/workspaces").status()).isEqualTo(200);
    assertThat(editor.delete("api/v1/me/tokens/" + id).status()).isEqualTo(204);
    assertThat(fresh.get("api/v1/workspaces").status()).isEqualTo(401);
  }

  @Test
  void aResourceIsUploadedAsARawBodyAndDownloadedAsIs() {
    ConsoleClient editor = as("editor");
    String content = "select 1;\n-- " + "x".repeat(100);
    ConsoleClient.Reply up = editor.post("api/v1/workspaces/a/resources/q.sql", content);
    assertThat(up.status()).as(up.body()).isEqualTo(201);
    assertThat(up.json().get("version").asInt()).isEqualTo(1);
    assertThat(up.json().get("size").asLong()).isEqualTo(content.length());
    ConsoleClient.Reply down =
        as("viewer").get("api/v1/workspaces/a/resources/q.sql/versions/1/content");
    assertThat(down.status()).isEqualTo(200);
    assertThat(down.body()).isEqualTo(content);
    assertThat(as("viewer").get("api/v1/workspaces/a/resources/q.sql/versions").json()).hasSize(1);
    ConsoleClient.Reply missing =
        as("viewer").get("api/v1/workspaces/a/resources/q.sql/versions/9/content");
    assertThat(missing.status()).isEqualTo(404);
    // past the upload limit: 413, and nothing stored
    ConsoleClient.Reply big =
        editor.post("api/v1/workspaces/a/resources/big.bin", "b".repeat(MAX_UPLOAD + 8192));
    assertThat(big.status()).as(big.body()).isEqualTo(413);
    assertThat(platform.client(Actor.SYSTEM, WS).resourceVersions("big.bin")).isEmpty();
  }

  // --- fixtures

  private static Map<String, Object> noopJson(String name) {
    return Map.of("name", name, "tasks", List.of(Map.of("id", "t", "type", "noop")));
  }

  private static Map<String, Object> yearlyJson() {
    return Map.of("workflowName", "w", "cron", "0 0 1 1 *", "zone", "UTC", "paused", true);
  }

  static ScheduleSpec yearly(String name) {
    return ScheduleSpec.builder(name, "w", "0 0 1 1 *").zone("UTC").paused(true).build();
  }

  private static BackfillRequest oneDay() {
    LocalDate day = LocalDate.of(2020, 1, 1);
    return BackfillRequest.builder("w").daily(day, day, ZoneOffset.UTC).build();
  }

  static long ended(PlatformClient s, String workflow) {
    long run = s.trigger(workflow);
    assertThat(s.awaitRun(run, Duration.ofSeconds(30)).state().isFinal()).isTrue();
    return run;
  }

  /** Waits until no run of the workspace is active and every backfill ended. */
  static void quiet() throws InterruptedException {
    PlatformClient s = platform.client(Actor.SYSTEM, WS);
    Await.until(
        () ->
            s.runs(RunQuery.latest(100)).runs().stream().allMatch(r -> r.state().isFinal())
                && (backfill == 0 || s.backfillStatus(backfill).state() != Backfill.State.RUNNING));
  }

  // --- the database as a whole (as RoleMatrixTest reads it)

  /** The fingerprint of every table; a call over HTTP also moves its token's or session's use. */
  static String fingerprint() throws Exception {
    return TableFingerprint.of(platforms.dataSource(), Set.of("last_used_at", "seen_at"));
  }

  static long lastAuditId() throws Exception {
    try (Connection c = platforms.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT COALESCE(MAX(id), 0) FROM t_audit")) {
      r.next();
      return r.getLong(1);
    }
  }

  static List<String> auditAfter(long id) throws Exception {
    try (Connection c = platforms.dataSource().getConnection();
        PreparedStatement ps =
            c.prepareStatement("SELECT actor, action FROM t_audit WHERE id > ? ORDER BY id")) {
      ps.setLong(1, id);
      List<String> rows = new ArrayList<>();
      try (ResultSet r = ps.executeQuery()) {
        while (r.next()) {
          rows.add(r.getString(1) + " " + r.getString(2));
        }
      }
      return rows;
    }
  }

  static Optional<String> token(String caller) {
    return Optional.ofNullable(TOKENS.get(caller));
  }
}

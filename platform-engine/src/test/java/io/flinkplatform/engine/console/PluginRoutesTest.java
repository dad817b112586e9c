package io.flinkplatform.engine.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.flinkplatform.engine.Platform;
import io.flinkplatform.engine.testing.Sql;
import io.flinkplatform.engine.testing.TestPlatforms;
import io.flinkplatform.spi.Actor;
import io.flinkplatform.spi.ApiFailure;
import io.flinkplatform.spi.ApiOperation;
import io.flinkplatform.spi.ApiOperation.Column;
import io.flinkplatform.spi.InvalidInputException;
import io.flinkplatform.spi.PluginContext;
import io.flinkplatform.spi.Role;
import io.flinkplatform.spi.TaskPlugin;
import io.flinkplatform.spi.TaskType;
import java.net.URI;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A plugin's REST operations served by the console on a real server and database: the role is
 * checked before the plugin's handler runs, the plugin's failures become typed JSON errors without
 * what it did not vouch for, a change writes its audit row in the plugin's transaction, the
 * operations are in the OpenAPI document, and the page shows the rows with buttons only for the
 * roles that may press them.
 */
class PluginRoutesTest {
  static final String PASSWORD = "correct horse battery staple";
  private static final AtomicInteger CALLS = new AtomicInteger();
  private static TestPlatforms platforms;
  private static URI base;

  /** A plugin with a list, a per-row action that audits, and a create that fails on purpose. */
  static final class ThingsPlugin implements TaskPlugin {
    private volatile PluginContext context;

    @Override
    public String name() {
      return "things";
    }

    @Override
    public List<TaskType> taskTypes() {
      return List.of();
    }

    @Override
    public void start(PluginContext context) {
      this.context = context;
    }

    record Thing(String name, String kind, String password, String webUrl) {}

    /** A plugin's own typed failure, safe to show. */
    static final class ThingNotFoundException extends RuntimeException implements ApiFailure {
      ThingNotFoundException(String name) {
        super("no thing " + name);
      }
    }

    @Override
    public List<ApiOperation> apiOperations() {
      return List.of(
          ApiOperation.get(
                  "datasources",
                  Role.VIEWER,
                  "The things",
                  r -> {
                    CALLS.incrementAndGet();
                    return List.of(
                        new Thing("a", "one", "******", "https://ui.example/a"),
                        new Thing("b", "<two>", "******", "javascript:alert(1)"));
                  })
              .withColumns(Column.of("name", "Name"), Column.of("kind"), Column.of("webUrl")),
          ApiOperation.get(
              "datasources/{name}",
              Role.VIEWER,
              "One thing",
              r -> {
                throw new ThingNotFoundException(r.path("name"));
              }),
          ApiOperation.post(
              "datasources/{name}/poke",
              Role.OPERATOR,
              "thing.poke",
              "Poke a thing",
              r -> {
                CALLS.incrementAndGet();
                try (Connection c = context.database().getConnection()) {
                  c.setAutoCommit(false);
                  context
                      .access()
                      .audit(
                          c,
                          r.actor(),
                          r.workspace(),
                          "thing.poke",
                          "thing:" + r.path("name"),
                          "poked" + r.query("hard").map(h -> " hard").orElse(""));
                  c.commit();
                }
                return Map.of("ok", true, "message", "poked " + r.path("name"));
              }),
          ApiOperation.post(
                  "datasources",
                  Role.EDITOR,
                  "thing.create",
                  "Create a thing",
                  r -> {
                    CALLS.incrementAndGet();
                    String name = r.text("name", true).orElseThrow();
                    switch (name) {
                      case "bad" -> throw new IllegalArgumentException("name: not that one");
                      case "dup" -> throw new IllegalStateException("thing dup exists");
                      case "boom" -> throw new RuntimeException("password=hunter2 leaked");
                      default -> {
                        if (name.length() > 5) {
                          throw new InvalidInputException("name", "at most 5 characters");
                        }
                      }
                    }
                    return Map.of("name", name, "body", r.bodyText().length());
                  })
              .withBody("{\"name\": the thing's name}"));
    }
  }

  @BeforeAll
  static void start() {
    platforms = new TestPlatforms();
    Platform platform =
        platforms.start(
            "plugin-routes",
            b -> b.plugin(new ThingsPlugin()).console(ConsoleSettings.builder().port(0).build()));
    base = platform.consoleUri().orElseThrow();
    var users = platform.users(Actor.SYSTEM);
    users.createUser("vic", "Viewer", PASSWORD.toCharArray());
    users.createUser("olga", "Operator", PASSWORD.toCharArray());
    users.createUser("ed", "Editor", PASSWORD.toCharArray());
    users.createUser("nora", "Nobody", PASSWORD.toCharArray());
    platform.client().setMember("vic", Role.VIEWER);
    platform.client().setMember("olga", Role.OPERATOR);
    platform.client().setMember("ed", Role.EDITOR);
  }

  @AfterAll
  static void stop() {
    platforms.close();
  }

  private static ConsoleClient as(String user) {
    ConsoleClient c = new ConsoleClient(base);
    assertThat(c.login(user, PASSWORD).status()).isEqualTo(200);
    return c;
  }

  private static final String API = "api/v1/workspaces/default/";

  @Test
  void aViewerReadsTheListButItsPokeIsRefusedBeforeTheHandlerRuns() throws Exception {
    ConsoleClient vic = as("vic");
    ConsoleClient.Reply list = vic.get(API + "datasources");
    assertThat(list.status()).isEqualTo(200);
    assertThat(list.json()).hasSize(2);
    assertThat(list.json().get(0).get("name").asText()).isEqualTo("a");

    int calls = CALLS.get();
    long audits = audits("thing.poke");
    ConsoleClient.Reply poke = vic.post(API + "datasources/a/poke", Map.of());
    assertThat(poke.status()).isEqualTo(403);
    JsonNode e = poke.json();
    assertThat(e.get("error").asText()).isEqualTo("AccessDeniedException");
    assertThat(e.get("action").asText()).isEqualTo("thing.poke");
    assertThat(e.get("needed").asText()).isEqualTo("OPERATOR");
    assertThat(CALLS.get()).isEqualTo(calls);
    assertThat(audits("thing.poke")).isEqualTo(audits);

    ConsoleClient nora = as("nora");
    ConsoleClient.Reply notMember = nora.get(API + "datasources");
    assertThat(notMember.status()).isEqualTo(403);
    assertThat(CALLS.get()).isEqualTo(calls);
  }

  @Test
  void anOperatorsPokeRunsAndWritesItsAuditRow() throws Exception {
    ConsoleClient olga = as("olga");
    ConsoleClient.Reply poke = olga.post(API + "datasources/b/poke?hard=1", Map.of());
    assertThat(poke.status()).isEqualTo(200);
    assertThat(poke.json().get("message").asText()).isEqualTo("poked b");
    List<String> rows = new ArrayList<>();
    Sql.query(
        platforms.dataSource(),
        "SELECT actor, workspace, target, digest FROM t_audit WHERE action = 'thing.poke'",
        r ->
            rows.add(
                r.getString(1)
                    + " "
                    + r.getString(2)
                    + " "
                    + r.getString(3)
                    + " "
                    + r.getString(4)));
    assertThat(rows).contains("olga default thing:b poked hard");
  }

  @Test
  void failuresAreTypedErrorsWithTheirFieldAndUnexpectedOnesShowNothing() {
    ConsoleClient ed = as("ed");
    ConsoleClient.Reply missing = ed.post(API + "datasources", Map.of());
    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.json().get("error").asText()).isEqualTo("InvalidRequestException");
    assertThat(missing.json().get("field").asText()).isEqualTo("name");

    ConsoleClient.Reply tooLong = ed.post(API + "datasources", Map.of("name", "toolong"));
    assertThat(tooLong.status()).isEqualTo(400);
    assertThat(tooLong.json().get("field").asText()).isEqualTo("name");
    assertThat(tooLong.json().get("message").asText()).contains("at most 5 characters");

    ConsoleClient.Reply bad = ed.post(API + "datasources", Map.of("name", "bad"));
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().get("error").asText()).isEqualTo("IllegalArgumentException");

    ConsoleClient.Reply dup = ed.post(API + "datasources", Map.of("name", "dup"));
    assertThat(dup.status()).isEqualTo(409);
    assertThat(dup.json().get("error").asText()).isEqualTo("IllegalStateException");

    ConsoleClient.Reply boom = ed.post(API + "datasources", Map.of("name", "boom"));
    assertThat(boom.status()).isEqualTo(500);
    assertThat(boom.body()).doesNotContain("hunter2").doesNotContain("leaked");

    ConsoleClient.Reply notJson = ed.post(API + "datasources", "[1]");
    assertThat(notJson.status()).isEqualTo(400);
    assertThat(notJson.json().get("field").asText()).isEqualTo("body");

    ConsoleClient.Reply created = ed.post(API + "datasources", Map.of("name", "c"));
    assertThat(created.status()).isEqualTo(200);
    assertThat(created.json().get("body").asInt()).isPositive();

    ConsoleClient.Reply none = ed.get(API + "datasources/zz");
    assertThat(none.status()).isEqualTo(404);
    assertThat(none.json().get("error").asText()).isEqualTo("ThingNotFoundException");
    assertThat(none.json().get("message").asText()).isEqualTo("no thing zz");

    ConsoleClient.Reply otherWs = ed.get("api/v1/workspaces/nowhere/datasources");
    assertThat(otherWs.status()).isEqualTo(403);
  }

  @Test
  void theOperationsAreInTheOpenApiDocumentWithTheirRole() {
    JsonNode doc = as("vic").get("api/v1/openapi.json").json();
    JsonNode paths = doc.get("paths");
    assertThat(
            paths.has("/api/v1/workspaces/{ws}/datasources/{name}/poke")
                || paths.has("/workspaces/{ws}/datasources/{name}/poke"))
        .as("paths %s", paths.fieldNames())
        .isTrue();
    assertThat(doc.toString()).contains("Poke a thing (needs role operator; action thing.poke)");
  }

  @Test
  void thePageShowsTheRowsEscapedAndTheButtonsOnlyToRolesThatMayPressThem() {
    String viewer = as("vic").get("w/default/datasources").body();
    assertThat(viewer)
        .contains("The things")
        .contains("&lt;two&gt;")
        .contains("href=\"https://ui.example/a\"")
        .doesNotContain("href=\"javascript:")
        .doesNotContain("/poke")
        .doesNotContain("Create a thing");
    String operator = as("olga").get("w/default/datasources").body();
    assertThat(operator)
        .contains("data-api=\"POST /api/v1/workspaces/default/datasources/a/poke\"")
        .doesNotContain("Create a thing");
    String editor = as("ed").get("w/default/datasources").body();
    assertThat(editor).contains("Create a thing").contains("data-json");
    assertThat(as("vic").get("w/default/flink").body()).contains("No plugin offers this section");
  }

  private static long audits(String action) {
    return Sql.single(
        platforms.dataSource(), "SELECT COUNT(*) FROM t_audit WHERE action = '" + action + "'");
  }
}

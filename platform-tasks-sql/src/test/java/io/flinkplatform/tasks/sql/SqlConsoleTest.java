package io.flinkplatform.tasks.sql;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.flinkplatform.engine.console.ConsoleClient;
import io.flinkplatform.engine.console.ConsoleSettings;
import io.flinkplatform.engine.testing.Sql;
import io.flinkplatform.spi.Actor;
import io.flinkplatform.spi.Role;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The plugin's datasource operations through the real console over HTTP on the real database:
 * create, list, test a connection (one that answers, one that does not), refusals by role, typed
 * errors, the page; no password or secret property value in any response.
 */
@Timeout(180)
class SqlConsoleTest {
  private static final String LOGIN = "correct horse battery staple";
  private static final String DB_PASSWORD = "Console-Db-S3cret";
  private static final String PROPERTY_SECRET = "Console-Prop-S3cret";
  private static SqlTestPlatform sql;
  private static URI base;
  private static final List<String> SEEN = new ArrayList<>();
  private static final String API = "api/v1/workspaces/default/";

  @BeforeAll
  static void start() {
    sql = new SqlTestPlatform(b -> b.console(ConsoleSettings.builder().port(0).build()));
    base = sql.platform.consoleUri().orElseThrow();
    var users = sql.platform.users(Actor.SYSTEM);
    users.createUser("ed", "Editor", LOGIN.toCharArray());
    users.createUser("vic", "Viewer", LOGIN.toCharArray());
    sql.platform.client().setMember("ed", Role.EDITOR);
    sql.platform.client().setMember("vic", Role.VIEWER);
  }

  @AfterAll
  static void stop() {
    if (sql != null) {
      sql.close();
    }
    for (String body : SEEN) {
      assertThat(body).doesNotContain(DB_PASSWORD).doesNotContain(PROPERTY_SECRET);
    }
  }

  private static ConsoleClient as(String user) {
    ConsoleClient c = new ConsoleClient(base);
    assertThat(c.login(user, LOGIN).status()).isEqualTo(200);
    return c;
  }

  /** Every answer is kept and checked for secrets. */
  private static ConsoleClient.Reply seen(ConsoleClient.Reply r) {
    SEEN.add(r.body());
    return r;
  }

  private static Map<String, Object> spec(String name, String url) {
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("name", name);
    spec.put("type", "mariadb");
    spec.put("url", url);
    spec.put("user", "root");
    spec.put("password", DB_PASSWORD);
    spec.put("properties", Map.of("trustStorePassword", PROPERTY_SECRET, "connectTimeout", "4000"));
    return spec;
  }

  @Test
  void anEditorCreatesAndTestsDatasourcesAndNoAnswerHoldsASecret() {
    ConsoleClient ed = as("ed");
    String good = SqlTestPlatform.mariaDb().url();
    ConsoleClient.Reply created = seen(ed.post(API + "datasources", spec("dw", good)));
    assertThat(created.status()).as(created.body()).isEqualTo(200);
    assertThat(created.json().get("password").asText()).isEqualTo("ENCRYPTED");
    assertThat(created.json().get("properties").get("trustStorePassword").asText())
        .isEqualTo("******");
    assertThat(
            seen(ed.post(API + "datasources", spec("down", "jdbc:mariadb://127.0.0.1:1/x")))
                .status())
        .isEqualTo(200);

    ConsoleClient vic = as("vic");
    ConsoleClient.Reply list = seen(vic.get(API + "datasources"));
    assertThat(list.status()).isEqualTo(200);
    Map<String, JsonNode> byName = new LinkedHashMap<>();
    list.json().forEach(d -> byName.put(d.get("name").asText(), d));
    assertThat(byName).containsKeys("down", "dw");
    assertThat(byName.get("dw").get("url").asText()).isEqualTo(good);
    assertThat(byName.get("dw").get("user").asText()).isEqualTo("root");

    ConsoleClient.Reply refused = seen(vic.post(API + "datasources/dw/test", null));
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.json().get("action").asText()).isEqualTo("datasource.test");

    JsonNode ok = seen(ed.post(API + "datasources/dw/test", null)).json();
    assertThat(ok.get("ok").asBoolean()).as(ok.toString()).isTrue();
    assertThat(ok.get("database").asText()).containsIgnoringCase("MariaDB");
    JsonNode down = seen(ed.post(API + "datasources/down/test", null)).json();
    assertThat(down.get("ok").asBoolean()).isFalse();
    assertThat(down.get("message").asText()).isNotBlank();

    assertThat(
            Sql.single(
                sql.platforms.dataSource(),
                "SELECT COUNT(*) FROM t_audit WHERE action = 'datasource.create' AND actor = 'ed'"
                    + " AND target IN ('datasource:dw', 'datasource:down')"))
        .isEqualTo(2);

    String editorPage = seen(ed.get("w/default/datasources")).body();
    assertThat(editorPage)
        .contains("dw")
        .contains("data-api=\"POST /api/v1/workspaces/default/datasources/dw/test\"");
    String viewerPage = seen(vic.get("w/default/datasources")).body();
    assertThat(viewerPage).contains("dw").doesNotContain("/test\"");

    assertThat(seen(ed.delete(API + "datasources/down")).json().get("deleted").asBoolean())
        .isTrue();
  }

  @Test
  void badInputIsATypedErrorNamingTheField() {
    ConsoleClient ed = as("ed");
    Map<String, Object> noType = spec("x1", SqlTestPlatform.mariaDb().url());
    noType.remove("type");
    ConsoleClient.Reply missing = seen(ed.post(API + "datasources", noType));
    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.json().get("field").asText()).isEqualTo("type");

    Map<String, Object> oddType = spec("x2", SqlTestPlatform.mariaDb().url());
    oddType.put("type", "dbase");
    ConsoleClient.Reply odd = seen(ed.post(API + "datasources", oddType));
    assertThat(odd.status()).isEqualTo(400);
    assertThat(odd.json().get("message").asText()).contains("MARIADB");

    Map<String, Object> passwordInUrl =
        spec("x3", "jdbc:mariadb://root:" + DB_PASSWORD + "@127.0.0.1:1/x");
    ConsoleClient.Reply inUrl = seen(ed.post(API + "datasources", passwordInUrl));
    assertThat(inUrl.status()).isEqualTo(400);

    ConsoleClient.Reply unknown = seen(ed.post(API + "datasources/nothing/test", null));
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.json().get("error").asText()).isEqualTo("DatasourceNotFoundException");

    Map<String, Object> twice = spec("x4", SqlTestPlatform.mariaDb().url());
    assertThat(seen(ed.post(API + "datasources", twice)).status()).isEqualTo(200);
    ConsoleClient.Reply again = seen(ed.post(API + "datasources", twice));
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.json().get("error").asText()).isEqualTo("DatasourceException");
  }
}

package io.flinkplatform.engine.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.flinkplatform.engine.KeyRing;
import io.flinkplatform.engine.Platform;
import io.flinkplatform.engine.PlatformClient;
import io.flinkplatform.engine.access.Users;
import io.flinkplatform.engine.alert.AlertKind;
import io.flinkplatform.engine.alert.AlertRule;
import io.flinkplatform.engine.alert.ChannelSpec;
import io.flinkplatform.engine.testing.TestPlatforms;
import io.flinkplatform.spi.Actor;
import io.flinkplatform.spi.Role;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The alert routes and pages over HTTP on a real server and database, through the client of the
 * logged-in actor: channels, rules and silences saved with a session and its CSRF token and with an
 * API token, refused to a viewer with nothing written, bad fields named, the pages showing what was
 * saved with the buttons a role may press, and a channel's secret nowhere in a page or an answer.
 */
class AlertsConsoleTest {
  static final String PASSWORD = "correct horse battery staple";
  static final String SECRET = "tok-" + "Zq81xS3cr3tValue";
  static final String API = "api/v1/workspaces/default/alerts";
  private static TestPlatforms platforms;
  private static Platform platform;
  private static String edToken;

  @BeforeAll
  static void start() {
    platforms = new TestPlatforms();
    String key = Base64.getEncoder().encodeToString(new byte[32]);
    platform =
        platforms.start(
            "alertconsole",
            b ->
                b.keyRing(() -> KeyRing.of("k1", key))
                    .console(ConsoleSettings.builder().port(0).build()));
    Users users = platform.users(Actor.SYSTEM);
    users.createUser("ed", "Editor", PASSWORD.toCharArray());
    users.createUser("op", "Operator", PASSWORD.toCharArray());
    users.createUser("vic", "Viewer", PASSWORD.toCharArray());
    platform.client().setMember("ed", Role.EDITOR);
    platform.client().setMember("op", Role.OPERATOR);
    platform.client().setMember("vic", Role.VIEWER);
    edToken = users.createToken("ed", "ci", Duration.ofDays(1)).token();
  }

  @AfterAll
  static void stop() {
    platforms.close();
  }

  private static ConsoleClient login(String user) {
    ConsoleClient c = new ConsoleClient(platform.consoleUri().orElseThrow());
    assertThat(c.login(user, PASSWORD).status()).isEqualTo(200);
    return c;
  }

  private static Map<String, Object> channel(String url, String token) {
    Map<String, Object> options = new LinkedHashMap<>();
    options.put("url", url);
    if (token != null) {
      options.put("token", token);
    }
    options.put("retries", 3);
    return Map.of("type", "consoletest", "options", options);
  }

  @Test
  void anEditorSavesAChannelAndARuleWithItsSessionAndSeesThemListed() {
    ConsoleClient ed = login("ed");
    ConsoleClient.Reply saved =
        ed.send("PUT", API + "/channels/ops", channel("http://hooks.test/ops", SECRET));
    assertThat(saved.status()).as(saved.body()).isEqualTo(200);
    assertThat(saved.json().get("options").get("token").asText()).isEqualTo("******");
    assertThat(saved.json().get("options").get("retries").asInt()).isEqualTo(3);
    Map<String, Object> rule =
        Map.of(
            "kind",
            "RUN_OVERDUE",
            "channels",
            List.of("ops"),
            "workflow",
            "daily_*",
            "after",
            "90m",
            "rateLimit",
            "5m");
    ConsoleClient.Reply put = ed.send("PUT", API + "/rules/slow", rule);
    assertThat(put.status()).as(put.body()).isEqualTo(200);
    JsonNode got = ed.get(API + "/rules/slow").json();
    assertThat(got.get("kind").asText()).isEqualTo("RUN_OVERDUE");
    assertThat(got.get("after").asText()).isEqualTo("PT1H30M");
    assertThat(got.get("rateLimit").asText()).isEqualTo("PT5M");
    assertThat(got.get("severity").asText()).isEqualTo("WARNING");
    assertThat(got.get("enabled").asBoolean()).isTrue();
    assertThat(platform.client().alerts().rule("slow").orElseThrow().after())
        .isEqualTo(Duration.ofMinutes(90));
    // a deadline rule: HH:mm in a zone
    ConsoleClient.Reply deadline =
        ed.send(
            "PUT",
            API + "/rules/by-nine",
            Map.of(
                "kind",
                "RUN_DEADLINE",
                "channels",
                List.of("ops"),
                "deadline",
                "09:00",
                "zone",
                "Europe/Berlin"));
    assertThat(deadline.status()).as(deadline.body()).isEqualTo(200);
    assertThat(deadline.json().get("deadline").asText()).isEqualTo("09:00");
    assertThat(deadline.json().get("zone").asText()).isEqualTo("Europe/Berlin");
    // what a GET answers goes back as is, with enabled flipped (the page's disable button)
    Map<String, Object> back = new LinkedHashMap<>(ConsoleClient.JSON.convertValue(got, Map.class));
    back.put("enabled", false);
    assertThat(ed.send("PUT", API + "/rules/slow", back).status()).isEqualTo(200);
    assertThat(platform.client().alerts().rule("slow").orElseThrow().enabled()).isFalse();

    ConsoleClient.Reply rules = ed.get("w/default/alerts/rules");
    assertThat(rules.status()).isEqualTo(200);
    assertThat(rules.body())
        .contains("data-rule=\"slow\"", "RUN_OVERDUE", "daily_*", "Enable", "Save the rule")
        .contains("data-rule=\"by-nine\"", "deadline 09:00 Europe/Berlin");
    ConsoleClient.Reply edit = ed.get("w/default/alerts/rules?edit=slow");
    assertThat(edit.body()).contains("Edit the rule", "value=\"PT1H30M\"");
    ConsoleClient.Reply channels = ed.get("w/default/alerts/channels");
    assertThat(channels.body())
        .contains("data-channel=\"ops\"", "http://hooks.test/ops", "Send test", "******")
        .contains("name=\"option.token\" type=\"password\"", "name=\"option.format\"");

    assertThat(ed.delete(API + "/rules/by-nine").status()).isEqualTo(204);
    assertThat(ed.get(API + "/rules/by-nine").status()).isEqualTo(404);
    // the channel is still used by a rule: refused, naming it
    ConsoleClient.Reply used = ed.delete(API + "/channels/ops");
    assertThat(used.status()).as(used.body()).isEqualTo(409);
    assertThat(used.body()).contains("slow");
  }

  @Test
  void aTokenCallNeedsNoCsrfAndASessionCallWithoutItIsRefused() {
    ConsoleClient bearer = new ConsoleClient(platform.consoleUri().orElseThrow()).token(edToken);
    ConsoleClient.Reply saved =
        bearer.send("PUT", API + "/channels/ci", channel("http://hooks.test/ci", null));
    assertThat(saved.status()).as(saved.body()).isEqualTo(200);
    ConsoleClient.Reply rule =
        bearer.send(
            "PUT",
            API + "/rules/ci-failed",
            Map.of("kind", "RUN_FAILED", "channels", List.of("ci")));
    assertThat(rule.status()).as(rule.body()).isEqualTo(200);
    assertThat(rule.json().get("severity").asText()).isEqualTo("CRITICAL");
    assertThat(bearer.delete(API + "/rules/ci-failed").status()).isEqualTo(204);
    assertThat(bearer.delete(API + "/channels/ci").status()).isEqualTo(204);

    ConsoleClient noCsrf = login("ed").csrf(null);
    ConsoleClient.Reply refused =
        noCsrf.send("PUT", API + "/channels/nocsrf", channel("http://hooks.test/x", null));
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.json().get("error").asText()).isEqualTo("CsrfRejected");
    assertThat(platform.client().alerts().channels())
        .noneMatch(c -> c.name().equals("nocsrf") || c.name().equals("ci"));
  }

  @Test
  void aViewerReadsButIsRefusedEveryChangeAndSeesNoButtons() throws Exception {
    PlatformClient system = platform.client();
    system.alerts().putChannel(new ChannelSpec("seen", "consoletest", Map.of("url", "http://x")));
    system
        .alerts()
        .putRule(AlertRule.on("seen-rule", AlertKind.TASK_FAILED).channels("seen").build());
    ConsoleClient vic = login("vic");
    long rows = rows();
    Object[][] changes = {
      {"PUT", API + "/channels/v", channel("http://v", null), "alert.channel.save"},
      {"DELETE", API + "/channels/seen", null, "alert.channel.delete"},
      {"POST", API + "/channels/seen/test", Map.of(), "alert.test"},
      {
        "PUT",
        API + "/rules/v",
        Map.of("kind", "RUN_FAILED", "channels", List.of("seen")),
        "alert.rule.save"
      },
      {"DELETE", API + "/rules/seen-rule", null, "alert.rule.delete"},
      {"POST", API + "/silences", Map.of("duration", "1h", "reason", "r"), "alert.silence"},
    };
    for (Object[] c : changes) {
      ConsoleClient.Reply r = vic.send((String) c[0], (String) c[1], c[2]);
      assertThat(r.status()).as(c[1] + " " + r.body()).isEqualTo(403);
      assertThat(r.json().get("error").asText()).isEqualTo("AccessDeniedException");
      if (c[3] != null) {
        assertThat(r.json().get("action").asText()).isEqualTo(c[3]);
      }
    }
    assertThat(rows()).isEqualTo(rows);
    assertThat(vic.get(API + "/channels").status()).isEqualTo(200);
    assertThat(vic.get(API + "/rules").body()).contains("seen-rule");
    for (String page : List.of("alerts", "alerts/rules", "alerts/channels", "alerts/silences")) {
      ConsoleClient.Reply p = vic.get("w/default/" + page);
      assertThat(p.status()).as(page).isEqualTo(200);
      assertThat(p.body())
          .as(page)
          .doesNotContain("data-api=", "Save the rule", "Save the channel", "Silence</button>");
    }
    assertThat(vic.get("w/default/alerts/rules").body()).contains("seen-rule");
    assertThat(vic.get("w/default/").body()).contains("/w/default/alerts\">Alerts</a>");
  }

  @Test
  void badFieldsAreA400NamingTheFieldAndWriteNothing() throws Exception {
    platform
        .client()
        .alerts()
        .putChannel(new ChannelSpec("bad-ch", "consoletest", Map.of("url", "http://x")));
    ConsoleClient ed = login("ed");
    Map<String, Object> ok = Map.of("kind", "RUN_FAILED", "channels", List.of("bad-ch"));
    // method, path, body, the field named, what the message says
    Object[][] cases = {
      {"PUT", API + "/rules/r1", with(ok, "kind", "RUN_LATE"), "kind", "RUN_FAILED, RUN_KILLED"},
      {"PUT", API + "/rules/r1", Map.of("kind", "RUN_FAILED"), "channels", "required"},
      {"PUT", API + "/rules/r1", with(ok, "channels", "bad-ch"), "channels", "list"},
      {"PUT", API + "/rules/r1", with(ok, "after", "soon"), "after", "30s, 5m"},
      {"PUT", API + "/rules/r1", with(ok, "deadline", "25:00"), "deadline", "HH:mm"},
      {"PUT", API + "/rules/r1", with(ok, "zone", "Mars/Base"), "zone", "time zone"},
      {"PUT", API + "/rules/r1", with(ok, "severity", "LOUD"), "severity", "INFO, WARNING"},
      {"PUT", API + "/rules/r1", with(ok, "enabled", "yes"), "enabled", "true or false"},
      {"PUT", API + "/rules/r1", with(ok, "rateLimit", "often"), "rateLimit", "duration"},
      {"PUT", API + "/rules/r1", with(ok, "name", "r2"), "name", "path"},
      {"PUT", API + "/rules/r1", with(ok, "colour", "red"), "colour", "kind, severity"},
      {"PUT", API + "/channels/c1", Map.of("options", Map.of()), "type", "required"},
      {"PUT", API + "/channels/c1", Map.of("type", "x", "options", List.of()), "options", "object"},
      {"POST", API + "/silences", Map.of("reason", "r"), "duration", "either"},
      {"POST", API + "/silences", Map.of("duration", "1h"), "reason", "required"},
      {"POST", API + "/silences", Map.of("duration", "ever", "reason", "r"), "duration", "5m"},
      {"POST", API + "/silences", Map.of("endsAt", "x", "reason", "r"), "endsAt", "ISO-8601"},
      {"GET", API + "/history?kind=NOPE", null, "kind", "RUN_FAILED"},
      {"GET", API + "/history?state=LOST", null, "state", "PENDING, DELIVERED"},
      {"GET", API + "/history?limit=0", null, "limit", "from 1 to 500"},
      {"GET", API + "/history?from=yesterday", null, "from", "ISO-8601"},
      {"GET", API + "/history?before=-1", null, "before", "positive"},
      {"GET", API + "/history/x", null, "alertId", "positive"},
    };
    long rows = rows();
    for (Object[] c : cases) {
      ConsoleClient.Reply r = ed.send((String) c[0], (String) c[1], c[2]);
      String what = c[0] + " " + c[1] + " " + c[2] + " -> " + r.body();
      assertThat(r.status()).as(what).isEqualTo(400);
      assertThat(r.json().get("error").asText()).as(what).isEqualTo("InvalidRequestException");
      assertThat(r.json().get("field").asText()).as(what).isEqualTo(c[3]);
      assertThat(r.json().get("message").asText()).as(what).contains((String) c[4]);
    }
    assertThat(rows()).isEqualTo(rows);
    // the history page shows a bad filter instead of the table
    ConsoleClient.Reply page = ed.get("w/default/alerts?kind=NOPE");
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.body()).contains("data-field-error=\"kind\"", "RUN_FAILED");
  }

  @Test
  void anOperatorSilencesARuleForAPresetDurationAndEndsIt() {
    platform
        .client()
        .alerts()
        .putChannel(new ChannelSpec("quiet-ch", "consoletest", Map.of("url", "http://x")));
    platform
        .client()
        .alerts()
        .putRule(AlertRule.on("noisy", AlertKind.TASK_RETRIED).channels("quiet-ch").build());
    ConsoleClient op = login("op");
    ConsoleClient.Reply form = op.get("w/default/alerts/silences");
    assertThat(form.body())
        .contains("Silence</button>", "value=\"30m\"", "value=\"1d\"", "<option value=\"noisy\">");
    ConsoleClient.Reply made =
        op.post(
            API + "/silences",
            Map.of("rule", "noisy", "workflow", "etl_*", "duration", "4h", "reason", "db <b>"));
    assertThat(made.status()).as(made.body()).isEqualTo(201);
    long id = made.json().get("id").asLong();
    java.time.Instant ends = java.time.Instant.parse(made.json().get("endsAt").asText());
    assertThat(Duration.between(java.time.Instant.now(), ends))
        .isBetween(Duration.ofHours(4).minusMinutes(5), Duration.ofHours(4).plusMinutes(5));
    ConsoleClient.Reply page = op.get("w/default/alerts/silences");
    assertThat(page.body())
        .contains("data-silence=\"" + id + "\"", "etl_*", "db &lt;b&gt;", "End now")
        .doesNotContain("db <b>");
    assertThat(op.post(API + "/silences/" + id + "/end", Map.of()).status()).isEqualTo(204);
    JsonNode listed = op.get(API + "/silences").json();
    JsonNode ended = null;
    for (JsonNode s : listed) {
      if (s.get("id").asLong() == id) {
        ended = s;
      }
    }
    assertThat(ended).isNotNull();
    assertThat(ended.get("endedBy").asText()).isEqualTo("op");
    assertThat(op.get("w/default/alerts/silences").body()).contains("ended by op");
    // an operator may not save channels or rules
    assertThat(op.send("PUT", API + "/channels/x", channel("http://x", null)).status())
        .isEqualTo(403);
  }

  @Test
  void aTestSendIsInTheHistoryWithItsDeliveryAndTheSecretIsNowhere() throws Exception {
    ConsoleClient ed = login("ed");
    assertThat(
            ed.send("PUT", API + "/channels/paged", channel("http://hooks.test/p", SECRET))
                .status())
        .isEqualTo(200);
    // saved again without the secret (and once with the mask): the stored one is kept
    assertThat(
            ed.send("PUT", API + "/channels/paged", channel("http://hooks.test/p", null)).status())
        .isEqualTo(200);
    assertThat(
            ed.send("PUT", API + "/channels/paged", channel("http://hooks.test/p", "******"))
                .status())
        .isEqualTo(200);
    // but not to another address: there the secret must be given again
    assertThat(
            ed.send("PUT", API + "/channels/paged", channel("http://hooks.test/p2", null)).status())
        .isEqualTo(400);
    assertThat(platform.client().alerts().channels())
        .filteredOn(c -> c.name().equals("paged"))
        .singleElement()
        .satisfies(c -> assertThat(c.options()).containsEntry("token", "******"));
    ConsoleClient.Reply test = ed.post(API + "/channels/paged/test", Map.of());
    assertThat(test.status()).as(test.body()).isEqualTo(201);
    long id = test.json().get("id").asLong();
    assertThat(test.json().get("kind").asText()).isEqualTo("TEST");
    ConsoleClient.Reply one = ed.get(API + "/history/" + id);
    assertThat(one.status()).isEqualTo(200);
    assertThat(one.json().get("deliveries").get(0).get("channel").asText()).isEqualTo("paged");
    ConsoleClient.Reply history = ed.get(API + "/history?kind=TEST&limit=500");
    assertThat(history.json().get("alerts").findValuesAsText("id")).contains(String.valueOf(id));
    ConsoleClient.Reply page = ed.get("w/default/alerts?kind=TEST");
    assertThat(page.body())
        .contains("data-alert=\"" + id + "\"", "data-channel=\"paged\"", "hx-get=")
        .contains("kind=TEST");
    // paging: a page of one has a cursor to the next
    ed.post(API + "/channels/paged/test", Map.of());
    ConsoleClient.Reply first = ed.get(API + "/history?kind=TEST&limit=1");
    assertThat(first.json().get("alerts")).hasSize(1);
    long next = first.json().get("next").asLong();
    ConsoleClient.Reply second = ed.get(API + "/history?kind=TEST&limit=1&before=" + next);
    assertThat(second.json().get("alerts").get(0).get("id").asLong())
        .isLessThan(first.json().get("alerts").get(0).get("id").asLong());

    for (String path :
        List.of(
            API + "/channels",
            API + "/channel-types",
            API + "/history?limit=500",
            API + "/history/" + id,
            "w/default/alerts",
            "w/default/alerts/channels",
            "w/default/alerts/channels?edit=paged",
            "w/default/alerts/rules")) {
      ConsoleClient.Reply r = ed.get(path);
      assertThat(r.status()).as(path).isEqualTo(200);
      assertThat(r.body()).as(path).doesNotContain(SECRET).doesNotContain("Zq81x");
    }
    // nor in the database: sealed in the channel's row, left out of the audit trail
    try (Connection c = platforms.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT (SELECT COUNT(*) FROM t_alert_channel WHERE options LIKE '%Zq81x%'),"
                    + " (SELECT COUNT(*) FROM t_audit WHERE CONCAT_WS('|', target, digest) LIKE"
                    + " '%Zq81x%')")) {
      r.next();
      assertThat(r.getLong(1)).isZero();
      assertThat(r.getLong(2)).isZero();
    }
  }

  private static Map<String, Object> with(Map<String, Object> m, String key, Object value) {
    Map<String, Object> copy = new LinkedHashMap<>(m);
    copy.put(key, value);
    return copy;
  }

  /** Rows of the alert tables and the audit trail. */
  private static long rows() throws Exception {
    long n = 0;
    try (Connection c = platforms.dataSource().getConnection();
        Statement s = c.createStatement()) {
      for (String t :
          List.of("t_alert_channel", "t_alert_rule", "t_alert_silence", "t_alert", "t_audit")) {
        try (ResultSet r = s.executeQuery("SELECT COUNT(*) FROM " + t)) {
          r.next();
          n = n * 1000 + r.getLong(1);
        }
      }
    }
    return n;
  }
}

package io.flinkplatform.engine.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinkplatform.engine.Platform;
import io.flinkplatform.engine.PlatformClient;
import io.flinkplatform.engine.access.IssuedToken;
import io.flinkplatform.engine.access.Users;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.schedule.BackfillRequest;
import io.flinkplatform.engine.schedule.ScheduleSpec;
import io.flinkplatform.engine.testing.Await;
import io.flinkplatform.engine.testing.TestPlatforms;
import io.flinkplatform.spi.Actor;
import io.flinkplatform.spi.Role;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The schedules, instances, admin, users and me pages over HTTP on a real server and database, each
 * read with a session cookie by a workspace admin and by a viewer (and by a platform admin where
 * only one may read): what they show, which buttons each sees, that no token secret or password is
 * ever in a page, and that names from users are escaped.
 */
class ConsoleAdminPagesTest {
  static final String PASSWORD = "correct horse battery staple";
  static final String ROOT_PASSWORD = "the root password is long";
  static final String XSS = "<script>alert('x')</script>";
  private static TestPlatforms platforms;
  private static Platform platform;
  private static URI base;
  private static ConsoleClient admin;
  private static ConsoleClient viewer;
  private static ConsoleClient root;
  private static IssuedToken aliceToken;
  private static long runningBackfill;

  @BeforeAll
  static void start() throws Exception {
    platforms = new TestPlatforms();
    platform =
        platforms.start("adminpages", b -> b.console(ConsoleSettings.builder().port(0).build()));
    base = platform.consoleUri().orElseThrow();
    Users users = platform.users(Actor.SYSTEM);
    users.createUser("alice", "Alice", PASSWORD.toCharArray());
    users.createUser("bob", "Bob", PASSWORD.toCharArray());
    users.createUser("root", "Root", ROOT_PASSWORD.toCharArray());
    users.createUser("eve", XSS);
    users.setPlatformAdmin("root", true);
    platform.admin(Actor.SYSTEM).createWorkspace("ops", XSS);
    PlatformClient system = platform.client();
    system.setMember("alice", Role.ADMIN);
    system.setMember("bob", Role.VIEWER);
    system.setMember("eve", Role.OPERATOR);
    aliceToken =
        platform.users(Actor.user("alice")).createToken("alice", "ci token", Duration.ofDays(30));

    system.deploy(Workflow.builder("nightly_etl").task("a", "emit").build());
    system.deploy(
        Workflow.builder("slow").task("t", "sleep", t -> t.option("duration", "60s")).build());
    // Berlin springs forward on 2027-03-28: 02:30 does not exist that day, and the UTC offset
    // of the fire times changes from +01:00 to +02:00
    system.saveSchedule(
        ScheduleSpec.builder("nightly", "nightly_etl", "30 2 * * *")
            .zone("Europe/Berlin")
            .startAt(Instant.parse("2027-03-26T00:00:00Z"))
            .build());
    system.saveSchedule(
        ScheduleSpec.builder("paused_one", "nightly_etl", "0 * * * *").paused(true).build());
    system.setPool("etl", 3);
    system.grant("ops", "pool", "etl");
    system.setCaps(io.flinkplatform.engine.access.WorkspaceCaps.NONE.withMaxActiveRuns(7));
    LocalDate day = LocalDate.of(2026, 1, 1);
    runningBackfill =
        system.backfill(BackfillRequest.builder("slow").daily(day, day, ZoneOffset.UTC).build());
    for (int i = 1; i <= 55; i++) {
      system.setPool("churn", i); // 55 audit rows of limit.set: two pages
    }

    admin = new ConsoleClient(base);
    viewer = new ConsoleClient(base);
    root = new ConsoleClient(base);
    assertThat(admin.login("alice", PASSWORD).status()).isEqualTo(200);
    assertThat(viewer.login("bob", PASSWORD).status()).isEqualTo(200);
    assertThat(root.login("root", ROOT_PASSWORD).status()).isEqualTo(200);
  }

  @AfterAll
  static void stop() throws InterruptedException {
    if (platform != null) {
      PlatformClient system = platform.client();
      system.cancelBackfill(runningBackfill);
      Await.until(
          () ->
              system.backfillStatus(runningBackfill).runsByState().keySet().stream()
                  .allMatch(s -> s.isFinal()));
    }
    platforms.close();
  }

  /** The page as {@code who} sees it; checks it is a 200 without a secret in it. */
  private static String page(ConsoleClient who, String path) {
    ConsoleClient.Reply r = who.get(path);
    assertThat(r.status()).as(path).isEqualTo(200);
    noSecrets(r.body());
    return r.body();
  }

  private static void noSecrets(String body) {
    assertThat(body)
        .doesNotContain(aliceToken.token())
        // the secret follows fpt_<id>_ (base64url: it may hold '_' itself)
        .doesNotContain(aliceToken.token().substring(aliceToken.token().indexOf('_', 4) + 1))
        .doesNotContain(PASSWORD)
        .doesNotContain(ROOT_PASSWORD)
        .doesNotContain(XSS);
  }

  private static final Pattern API_CALL = Pattern.compile("data-api=\"([A-Z]+ [^\"]+)\"");

  private static List<String> apiCalls(String body) {
    Matcher m = API_CALL.matcher(body);
    List<String> calls = new java.util.ArrayList<>();
    while (m.find()) {
      calls.add(m.group(1));
    }
    return calls;
  }

  @Test
  void schedulesShowFireTimesWithDstNotesPausedStateAndSkipReasonsAndBackfills() {
    String ws = "/api/v1/workspaces/default";
    String a = page(admin, "w/default/schedules");
    assertThat(a)
        .contains("nightly", "nightly_etl", "30 2 * * *", "Europe/Berlin")
        .contains("2027-03-26 01:30:00 UTC", "2027-03-27 01:30:00 UTC")
        .contains("DST:")
        .contains("UTC offset +01:00 → +02:00")
        .contains(">paused<")
        .contains("SCHEDULE_PAUSED", "<h2>Backfills</h2>", "data-backfill=\"" + runningBackfill);
    assertThat(apiCalls(a))
        .contains(
            "POST " + ws + "/schedules/nightly/pause",
            "POST " + ws + "/schedules/paused_one/resume",
            "POST " + ws + "/backfills/" + runningBackfill + "/cancel");
    // the backfill table polls while a backfill runs, and is a page of its own
    assertThat(a).contains("hx-get=\"/w/default/schedules/backfills\"");
    assertThat(page(viewer, "w/default/schedules/backfills"))
        .startsWith("<div id=\"backfills\"")
        .contains("slow")
        .doesNotContain("data-api");

    assertThat(a).contains("0 / 1 ended", ">RUNNING<");
    // another workspace's schedules page lists none of this workspace's backfills
    assertThat(page(root, "w/ops/schedules"))
        .contains("No schedules in this workspace.", "No backfills.")
        .doesNotContain("data-backfill=");

    String v = page(viewer, "w/default/schedules");
    assertThat(v).contains("nightly", "DST:", "data-backfill=\"" + runningBackfill);
    assertThat(apiCalls(v)).isEmpty();
  }

  @Test
  void instancesShowHeartbeatLabelsTaskTypesAndRunningAttemptsToAnyMember() {
    for (ConsoleClient who : List.of(admin, viewer, root)) {
      String p = page(who, "instances");
      assertThat(p)
          .contains("adminpages", ">live<", " ago<", "emit", "sleep")
          .contains("hx-get=\"/instances/table\"");
      assertThat(apiCalls(p)).isEmpty();
    }
    assertThat(page(viewer, "instances/table")).startsWith("<div id=\"instances\"");
  }

  @Test
  void theAdminPageGivesAdminsTheirFormsAndViewersOnlyWhatTheyMayRead() {
    String ws = "/api/v1/workspaces/default";
    String a = page(admin, "w/default/admin");
    assertThat(a)
        .contains("data-limit=\"POOL/etl\"", "maxActiveRuns", "value=\"7\"")
        .contains("data-member=\"alice\"", "data-member=\"bob\"", "data-member=\"eve\"")
        .contains(">ops<", ">etl<")
        .contains("limit.set", "POOL:churn");
    assertThat(apiCalls(a))
        .contains(
            "PUT " + ws + "/pools/{name}",
            "DELETE " + ws + "/limits/POOL/etl",
            "PUT " + ws + "/caps",
            "PUT " + ws + "/members/bob",
            "DELETE " + ws + "/members/bob",
            "PUT " + ws + "/members/{principal}",
            "POST " + ws + "/grants",
            "POST " + ws + "/grants/revoke");

    String v = page(viewer, "w/default/admin");
    assertThat(v)
        .contains("data-limit=\"POOL/etl\"", ">7<", ">ops<")
        .contains("Only the workspace's admins see its members")
        .contains("Only the workspace's admins read its audit trail")
        .doesNotContain("data-member=", "limit.set");
    assertThat(apiCalls(v)).isEmpty();
  }

  @Test
  void theAuditTrailFiltersAndPages() {
    String first = page(admin, "w/default/admin?action=limit.set");
    assertThat(count(first, "<code>limit.set</code>")).isEqualTo(50);
    assertThat(first).doesNotContain("<code>grant.add</code>");
    Matcher older =
        Pattern.compile("href=\"(/w/default/admin\\?before=[0-9]+[^\"#]*)").matcher(first);
    assertThat(older.find()).isTrue();
    String next = older.group(1).replace("&amp;", "&").substring(1);
    assertThat(next).contains("action=limit.set");
    String second = page(admin, next);
    assertThat(count(second, "<code>limit.set</code>")).isEqualTo(56 - 50); // etl + 55 churn
    assertThat(second).doesNotContain("Older rows");

    String byActor = page(admin, "w/default/admin?actor=nobody-at-all");
    assertThat(byActor).contains("No audit rows.");
    String badDay = page(admin, "w/default/admin?from=yesterday");
    assertThat(badDay).contains("from must be a day such as 2026-01-31, not yesterday");
  }

  @Test
  void usersAreForPlatformAdminsOnly() {
    String r = page(root, "users");
    assertThat(r)
        .contains("data-user=\"alice\"", "data-user=\"eve\"", "tokens only")
        .contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
    assertThat(apiCalls(r))
        .contains(
            "PUT /api/v1/users/alice/disabled",
            "PUT /api/v1/users/alice/admin",
            "POST /api/v1/users");
    assertThat(r).contains("data-body=\"{&quot;disabled&quot;:true}\"");
    // root does not demote or disable itself from the page
    assertThat(apiCalls(r))
        .doesNotContain("PUT /api/v1/users/root/admin", "PUT /api/v1/users/root/disabled");

    for (ConsoleClient who : List.of(admin, viewer)) {
      ConsoleClient.Reply refused = who.get("users");
      assertThat(refused.status()).isEqualTo(403);
      assertThat(refused.body()).doesNotContain("data-user=");
    }
  }

  @Test
  void meListsTheCallersTokensWithoutTheirSecrets() {
    String a = page(admin, "me");
    assertThat(a)
        .contains("data-token=\"" + aliceToken.info().id() + "\"", "ci token", "never", "active")
        .contains("data-then=\"reveal:new-token|token\"", "data-reveal hidden");
    assertThat(apiCalls(a))
        .contains(
            "DELETE /api/v1/me/tokens/" + aliceToken.info().id(),
            "POST /api/v1/me/tokens",
            "PUT /api/v1/users/alice/password");
    assertThat(a).contains("name=\"validityDays\"", "type=\"password\" name=\"password\"");
    String v = page(viewer, "me");
    assertThat(v).doesNotContain("data-token=").contains("No tokens yet.");
    assertThat(apiCalls(v))
        .containsExactlyInAnyOrder("POST /api/v1/me/tokens", "PUT /api/v1/users/bob/password");
  }

  @Test
  void namesFromUsersAreEscapedEverywhere() {
    // a workspace description (shown to platform admins); eve's display name is on /users
    String desc = page(root, "w/ops/admin");
    assertThat(desc).contains("<p class=\"description\">&lt;script&gt;alert(&#39;x&#39;)");
    // eve's display name never appears unescaped; the checks of page() cover every page
    for (String p : List.of("w/default/schedules", "w/default/admin", "instances", "me")) {
      page(root, p);
    }
  }

  private static int count(String text, String part) {
    int n = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
      n++;
    }
    return n;
  }
}

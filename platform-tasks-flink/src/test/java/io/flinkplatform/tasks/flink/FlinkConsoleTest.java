package io.flinkplatform.tasks.flink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.flinkplatform.engine.KeyRing;
import io.flinkplatform.engine.Platform;
import io.flinkplatform.engine.console.ConsoleClient;
import io.flinkplatform.engine.console.ConsoleSettings;
import io.flinkplatform.engine.testing.TestPlatforms;
import io.flinkplatform.spi.Actor;
import io.flinkplatform.spi.Role;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The plugin's console operations over HTTP on the real database: catalogs with their secret
 * options masked, the workspace's Flink jobs with their state, restarts, last checkpoint and web UI
 * link, a job's savepoints, refusals by role and workspace, and the page. No Flink cluster: the
 * jobs are rows written through the plugin's own store, as its supervisor writes them.
 */
class FlinkConsoleTest {
  private static final String LOGIN = "correct horse battery staple";
  private static final String SECRET = "Console-Catalog-S3cret";
  private static final String RUNNING = "0123456789abcdef0123456789abcdef";
  private static final String ENDED = "fedcba9876543210fedcba9876543210";
  private static final String OTHER = "00000000000000000000000000000042";
  private static TestPlatforms platforms;
  private static URI base;
  private static final String API = "api/v1/workspaces/team-a/";

  @BeforeAll
  static void start() {
    platforms = new TestPlatforms();
    FlinkTaskPlugin plugin = new FlinkTaskPlugin();
    KeyRing ring = KeyRing.of("k1", Base64.getEncoder().encodeToString(new byte[32]));
    Platform platform =
        platforms.start(
            "flinkconsole",
            b ->
                b.plugin(plugin)
                    .keyRing(() -> ring)
                    .pluginSetting("flink.target", "session")
                    .pluginSetting("flink.conf.rest.address", "127.0.0.1")
                    .pluginSetting("flink.conf.rest.port", "1")
                    .console(ConsoleSettings.builder().port(0).build()));
    base = platform.consoleUri().orElseThrow();
    platform.admin(Actor.SYSTEM).createWorkspace("team-a", "team A");
    platform.admin(Actor.SYSTEM).createWorkspace("team-b", "team B");
    var users = platform.users(Actor.SYSTEM);
    users.createUser("vera", "Viewer", LOGIN.toCharArray());
    users.createUser("otto", "Operator", LOGIN.toCharArray());
    platform.client(Actor.SYSTEM, "team-a").setMember("vera", Role.VIEWER);
    platform.client(Actor.SYSTEM, "team-a").setMember("otto", Role.OPERATOR);

    plugin
        .catalogs(Actor.SYSTEM, "team-a")
        .put(
            new CatalogInfo(
                "pg",
                "jdbc",
                Optional.of("dw"),
                Map.of("base-url", "jdbc:postgresql://db:5432", "password", SECRET)));
    FlinkStore store = plugin.runtime().store;
    job(store, "team-a", 9001, RUNNING, "http://127.0.0.1:1");
    store.jobs.update(9001, 0, 1, "RUNNING", 2, "file:/cp/chk-7", null);
    job(store, "team-a", 9002, ENDED, "http://127.0.0.1:1");
    store.jobs.markEnded(9002, 0, 1, "CANCELED", "cancelled by the test");
    job(store, "team-b", 9003, OTHER, "http://127.0.0.1:1");
    store.savepoints.insert(
        "team-a", "etl", "load", 9001, RUNNING, SavepointRecord.Kind.SAVEPOINT, "file:/sp/1");
  }

  private static void job(FlinkStore store, String ws, long attempt, String jobId, String cluster) {
    store.jobs.insert(
        new FlinkJobInfo(
            attempt,
            0,
            jobId,
            "etl",
            "load",
            "session",
            cluster,
            "SUBMITTED",
            -1,
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Instant.now(),
            Optional.empty()),
        ws,
        1,
        1);
  }

  @AfterAll
  static void stop() {
    platforms.close();
  }

  private static ConsoleClient as(String user) {
    ConsoleClient c = new ConsoleClient(base);
    assertThat(c.login(user, LOGIN).status()).isEqualTo(200);
    return c;
  }

  @Test
  void catalogsAreListedWithTheirSecretOptionsMasked() {
    ConsoleClient.Reply r = as("vera").get(API + "catalogs");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body()).doesNotContain(SECRET);
    JsonNode pg = r.json().get(0);
    assertThat(pg.get("name").asText()).isEqualTo("pg");
    assertThat(pg.get("options").get("password").asText()).isEqualTo("******");
    assertThat(pg.get("options").get("base-url").asText()).isEqualTo("jdbc:postgresql://db:5432");
    assertThat(as("vera").get("w/team-a/datasources").body()).contains("pg").doesNotContain(SECRET);
  }

  @Test
  void jobsShowTheirStateRestartsCheckpointAndWebUiOfTheirWorkspaceOnly() {
    ConsoleClient vera = as("vera");
    ConsoleClient.Reply r = vera.get(API + "flink/jobs");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    List<String> ids = new ArrayList<>();
    r.json().forEach(j -> ids.add(j.get("jobId").asText()));
    assertThat(ids).containsExactlyInAnyOrder(RUNNING, ENDED);
    JsonNode running = vera.get(API + "flink/jobs/" + RUNNING).json();
    assertThat(running.get("flinkState").asText()).isEqualTo("RUNNING");
    assertThat(running.get("restarts").asLong()).isEqualTo(2);
    assertThat(running.get("lastCheckpoint").asText()).isEqualTo("file:/cp/chk-7");
    assertThat(running.get("yarnState").isNull()).isTrue();
    assertThat(running.get("webUi").asText())
        .isEqualTo("http://127.0.0.1:1/#/job/running/" + RUNNING + "/overview");
    JsonNode ended = vera.get(API + "flink/jobs/" + ENDED).json();
    assertThat(ended.get("flinkState").asText()).isEqualTo("CANCELED");
    assertThat(ended.get("webUi").asText()).contains("/#/job/completed/");

    ConsoleClient.Reply savepoints = vera.get(API + "flink/jobs/" + RUNNING + "/savepoints");
    assertThat(savepoints.json()).hasSize(1);
    assertThat(savepoints.json().get(0).get("path").asText()).isEqualTo("file:/sp/1");

    ConsoleClient.Reply foreign = vera.get(API + "flink/jobs/" + OTHER);
    assertThat(foreign.status()).isEqualTo(404);
    assertThat(foreign.json().get("error").asText()).isEqualTo("FlinkJobNotFoundException");
    ConsoleClient.Reply bad = vera.get(API + "flink/jobs/not-hex");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().get("field").asText()).isEqualTo("jobId");
    assertThat(vera.get(API + "flink/jobs?limit=0").json().get("field").asText())
        .isEqualTo("limit");
  }

  @Test
  void savepointsNeedAnOperatorAndARunningJob() {
    ConsoleClient.Reply refused =
        as("vera").post(API + "flink/jobs/" + RUNNING + "/savepoints", null);
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.json().get("action").asText()).isEqualTo("flink.savepoint");
    assertThat(refused.json().get("needed").asText()).isEqualTo("OPERATOR");

    ConsoleClient otto = as("otto");
    ConsoleClient.Reply ended = otto.post(API + "flink/jobs/" + ENDED + "/savepoints", null);
    assertThat(ended.status()).isEqualTo(409);
    assertThat(ended.json().get("message").asText()).contains("is not running");
    ConsoleClient.Reply badDrain =
        otto.post(API + "flink/jobs/" + RUNNING + "/stop-with-savepoint", Map.of("drain", "yes"));
    assertThat(badDrain.status()).isEqualTo(400);
    assertThat(badDrain.json().get("field").asText()).isEqualTo("drain");

    String page = otto.get("w/team-a/flink").body();
    assertThat(page)
        .contains(RUNNING)
        .contains(
            "data-api=\"POST /api/v1/workspaces/team-a/flink/jobs/" + RUNNING + "/savepoints\"");
    assertThat(as("vera").get("w/team-a/flink").body())
        .contains(RUNNING)
        .doesNotContain("data-api=");
  }
}

package io.flinkplatform.tasks.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flinkplatform.engine.PlatformClient;
import io.flinkplatform.engine.WorkflowValidationException;
import io.flinkplatform.engine.access.AuditEntry;
import io.flinkplatform.engine.access.AuditQuery;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.run.TaskAttempt;
import io.flinkplatform.engine.testing.TestPlatforms;
import io.flinkplatform.spi.AccessDeniedException;
import io.flinkplatform.spi.Actor;
import io.flinkplatform.spi.Role;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Datasources per workspace on a real platform and the real MariaDB: two workspaces each with a
 * {@code dw} of their own, references across workspaces through grants (checked at deploy and again
 * at run time), roles on the registry and its audit trail.
 */
@Timeout(120)
class SqlWorkspacesTest {
  private static final String PASSWORD_A = "Ws-A-S3cret-pw";
  private static final String PASSWORD_B = "Ws-B-S3cret-pw";
  private static SqlTestPlatform sql;
  private static SqlTestPlatform.MariaDbTarget targetA;
  private static SqlTestPlatform.MariaDbTarget targetB;

  @BeforeAll
  static void start() throws SQLException {
    sql = new SqlTestPlatform();
    sql.platform.admin(Actor.SYSTEM).createWorkspace("a", "team A");
    sql.platform.admin(Actor.SYSTEM).createWorkspace("b", "team B");
    targetA = SqlTestPlatform.mariaDb();
    targetB = SqlTestPlatform.mariaDb();
    for (var target : List.of(targetA, targetB)) {
      try (Connection c = target.root();
          Statement s = c.createStatement()) {
        s.execute("CREATE TABLE who (name VARCHAR(20))");
        s.execute("CREATE TABLE visits (by_workspace VARCHAR(20))");
        s.execute("INSERT INTO who VALUES ('" + (target == targetA ? "team-a" : "team-b") + "')");
      }
    }
    sql.plugin
        .datasources(Actor.SYSTEM, "a")
        .create(
            DatasourceSpec.builder("dw", DatasourceType.MARIADB, targetA.url())
                .user("root")
                .password(Password.of(PASSWORD_A))
                .build());
    sql.plugin
        .datasources(Actor.SYSTEM, "b")
        .create(
            DatasourceSpec.builder("dw", DatasourceType.MARIADB, targetB.url())
                .user("root")
                .password(Password.of(PASSWORD_B))
                .build());
  }

  @AfterAll
  static void stop() {
    if (sql != null) {
      sql.close();
    }
  }

  private static Workflow reader(String name, String datasource, String visitor) {
    return Workflow.builder(name)
        .task(
            "read",
            "sql",
            t ->
                t.option("datasource", datasource)
                    .option(
                        "script",
                        "INSERT INTO visits VALUES ('"
                            + visitor
                            + "');\nSELECT name AS who FROM who"))
        .build();
  }

  private static TaskAttempt runOnce(PlatformClient client, String workflow, RunState expected) {
    long run = client.trigger(workflow);
    assertThat(client.awaitRun(run, Duration.ofSeconds(60)).state()).isEqualTo(expected);
    return client.attempts(run).get(0);
  }

  @Test
  void eachWorkspaceReadsItsOwnDwOnAPoolOfItsOwn() {
    PlatformClient a = sql.platform.client(Actor.SYSTEM, "a");
    PlatformClient b = sql.platform.client(Actor.SYSTEM, "b");
    a.deploy(reader("own", "dw", "a"));
    b.deploy(reader("own", "dw", "b"));

    assertThat(runOnce(a, "own", RunState.SUCCESS).outputs()).containsEntry("who", "team-a");
    assertThat(runOnce(b, "own", RunState.SUCCESS).outputs()).containsEntry("who", "team-b");
    assertThat(sql.registry().pools().names()).contains("a/dw", "b/dw");
    // the registry of one workspace does not show the other's, nor does the default one
    assertThat(sql.plugin.datasources(Actor.SYSTEM, "a").list())
        .singleElement()
        .satisfies(d -> assertThat(d.url()).isEqualTo(targetA.url()));
    assertThat(sql.registry().get("dw")).isEmpty();
  }

  @Test
  void anotherWorkspacesDatasourceNeedsAGrantAtDeployAndAgainAtRunTime() throws SQLException {
    PlatformClient a = sql.platform.client(Actor.SYSTEM, "a");
    PlatformClient b = sql.platform.client(Actor.SYSTEM, "b");
    Workflow cross = reader("cross", "a/dw", "b");

    assertThatThrownBy(() -> b.deploy(cross))
        .isInstanceOf(WorkflowValidationException.class)
        .hasMessageContaining("'datasource'")
        .hasMessageContaining("datasource 'a/dw' is not granted to workspace 'b'");
    assertThat(b.workflow("cross")).isEmpty();
    // a plain name is looked up in the deploying workspace only
    assertThatThrownBy(() -> b.deploy(reader("missing", "nowhere", "b")))
        .isInstanceOf(WorkflowValidationException.class)
        .hasMessageContaining("'datasource': datasource 'nowhere' does not exist in workspace 'b'");

    a.grant("b", "datasource", "dw");
    b.deploy(cross);
    assertThat(runOnce(b, "cross", RunState.SUCCESS).outputs()).containsEntry("who", "team-a");
    assertThat(visits(targetA, "b")).isEqualTo(1);

    assertThat(a.revoke("b", "datasource", "dw")).isTrue();
    sql.registry().pools().retire(new ConnectionPools.Key("a", "dw"));
    TaskAttempt refused = runOnce(b, "cross", RunState.FAILED);
    assertThat(refused.message())
        .hasValueSatisfying(
            m -> assertThat(m).contains("datasource 'a/dw' is not granted to workspace 'b'"));
    // refused before any connection: no pool was built and nothing reached the database
    assertThat(sql.registry().pools().names()).doesNotContain("a/dw");
    assertThat(visits(targetA, "b")).isEqualTo(1);
    assertThat(b.log(refused)).doesNotContain("statement(s) on datasource");
  }

  @Test
  void aViewerMayReadButNotChangeAndADeniedCallWritesNothing() {
    PlatformClient a = sql.platform.client(Actor.SYSTEM, "a");
    a.setMember("vic", Role.VIEWER);
    DatasourceRegistry vic = sql.plugin.datasources(Actor.user("vic"), "a");
    int audits = a.audit(AuditQuery.latest(1000)).size();

    assertThat(vic.list()).extracting(Datasource::name).contains("dw");
    assertThatThrownBy(
            () ->
                vic.create(
                    DatasourceSpec.builder("vics", DatasourceType.MARIADB, targetA.url())
                        .password(Password.of("never-stored-1"))
                        .build()))
        .isInstanceOfSatisfying(
            AccessDeniedException.class,
            e -> {
              assertThat(e.actor()).isEqualTo("vic");
              assertThat(e.workspace()).isEqualTo("a");
              assertThat(e.action()).isEqualTo("datasource.create");
              assertThat(e.needed()).contains(Role.EDITOR);
            });
    assertThatThrownBy(() -> vic.delete("dw"))
        .isInstanceOfSatisfying(
            AccessDeniedException.class,
            e -> assertThat(e.action()).isEqualTo("datasource.delete"));
    assertThatThrownBy(() -> vic.test("dw"))
        .isInstanceOfSatisfying(
            AccessDeniedException.class, e -> assertThat(e.action()).isEqualTo("datasource.test"));
    assertThat(vic.get("vics")).isEmpty();
    assertThat(vic.get("dw")).isPresent();
    assertThat(a.audit(AuditQuery.latest(1000))).hasSize(audits);
    // a user who is no member of b reads nothing there
    assertThatThrownBy(() -> sql.plugin.datasources(Actor.user("vic"), "b").list())
        .isInstanceOf(AccessDeniedException.class)
        .hasMessageContaining("datasource.read");
  }

  @Test
  void everyChangeWritesOneAuditRowThatHoldsNoSecret() {
    PlatformClient a = sql.platform.client(Actor.SYSTEM, "a");
    a.setMember("eve", Role.EDITOR);
    DatasourceRegistry eve = sql.plugin.datasources(Actor.user("eve").from("10.9.8.7"), "a");
    String stored = "Eve-St0red-pw";
    SqlTestPlatform.SECRETS.put("FP_SQL_TEST_EVE", "Eve-S3cret-value");

    eve.create(
        DatasourceSpec.builder("extra", DatasourceType.MARIADB, targetA.url())
            .user("root")
            .password(Password.of(stored))
            .property("sslPassword", "Eve-pr0perty-secret")
            .build());
    assertThat(eve.test("extra").ok()).isTrue();
    eve.update(
        DatasourceSpec.builder("extra", DatasourceType.MARIADB, targetA.url())
            .user("root")
            .password(Password.fromSecret("FP_SQL_TEST_EVE"))
            .property("sslPassword", "Eve-pr0perty-secret")
            .property("connectTimeout", "4000")
            .build());
    eve.update( // the same again: nothing changed but the version
        DatasourceSpec.builder("extra", DatasourceType.MARIADB, targetA.url())
            .user("root")
            .password(Password.fromSecret("FP_SQL_TEST_EVE"))
            .property("sslPassword", "Eve-pr0perty-secret")
            .property("connectTimeout", "4000")
            .build());
    assertThat(eve.delete("extra")).isTrue();
    assertThat(eve.delete("extra")).isFalse(); // nothing changed: no row

    List<AuditEntry> rows =
        new java.util.ArrayList<>(a.audit(AuditQuery.latest(100).byActor("eve")));
    rows.sort(java.util.Comparator.comparingLong(AuditEntry::id));
    assertThat(rows)
        .extracting(AuditEntry::action)
        .containsExactly(
            "datasource.create", "datasource.update", "datasource.update", "datasource.delete");
    assertThat(rows)
        .allSatisfy(
            r -> {
              assertThat(r.target()).isEqualTo("datasource:extra");
              assertThat(r.workspace()).isEqualTo("a");
              assertThat(r.address()).contains("10.9.8.7");
              assertThat(r.digest())
                  .doesNotContain(stored)
                  .doesNotContain("FP_SQL_TEST_EVE")
                  .doesNotContain("Eve-S3cret-value")
                  .doesNotContain("Eve-pr0perty-secret")
                  .doesNotContain("v2:");
            });
    assertThat(rows.get(0).digest()).contains("created").contains("password").contains("version 1");
    assertThat(rows.get(1).digest())
        .contains("password")
        .contains("properties [connectTimeout]")
        .doesNotContain("url")
        .contains("version 2");
    assertThat(rows.get(2).digest()).contains("changed: nothing").contains("version 3");
    assertThat(rows.get(3).digest()).contains("deleted").contains("version 3");
  }

  @Test
  void theDefaultRegistryIsTheSystemInTheDefaultWorkspace() {
    SqlTestPlatform.MariaDbTarget target = SqlTestPlatform.mariaDb();
    sql.registry()
        .create(DatasourceSpec.builder("dw", DatasourceType.MARIADB, target.url()).build());
    try {
      assertThat(sql.registry().workspace()).isEqualTo("default");
      assertThat(sql.registry().get("dw"))
          .hasValueSatisfying(d -> assertThat(d.url()).isEqualTo(target.url()));
      assertThat(sql.plugin.datasources(Actor.SYSTEM, "default").get("dw")).isPresent();
      // not even the system stores a datasource in a workspace nobody created
      assertThatThrownBy(() -> sql.plugin.datasources(Actor.SYSTEM, "nobody-made-this"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'nobody-made-this' does not exist");
      assertThat(sql.plugin.datasources(Actor.SYSTEM, "a").get("dw"))
          .hasValueSatisfying(d -> assertThat(d.url()).isEqualTo(targetA.url()));
      assertThat(sql.platform.client().audit(AuditQuery.latest(10).byAction("datasource.create")))
          .anyMatch(r -> r.actor().equals("system") && r.target().equals("datasource:dw"));
    } finally {
      sql.registry().delete("dw");
    }
  }

  @Test
  void aValueSealedForOneWorkspacesRowDoesNotOpenInAnothers() throws SQLException {
    sql.plugin
        .datasources(Actor.SYSTEM, "a")
        .create(
            DatasourceSpec.builder("copied", DatasourceType.MARIADB, targetA.url())
                .user("root")
                .password(Password.of(PASSWORD_A))
                .build());
    DatasourceRegistry b = sql.plugin.datasources(Actor.SYSTEM, "b");
    b.create(
        DatasourceSpec.builder("copied", DatasourceType.MARIADB, targetA.url())
            .user("root")
            .password(Password.of(PASSWORD_B))
            .build());
    assertThat(b.test("copied").ok()).isTrue();
    // someone with write access to t_datasource copies a's sealed password into b's row
    try (Connection c = sql.platforms.dataSource().getConnection();
        var s =
            c.prepareStatement(
                "UPDATE t_datasource t JOIN (SELECT password_encrypted FROM t_datasource"
                    + " WHERE workspace = 'a' AND name = 'copied') a"
                    + " SET t.password_encrypted = a.password_encrypted"
                    + " WHERE t.workspace = 'b' AND t.name = 'copied'")) {
      assertThat(s.executeUpdate()).isEqualTo(1);
    }
    ConnectionCheck check = b.test("copied");
    assertThat(check.ok()).isFalse();
    assertThat(check.message())
        .contains("the stored password of datasource 'copied' cannot be opened")
        .doesNotContain(PASSWORD_A);
  }

  @Test
  void datasourcesOfThePreviousReleaseLandInTheDefaultWorkspace() throws SQLException {
    SqlTestPlatform.MariaDbTarget target = SqlTestPlatform.mariaDb();
    try (TestPlatforms platforms = new TestPlatforms()) {
      platforms.start("before").close(); // the platform's own schema, as the previous release
      Flyway.configure()
          .dataSource(platforms.dataSource())
          .locations("classpath:io/flinkplatform/tasks/sql/db")
          .table("flink_platform_schema_history_sql")
          .baselineOnMigrate(true)
          .baselineVersion("0")
          .target("1")
          .load()
          .migrate();
      SqlTestPlatform.SECRETS.put("FP_SQL_TEST_LEGACY", "legacy-pw");
      try (Connection c = platforms.dataSource().getConnection();
          var s =
              c.prepareStatement(
                  "INSERT INTO t_datasource (name, type, url, username, properties,"
                      + " password_secret, version, created_at, updated_at)"
                      + " VALUES ('legacy', 'MARIADB', ?, 'root', '', 'FP_SQL_TEST_LEGACY', 4, 0,"
                      + " 0)")) {
        s.setString(1, target.url());
        s.executeUpdate();
      }

      SqlTaskPlugin plugin = new SqlTaskPlugin();
      var platform =
          platforms.start(
              "after",
              b ->
                  b.plugin(plugin)
                      .keyRing(() -> SqlTestPlatform.RING)
                      .secretNames("FP_SQL_TEST_*")
                      .secretSource(
                          n -> java.util.Optional.ofNullable(SqlTestPlatform.SECRETS.get(n))));
      assertThat(plugin.datasources().get("legacy"))
          .hasValueSatisfying(
              d -> {
                assertThat(d.version()).isEqualTo(4);
                assertThat(d.secretReference()).contains("FP_SQL_TEST_LEGACY");
              });
      assertThat(plugin.datasources(Actor.SYSTEM, "default").test("legacy").ok()).isTrue();
      // the name is unique per workspace now, not across them
      platform.admin(Actor.SYSTEM).createWorkspace("c", "");
      plugin
          .datasources(Actor.SYSTEM, "c")
          .create(DatasourceSpec.builder("legacy", DatasourceType.MARIADB, target.url()).build());
      assertThatThrownBy(
              () ->
                  plugin
                      .datasources()
                      .create(
                          DatasourceSpec.builder("legacy", DatasourceType.MARIADB, target.url())
                              .build()))
          .isInstanceOf(DatasourceException.class)
          .hasMessage("datasource 'legacy' already exists");
      assertThat(plugin.datasources(Actor.SYSTEM, "c").list()).hasSize(1);
      assertThat(plugin.datasources().list()).hasSize(1);
    }
  }

  private static int visits(SqlTestPlatform.MariaDbTarget target, String by) throws SQLException {
    try (Connection c = target.root();
        var s = c.prepareStatement("SELECT COUNT(*) FROM visits WHERE by_workspace = ?")) {
      s.setString(1, by);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }
}

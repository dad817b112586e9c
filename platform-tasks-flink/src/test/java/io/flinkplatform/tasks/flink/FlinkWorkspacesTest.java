package io.flinkplatform.tasks.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.flinkplatform.engine.KeyRing;
import io.flinkplatform.engine.Platform;
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
import io.flinkplatform.spi.Workspaces;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Catalogs, functions and savepoint records belong to a workspace: roles decide who changes them,
 * every change is audited in its transaction, and a task uses another workspace's only while it is
 * granted, checked at deploy and again when the task runs. No Flink cluster: the runs here end
 * before anything would be submitted (refused, or a DDL-only script).
 */
class FlinkWorkspacesTest {
  private static final String SECRET = "W0rkspace-S3cret";
  private static final Actor ALICE = Actor.user("alice"); // editor of team-a
  private static final Actor VERA = Actor.user("vera"); // viewer of team-a
  private static final Actor BOB = Actor.user("bob"); // editor of team-b

  private static TestPlatforms platforms;
  private static Platform platform;
  private static FlinkTaskPlugin plugin;

  @BeforeAll
  static void start() {
    platforms = new TestPlatforms();
    plugin = new FlinkTaskPlugin();
    KeyRing ring = KeyRing.of("k1", Base64.getEncoder().encodeToString(new byte[32]));
    platform =
        platforms.start(
            "flinkws",
            b ->
                b.plugin(plugin)
                    .keyRing(() -> ring)
                    // nothing here reaches a cluster: an unreachable session is the target
                    .pluginSetting("flink.target", "session")
                    .pluginSetting("flink.conf.rest.address", "127.0.0.1")
                    .pluginSetting("flink.conf.rest.port", "1")
                    .pluginSetting("flink.poll-interval", "200ms"));
    platform.admin(Actor.SYSTEM).createWorkspace("team-a", "team A");
    platform.admin(Actor.SYSTEM).createWorkspace("team-b", "team B");
    system("team-a").setMember("alice", Role.EDITOR);
    system("team-a").setMember("vera", Role.VIEWER);
    system("team-b").setMember("bob", Role.EDITOR);
  }

  @AfterAll
  static void stop() {
    platforms.close();
  }

  private static PlatformClient system(String workspace) {
    return platform.client(Actor.SYSTEM, workspace);
  }

  private static CatalogInfo pg(String password) {
    return new CatalogInfo(
        "pg",
        "jdbc",
        Optional.of("dw"),
        Map.of("base-url", "jdbc:postgresql://db:5432", "username", "etl", "password", password));
  }

  private static List<AuditEntry> audit(String workspace, String actor) {
    return system(workspace).audit(AuditQuery.latest(100).byActor(actor));
  }

  @Test
  void theExistingHostApiKeepsWorkingAsTheSystemInTheDefaultWorkspace() {
    plugin
        .jobs()
        .putCatalog(new CatalogInfo("legacy", "generic_in_memory", Optional.of("db"), Map.of()));
    plugin.jobs().putFunction(new FunctionInfo("legacy_fn", "com.example.Fn", Optional.empty()));

    assertThat(plugin.catalogs(Actor.SYSTEM, Workspaces.DEFAULT).get("legacy")).isPresent();
    assertThat(plugin.functions(Actor.SYSTEM, Workspaces.DEFAULT).get("legacy_fn")).isPresent();
    assertThat(plugin.catalogs(Actor.SYSTEM, "team-a").get("legacy")).isEmpty();
    assertThat(
            platform.client().audit(AuditQuery.latest(100).byAction("catalog.create")).stream()
                .filter(e -> e.target().equals("catalog:legacy")))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.actor()).isEqualTo("system");
              assertThat(e.workspace()).isEqualTo(Workspaces.DEFAULT);
            });
  }

  @Test
  void rolesDecideWhoChangesCatalogsAndEveryChangeIsAuditedWithoutSecrets() throws Exception {
    FlinkCatalogs asVera = plugin.catalogs(VERA, "team-a");
    // a viewer may not create: refused, and nothing is written
    assertThatThrownBy(() -> asVera.put(pg(SECRET)))
        .isInstanceOfSatisfying(
            AccessDeniedException.class,
            e -> {
              assertThat(e.actor()).isEqualTo("vera");
              assertThat(e.workspace()).isEqualTo("team-a");
              assertThat(e.action()).isEqualTo("catalog.create");
              assertThat(e.needed()).contains(Role.EDITOR);
            });
    assertThat(
            rows("SELECT COUNT(*) FROM t_catalog_info WHERE workspace = 'team-a' AND name = 'pg'"))
        .isZero();
    assertThat(audit("team-a", "vera")).isEmpty();
    // bob is no member of team-a: he may not even read
    assertThatThrownBy(() -> plugin.catalogs(BOB, "team-a").list())
        .isInstanceOf(AccessDeniedException.class)
        .hasMessageContaining("catalog.read");

    FlinkCatalogs asAlice = plugin.catalogs(ALICE.from("10.0.0.7"), "team-a");
    assertThat(asAlice.put(pg(SECRET))).isEqualTo(1);
    assertThat(asAlice.put(pg(SECRET))).isEqualTo(1); // the same catalog again: no change
    assertThat(asAlice.put(pg("An0ther-S3cret"))).isEqualTo(2);
    // a viewer reads, with the secret masked; putting the mask back is refused
    CatalogInfo seen = asVera.get("pg").orElseThrow();
    assertThat(seen.options()).containsEntry("password", "******").containsEntry("username", "etl");
    assertThatThrownBy(() -> asAlice.put(seen))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("option 'password' of catalog 'pg'");
    // a viewer may not delete either: the catalog and the audit trail stay as they were
    assertThatThrownBy(() -> asVera.delete("pg"))
        .isInstanceOf(AccessDeniedException.class)
        .hasMessageContaining("catalog.delete");
    assertThat(asVera.get("pg")).isPresent();
    assertThat(audit("team-a", "vera")).isEmpty();
    assertThat(asAlice.delete("pg")).isTrue();
    assertThat(asAlice.delete("pg")).isFalse();

    List<AuditEntry> rows =
        audit("team-a", "alice").stream().filter(e -> e.target().equals("catalog:pg")).toList();
    assertThat(rows)
        .extracting(AuditEntry::action)
        .containsExactly("catalog.delete", "catalog.update", "catalog.create");
    assertThat(rows).allSatisfy(e -> assertThat(e.address()).contains("10.0.0.7"));
    assertThat(rows.get(2).digest())
        .isEqualTo(
            "version 1; type jdbc; default_database set; options [base-url, password,"
                + " username]");
    assertThat(rows.get(1).digest()).isEqualTo("version 2; changed [options.password]");
    assertThat(rows.get(0).digest()).isEqualTo("version 2 deleted");
    assertThat(rows).allSatisfy(e -> assertThat(e.digest()).doesNotContain("S3cret"));
  }

  @Test
  void functionsFollowTheSameRolesAndAudit() throws Exception {
    assertThatThrownBy(
            () ->
                plugin
                    .functions(VERA, "team-a")
                    .put(new FunctionInfo("twice", "com.example.Twice", Optional.empty())))
        .isInstanceOf(AccessDeniedException.class)
        .hasMessageContaining("function.create");
    assertThat(
            rows(
                "SELECT COUNT(*) FROM t_flink_function WHERE workspace = 'team-a'"
                    + " AND name = 'twice'"))
        .isZero();
    FlinkFunctions asBob = plugin.functions(BOB, "team-b");
    assertThat(asBob.put(new FunctionInfo("fn", "com.example.A", Optional.empty()))).isEqualTo(1);
    assertThat(asBob.put(new FunctionInfo("fn", "com.example.B", Optional.empty()))).isEqualTo(2);
    assertThat(plugin.functions(BOB, "team-b").list())
        .containsExactly(new FunctionInfo("fn", "com.example.B", Optional.empty()));
    assertThat(audit("team-b", "bob").stream().filter(e -> e.target().equals("function:fn")))
        .extracting(AuditEntry::action, AuditEntry::digest)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "function.update", "version 2; changed [class_name]"),
            org.assertj.core.groups.Tuple.tuple(
                "function.create", "version 1; class_name, jar_uri none"));
    assertThatThrownBy(() -> asBob.put(new FunctionInfo("a/b", "com.example.A", Optional.empty())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("function name 'a/b' is not allowed");
  }

  @Test
  void theSameNameInTwoWorkspacesIsTwoCatalogsAndASealedValueDoesNotMoveBetweenThem()
      throws Exception {
    FlinkCatalogs a = plugin.catalogs(Actor.SYSTEM, "team-a");
    FlinkCatalogs b = plugin.catalogs(Actor.SYSTEM, "team-b");
    a.put(new CatalogInfo("shared", "jdbc", Optional.of("dw"), pg(SECRET).options()));
    b.put(new CatalogInfo("shared", "jdbc", Optional.of("other"), pg("x").options()));
    assertThat(a.get("shared").orElseThrow().defaultDatabase()).contains("dw");
    assertThat(b.get("shared").orElseThrow().defaultDatabase()).contains("other");
    assertThat(plugin.runtime().store.catalogs.named("team-a", List.of("shared"), null))
        .singleElement()
        .satisfies(c -> assertThat(c.options()).containsEntry("password", SECRET));

    // team-a's sealed row copied into team-b's (same name, type, options): it does not open there
    update(
        "UPDATE t_catalog_info b JOIN t_catalog_info a ON a.name = b.name"
            + " AND a.workspace = 'team-a' SET b.options = a.options,"
            + " b.default_database = a.default_database"
            + " WHERE b.workspace = 'team-b' AND b.name = 'shared'");
    assertThatThrownBy(
            () -> plugin.runtime().store.catalogs.named("team-b", List.of("shared"), null))
        .isInstanceOf(FlinkTaskException.class)
        .hasMessageStartingWith("option 'password' of catalog 'shared' cannot be opened")
        .hasMessageNotContaining(SECRET);
  }

  @Test
  void aCatalogOfAnotherWorkspaceIsRefusedAtDeployUntilGrantedAndAtRunTimeAfterARevoke() {
    plugin
        .catalogs(ALICE, "team-a")
        .put(new CatalogInfo("lake", "generic_in_memory", Optional.of("db1"), Map.of()));
    Workflow ddl =
        Workflow.builder("uses_lake")
            .task(
                "ddl",
                "flink_sql",
                t ->
                    t.option(
                            "sql",
                            "CREATE TABLE lake.db1.t (id BIGINT) WITH ('connector' = 'blackhole')")
                        .option("catalogs", List.of("team-a/lake")))
            .build();
    PlatformClient asBob = platform.client(BOB, "team-b");

    assertThatThrownBy(() -> asBob.deploy(ddl))
        .isInstanceOfSatisfying(
            WorkflowValidationException.class,
            e ->
                assertThat(e.problems())
                    .containsExactly(
                        "task 'ddl': option 'catalogs': workspace 'team-a' does not grant"
                            + " catalog 'lake' to workspace 'team-b'"));
    assertThat(asBob.workflow("uses_lake")).isEmpty();

    system("team-a").grant("team-b", FlinkCatalogs.GRANT_KIND, "lake");
    asBob.deploy(ddl);
    // the granted catalog is registered under its plain name: the DDL-only script runs
    long ok = asBob.trigger("uses_lake");
    assertThat(asBob.awaitRun(ok, Duration.ofSeconds(60)).state()).isEqualTo(RunState.SUCCESS);

    system("team-a").revoke("team-b", FlinkCatalogs.GRANT_KIND, "lake");
    long refused = asBob.trigger("uses_lake");
    assertThat(asBob.awaitRun(refused, Duration.ofSeconds(60)).state()).isEqualTo(RunState.FAILED);
    TaskAttempt attempt = asBob.attempts(refused).get(0);
    assertThat(attempt.message().orElseThrow())
        .contains(
            "option 'catalogs': workspace 'team-a' does not grant catalog 'lake' to workspace"
                + " 'team-b'");
    assertThat(plugin.jobs().job(attempt.id())).isEmpty(); // nothing was submitted

    // a plain name is the task's own workspace's: team-b has no 'lake'
    assertThatThrownBy(
            () ->
                plugin
                    .runtime()
                    .store
                    .catalogs
                    .named("team-b", List.of("lake"), plugin.runtime().store.access))
        .isInstanceOf(FlinkTaskException.class)
        .hasMessageContaining("unknown catalog [lake]");
  }

  @Test
  void aFunctionOfAnotherWorkspaceNeedsAFunctionGrantAtDeployAndAtRunTime() {
    plugin
        .functions(ALICE, "team-a")
        .put(new FunctionInfo("twice", "com.example.Twice", Optional.empty()));
    Workflow wf =
        Workflow.builder("uses_twice")
            .task(
                "ddl",
                "flink_sql",
                t ->
                    t.option("sql", "CREATE TABLE t (id BIGINT) WITH ('connector' = 'blackhole')")
                        .option("functions", List.of("team-a/twice")))
            .build();
    // a catalog grant is no function grant
    system("team-a").grant("team-b", FlinkCatalogs.GRANT_KIND, "*");
    assertThatThrownBy(() -> platform.client(BOB, "team-b").deploy(wf))
        .isInstanceOf(WorkflowValidationException.class)
        .hasMessageContaining("workspace 'team-a' does not grant function 'twice'");
    // a granted name that team-a does not have: reported without team-a's other names
    FlinkStore store = plugin.runtime().store;
    assertThatThrownBy(() -> store.catalogs.named("team-b", List.of("team-a/nope"), store.access))
        .isInstanceOf(FlinkTaskException.class)
        .hasMessage("unknown catalog [nope] in t_catalog_info of workspace 'team-a'");
    system("team-a").revoke("team-b", FlinkCatalogs.GRANT_KIND, "*");

    system("team-a").grant("team-b", FlinkFunctions.GRANT_KIND, "twice");
    PlatformClient asBob = platform.client(BOB, "team-b");
    asBob.deploy(wf);
    system("team-a").revoke("team-b", FlinkFunctions.GRANT_KIND, "twice");
    long run = asBob.trigger("uses_twice");
    assertThat(asBob.awaitRun(run, Duration.ofSeconds(60)).state()).isEqualTo(RunState.FAILED);
    TaskAttempt attempt = asBob.attempts(run).get(0);
    assertThat(attempt.message().orElseThrow())
        .contains(
            "option 'functions': workspace 'team-a' does not grant function 'twice' to workspace"
                + " 'team-b'");
    assertThat(plugin.jobs().job(attempt.id())).isEmpty();
  }

  @Test
  void aJobRecordsItsRunsWorkspaceAndItsSavepointsGoThere() {
    FlinkRuntime rt = plugin.runtime();
    FlinkJobInfo job =
        new FlinkJobInfo(
            424242,
            0,
            "0".repeat(31) + "7",
            "etl",
            "stream",
            "session",
            "http://127.0.0.1:1",
            "RUNNING",
            0,
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            java.time.Instant.now(),
            Optional.empty());
    assertThat(rt.store.jobs.insert(job, "team-a", 1, 0)).isTrue();
    assertThat(plugin.jobs().jobs("team-a", "etl", "stream"))
        .extracting(FlinkJobInfo::jobId)
        .containsExactly(job.jobId());
    assertThat(plugin.jobs().jobs("team-b", "etl", "stream")).isEmpty();
    assertThat(plugin.jobs().jobs("etl", "stream")).isEmpty(); // the default workspace's

    SavepointRecord sp =
        rt.savepoints.record(job, SavepointRecord.Kind.SAVEPOINT, "file:///sp/team-a/1");
    assertThat(plugin.jobs().savepoints("team-a", "etl", "stream")).containsExactly(sp);
    assertThat(plugin.jobs().savepoints("team-b", "etl", "stream")).isEmpty();
  }

  @Test
  void aSavepointRecordAndItsAuditRowCommitOrRollBackTogether() throws Exception {
    FlinkRuntime rt = plugin.runtime();
    FlinkJobInfo job =
        new FlinkJobInfo(
            434343,
            0,
            "0".repeat(31) + "8",
            "audited",
            "stream",
            "session",
            "http://127.0.0.1:1",
            "RUNNING",
            0,
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            java.time.Instant.now(),
            Optional.empty());
    assertThat(rt.store.jobs.insert(job, "team-a", 1, 0)).isTrue();
    SavepointStore.Auditor byAlice =
        (c, sp) ->
            rt.store.access.audit(
                c, ALICE, "team-a", "flink.savepoint", "flink-job:" + job.jobId(), "sp " + sp.id());

    // the audit row is written, then the transaction fails: neither the record nor the row stays
    SavepointStore.Auditor failing =
        (c, sp) -> {
          byAlice.audit(c, sp);
          throw new java.sql.SQLException("refused after the audit row");
        };
    assertThatThrownBy(
            () ->
                rt.savepoints.record(
                    job,
                    SavepointRecord.Kind.SAVEPOINT,
                    "file:///sp/audited/1",
                    Optional.of(failing)))
        .isInstanceOf(FlinkTaskException.class)
        .hasMessageContaining("refused after the audit row");
    assertThat(plugin.jobs().savepoints("team-a", "audited", "stream")).isEmpty();
    assertThat(audit("team-a", "alice"))
        .noneMatch(e -> e.target().equals("flink-job:" + job.jobId()));

    SavepointRecord sp =
        rt.savepoints.record(
            job, SavepointRecord.Kind.SAVEPOINT, "file:///sp/audited/1", Optional.of(byAlice));
    assertThat(plugin.jobs().savepoints("team-a", "audited", "stream")).containsExactly(sp);
    assertThat(audit("team-a", "alice"))
        .filteredOn(e -> e.target().equals("flink-job:" + job.jobId()))
        .extracting(AuditEntry::digest)
        .containsExactly("sp " + sp.id());

    // the supervisor finding the same path adds neither a record nor a row
    assertThat(rt.savepoints.record(job, SavepointRecord.Kind.SAVEPOINT, "file:///sp/audited/1"))
        .isEqualTo(sp);
    assertThat(plugin.jobs().savepoints("team-a", "audited", "stream")).containsExactly(sp);
    assertThat(audit("team-a", "alice"))
        .filteredOn(e -> e.target().equals("flink-job:" + job.jobId()))
        .hasSize(1);
  }

  /**
   * The record of a cluster action that happened (it cannot roll back) is tried twice; when both
   * fail, the action is audited alone saying so, and when even that fails the caller hears that it
   * is not audited (the log names it).
   */
  @Test
  void aSavepointWhoseRecordFailsIsTriedTwiceThenAuditedAlone() throws Exception {
    FlinkRuntime rt = plugin.runtime();
    FlinkJobInfo job =
        new FlinkJobInfo(
            454545,
            0,
            "0".repeat(31) + "9",
            "blip",
            "stream",
            "session",
            "http://127.0.0.1:1",
            "RUNNING",
            0,
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            java.time.Instant.now(),
            Optional.empty());
    assertThat(rt.store.jobs.insert(job, "team-a", 1, 0)).isTrue();
    SavepointRecorder.Audit byAlice =
        new SavepointRecorder.Audit(
            ALICE, "team-a", FlinkRuntime.STOP_ACTION, job, sp -> "stopped with " + sp);
    String target = "flink-job:" + job.jobId();

    // a blip: the first insert is refused (a MyISAM counter survives the rollback), the retry lands
    update("CREATE TABLE test_blips (n INT NOT NULL) ENGINE=MyISAM");
    update("INSERT INTO test_blips VALUES (0)");
    update(
        "CREATE TRIGGER blip_savepoint BEFORE INSERT ON t_savepoint FOR EACH ROW BEGIN"
            + " UPDATE test_blips SET n = n + 1;"
            + " IF (SELECT n FROM test_blips) = 1 THEN"
            + " SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'a blip'; END IF; END");
    SavepointRecord sp;
    try {
      sp =
          rt.savepoints.recordAudited(
              job, SavepointRecord.Kind.STOP_SAVEPOINT, "file:///sp/blip/1", byAlice);
    } finally {
      update("DROP TRIGGER blip_savepoint");
    }
    assertThat(rows("SELECT n FROM test_blips")).isEqualTo(2);
    update("DROP TABLE test_blips");
    assertThat(plugin.jobs().savepoints("team-a", "blip", "stream")).containsExactly(sp);
    assertThat(audit("team-a", "alice"))
        .filteredOn(e -> e.target().equals(target))
        .extracting(AuditEntry::digest)
        .containsExactly("stopped with savepoint " + sp.id() + " (blip.stream)");

    // refused twice: the audit row alone says so
    update(
        "CREATE TRIGGER refuse_savepoint BEFORE INSERT ON t_savepoint FOR EACH ROW"
            + " SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'no savepoints today'");
    SavepointNotRecordedException audited;
    SavepointNotRecordedException unaudited;
    try {
      audited =
          catchThrowableOfType(
              SavepointNotRecordedException.class,
              () ->
                  rt.savepoints.recordAudited(
                      job, SavepointRecord.Kind.STOP_SAVEPOINT, "file:///sp/blip/2", byAlice));
      // and with the audit trail refusing too, the caller learns the action is not audited
      update(
          "CREATE TRIGGER refuse_audit BEFORE INSERT ON t_audit FOR EACH ROW"
              + " SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'no audit today'");
      // slf4j-simple writes to System.err as it is at each line: catch the ERROR lines here
      java.io.PrintStream err = System.err;
      java.io.ByteArrayOutputStream logged = new java.io.ByteArrayOutputStream();
      System.setErr(new java.io.PrintStream(logged, true, java.nio.charset.StandardCharsets.UTF_8));
      try {
        unaudited =
            catchThrowableOfType(
                SavepointNotRecordedException.class,
                () ->
                    rt.savepoints.recordAudited(
                        job, SavepointRecord.Kind.STOP_SAVEPOINT, "file:///sp/blip/3", byAlice));
      } finally {
        System.setErr(err);
        update("DROP TRIGGER refuse_audit");
      }
      err.print(logged.toString(java.nio.charset.StandardCharsets.UTF_8));
      // what an operator needs to write the row by hand: actor, workspace, action, job, path
      assertThat(logged.toString(java.nio.charset.StandardCharsets.UTF_8).lines())
          .filteredOn(l -> l.contains("ERROR") && l.contains("UNAUDITED"))
          .singleElement()
          .satisfies(
              l ->
                  assertThat(l)
                      .contains("actor alice")
                      .contains("workspace 'team-a'")
                      .contains("action flink.stop")
                      .contains("Flink job " + job.jobId())
                      .contains("file:///sp/blip/3"));
    } finally {
      update("DROP TRIGGER refuse_savepoint");
    }
    assertThat(audited).isNotNull();
    assertThat(audited.audited()).isTrue();
    assertThat(audited.path()).isEqualTo("file:///sp/blip/2");
    assertThat(audited.action()).isEqualTo("flink.stop");
    assertThat(audited.jobId()).isEqualTo(job.jobId());
    assertThat(audited).hasStackTraceContaining("no savepoints today");
    assertThat(unaudited).isNotNull();
    assertThat(unaudited.audited()).isFalse();
    assertThat(unaudited.getMessage()).contains("not in the audit trail");
    assertThat(unaudited).hasStackTraceContaining("no audit today");

    assertThat(plugin.jobs().savepoints("team-a", "blip", "stream")).containsExactly(sp);
    List<AuditEntry> rows =
        audit("team-a", "alice").stream().filter(e -> e.target().equals(target)).toList();
    assertThat(rows).extracting(AuditEntry::action).containsExactly("flink.stop", "flink.stop");
    assertThat(rows.get(0).digest())
        .startsWith(
            "stopped with savepoint at file:///sp/blip/2 (blip.stream); savepoint not recorded:"
                + " cannot record STOP_SAVEPOINT file:///sp/blip/2 of blip.stream")
        .endsWith("no savepoints today");
  }

  @Test
  void aTaskRestoresOnlySavepointsOfItsOwnWorkspace() {
    FlinkStore store = plugin.runtime().store;
    SavepointRecord theirs =
        store.savepoints.insert(
            "team-a", "etl", "t", 1, "0".repeat(32), SavepointRecord.Kind.SAVEPOINT, "file:///x");
    assertThat(plugin.jobs().savepoints("team-a", "etl", "t")).containsExactly(theirs);
    assertThat(plugin.jobs().savepoints("team-b", "etl", "t")).isEmpty();
    assertThat(plugin.jobs().savepoints("etl", "t")).isEmpty(); // the default workspace's

    PlatformClient b = system("team-b");
    b.deploy(
        Workflow.builder("etl")
            .task(
                "t",
                "flink_sql",
                t ->
                    t.option("sql", "CREATE TABLE t (id BIGINT) WITH ('connector' = 'blackhole')")
                        .option("restore_from", "savepoint:" + theirs.id()))
            .build());
    long run = b.trigger("etl");
    assertThat(b.awaitRun(run, Duration.ofSeconds(60)).state()).isEqualTo(RunState.FAILED);
    assertThat(b.attempts(run).get(0).message().orElseThrow())
        .contains("restore_from: savepoint " + theirs.id() + " does not exist");
  }

  private static long rows(String sql) throws Exception {
    try (Connection c = platforms.dataSource().getConnection();
        PreparedStatement s = c.prepareStatement(sql);
        ResultSet r = s.executeQuery()) {
      r.next();
      return r.getLong(1);
    }
  }

  private static void update(String sql) throws Exception {
    try (Connection c = platforms.dataSource().getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      s.executeUpdate();
    }
  }
}

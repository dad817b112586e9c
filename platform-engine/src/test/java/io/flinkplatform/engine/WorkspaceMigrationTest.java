package io.flinkplatform.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.flinkplatform.engine.dag.TaskDefinition;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.dag.WorkflowJson;
import io.flinkplatform.engine.internal.common.Json;
import io.flinkplatform.engine.internal.store.Schema;
import io.flinkplatform.engine.run.RerunRequest;
import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.run.TaskAttempt;
import io.flinkplatform.engine.run.TaskState;
import io.flinkplatform.engine.run.WorkflowRun;
import io.flinkplatform.engine.schedule.Backfill;
import io.flinkplatform.engine.schedule.Schedule;
import io.flinkplatform.engine.testing.Await;
import io.flinkplatform.engine.testing.ManualClock;
import io.flinkplatform.engine.testing.ManualPlatform;
import io.flinkplatform.engine.testing.TestDatabase;
import io.flinkplatform.engine.testing.TestPlatforms;
import io.flinkplatform.engine.testing.TestTasks;
import io.flinkplatform.spi.AccessDeniedException;
import io.flinkplatform.spi.Actor;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * Migration of a database created by the previous release (schema V10, rows as its StoreMapper
 * wrote them) into the default workspace, with nothing lost: schema V11 moves every workflow, run,
 * schedule, backfill and limit into the workspace "default", where the system actor and members of
 * "default" find them under their old names and where they keep running.
 */
class WorkspaceMigrationTest {
  private static final String LOCATION = "classpath:io/flinkplatform/engine/db/migration";
  private static final String HISTORY = "flink_platform_schema_history";
  private static final String LONG_NAME = "w" + "x".repeat(127);
  private static final String LONG_POOL = "p" + "y".repeat(63);

  /** The tables the previous release wrote (besides the schema history). */
  private static final List<String> OLD_TABLES =
      List.of(
          "t_job_flow",
          "t_job",
          "t_job_flow_run",
          "t_job_run",
          "t_worker",
          "t_schedule",
          "t_backfill",
          "t_pool",
          "t_installation",
          "t_housekeeping",
          "t_key_check");

  @Test
  void previousReleaseDatabaseMigratesIntoDefaultWorkspaceWithNothingLost() throws Exception {
    String url = TestDatabase.get().newDatabaseUrl();
    try (HikariDataSource ds = TestDatabase.pool(url)) {
      // the schema exactly as the previous release (1cae424) left it: migrations up to V10
      Flyway.configure()
          .dataSource(ds)
          .locations(LOCATION)
          .table(HISTORY)
          .target("10")
          .load()
          .migrate();
      assertThat(columns(ds, "t_job_flow")).doesNotContain("workspace");
      Fixture f = new Fixture(System.currentTimeMillis());
      f.write(ds);
      Map<String, Long> before = counts(ds);

      // 1. the current release migrates (SchemaMode.MIGRATE) and reads everything back, without
      // any loop running yet
      ManualClock clock = new ManualClock(Instant.ofEpochMilli(f.now));
      try (ManualPlatform manual =
          ManualPlatform.builder()
              .dataSource(ds)
              .clock(clock)
              .plugin(new TestTasks())
              .configure(
                  p ->
                      p.discoverPlugins(false)
                          .schemaMode(SchemaMode.MIGRATE)
                          .logDirectory(TestPlatforms.logDirectory(url)))
              .build()) {
        assertThat(columns(ds, "t_job_flow")).contains("workspace", "created_by");
        Map<String, Long> after = counts(ds);
        // the manual instance registered itself: one t_worker row more, the old one kept
        before.put("t_worker", before.get("t_worker") + 1);
        assertThat(after).isEqualTo(before);
        assertThat(strings(ds, "SELECT name FROM t_worker")).contains(f.oldWorker);
        assertThat(strings(ds, "SELECT installation_id FROM t_installation"))
            .containsExactly(f.installationId);
        assertThat(strings(ds, "SELECT name FROM t_workspace")).containsExactly("default");
        for (String table : List.of("t_job_flow", "t_job_flow_run", "t_schedule", "t_backfill")) {
          assertThat(strings(ds, "SELECT DISTINCT workspace FROM " + table))
              .as(table)
              .containsExactly("default");
        }
        assertThat(strings(ds, "SELECT DISTINCT triggered_by FROM t_job_flow_run"))
            .containsExactly("system");
        assertThat(strings(ds, "SELECT DISTINCT created_by FROM t_job_flow"))
            .containsExactly("system");
        // limits of a workspace are stored qualified; task type limits stay the platform's
        assertThat(strings(ds, "SELECT CONCAT(kind, ':', name, ':', slots) FROM t_pool"))
            .containsExactlyInAnyOrder(
                "POOL:default/etl:1",
                "POOL:default/" + LONG_POOL + ":2",
                "TASK_TYPE:sleep:4",
                "WORKFLOW:default/etl:2",
                "RUNS:default/etl:3",
                "WORKFLOW:default/" + LONG_NAME + ":1",
                "RUNS:default/" + LONG_NAME + ":1");
        assertThat(strings(ds, "SELECT DISTINCT pool FROM t_job WHERE pool IS NOT NULL"))
            .containsExactlyInAnyOrder("default/etl", "default/" + LONG_POOL);
        assertThat(strings(ds, "SELECT DISTINCT pool FROM t_job_run WHERE pool IS NOT NULL"))
            .containsExactlyInAnyOrder("default/etl", "default/" + LONG_POOL);
        assertThat(strings(ds, "SELECT CONCAT(parent_attempt_id, ':', depth) FROM t_job_flow_run"))
            .contains(f.callAttempt + ":1");

        PlatformClient c = manual.client();
        assertEverythingReadable(c, f);
        assertThat(c.limits())
            .extracting(l -> l.kind() + ":" + l.name() + ":" + l.slots() + ":" + l.running())
            .containsExactlyInAnyOrder(
                "POOL:etl:1:0",
                "POOL:" + LONG_POOL + ":2:0",
                "TASK_TYPE:sleep:4:0",
                "WORKFLOW:etl:2:0",
                "RUNS:etl:3:1",
                "WORKFLOW:" + LONG_NAME + ":1:0",
                "RUNS:" + LONG_NAME + ":1:0");

        // a member of "default" reads the old runs; anyone else is refused
        execute(
            ds,
            "INSERT INTO t_member (workspace, principal, role, created_at, created_by)"
                + " VALUES ('default', 'u', 'VIEWER', "
                + f.now
                + ", 'system')");
        PlatformClient member = manual.client(Actor.user("u"), "default");
        assertEverythingReadable(member, f);
        PlatformClient stranger = manual.client(Actor.user("stranger"), "default");
        assertThatThrownBy(() -> stranger.run(f.r1)).isInstanceOf(AccessDeniedException.class);
        assertThatThrownBy(() -> stranger.runs("etl", 10))
            .isInstanceOf(AccessDeniedException.class);
      }

      // 2. a running instance of the current release carries on with the old rows
      Platform platform =
          TestPlatforms.builder(ds, "current")
              .labels("gpu")
              .schemaMode(SchemaMode.MIGRATE)
              .build()
              .start();
      try {
        PlatformClient c = platform.client();
        // the RUNNING run goes on: its READY attempt in the pool, then the gpu-labelled task
        assertThat(c.awaitRun(f.r3, Duration.ofSeconds(60)).state()).isEqualTo(RunState.SUCCESS);
        // held backfill runs are admitted one at a time and run
        Await.until(() -> c.backfillStatus(f.backfill).state() == Backfill.State.SUCCESS);
        assertThat(c.backfillStatus(f.backfill).runsByState())
            .isEqualTo(Map.of(RunState.SUCCESS, 3));
        assertThat(c.run(f.d2).orElseThrow().logicalDate()).isEqualTo(Instant.ofEpochMilli(f.day2));
        // the schedule fires at the next fire time it had
        Await.until(() -> scheduledRun(ds, f) != null);
        long fired = scheduledRun(ds, f);
        assertThat(c.awaitRun(fired, Duration.ofSeconds(60)).state()).isEqualTo(RunState.SUCCESS);
        assertThat(c.run(fired).orElseThrow().logicalDate())
            .isEqualTo(Instant.ofEpochMilli(f.nextFire));
        assertThat(c.schedule("etl-hourly").orElseThrow().lastFireTime())
            .contains(Instant.ofEpochMilli(f.nextFire));
        // the old workflow is triggered (its latest version) and runs within its pool limit
        long t1 = c.trigger("etl");
        long t2 = c.trigger("etl");
        assertThat(c.awaitRun(t1, Duration.ofSeconds(60)).state()).isEqualTo(RunState.SUCCESS);
        assertThat(c.awaitRun(t2, Duration.ofSeconds(60)).state()).isEqualTo(RunState.SUCCESS);
        assertThat(c.run(t1).orElseThrow().workflowVersion()).isEqualTo(2);
        // a rerun of an old finished (failed) run
        c.rerun(RerunRequest.failedTasks(f.r2));
        assertThat(c.awaitRun(f.r2, Duration.ofSeconds(60)).state()).isEqualTo(RunState.SUCCESS);
        assertThat(c.attempts(f.r2))
            .filteredOn(a -> a.taskId().equals("load"))
            .extracting(TaskAttempt::attempt, TaskAttempt::state)
            .containsExactly(
                org.assertj.core.groups.Tuple.tuple(1, TaskState.FAILED),
                org.assertj.core.groups.Tuple.tuple(2, TaskState.SUCCESS));
        // pool "etl" has one slot: the load attempts of all these runs never overlapped
        List<Instant[]> loads = new ArrayList<>();
        for (long run : List.of(f.r3, fired, t1, t2, f.r2)) {
          for (TaskAttempt a : c.attempts(run)) {
            if (a.taskId().equals("load") && a.state() == TaskState.SUCCESS) {
              loads.add(new Instant[] {a.startedAt().orElseThrow(), a.endedAt().orElseThrow()});
            }
          }
        }
        assertThat(loads).hasSize(5);
        assertThat(maxOverlap(loads)).isEqualTo(1);
        assertThat(
                strings(
                    ds,
                    "SELECT DISTINCT pool FROM t_job_run WHERE task_id = 'load' AND flow_run_id IN ("
                        + t1
                        + ", "
                        + t2
                        + ")"))
            .containsExactly("default/etl");
        assertThat(strings(ds, "SELECT DISTINCT workspace FROM t_job_flow_run"))
            .containsExactly("default");
        // the old rows are all still there
        Map<String, Long> now = counts(ds);
        for (String table : List.of("t_job_flow", "t_job", "t_schedule", "t_backfill")) {
          assertThat(now.get(table)).as(table).isEqualTo(before.get(table));
        }
        assertThat(now.get("t_job_flow_run")).isEqualTo(before.get("t_job_flow_run") + 3);
      } finally {
        platform.stop();
      }
    }
  }

  /**
   * V11 resumes after the instance died after any of its statements (no history row was written, so
   * the next start runs the whole file again): it finishes with the schema and rows of a migration
   * that never stopped, and names no pool twice "default/".
   */
  @Test
  void workspacesMigrationResumesAfterDyingAfterAnyStatement() throws Exception {
    List<String> statements = v11Statements();
    assertThat(statements).hasSizeGreaterThan(10);
    Map<String, List<String>> reference;
    try (HikariDataSource ds = TestDatabase.get().newDatabase()) {
      migrateToV10WithLimits(ds);
      Schema.apply(ds, SchemaMode.MIGRATE);
      reference = shape(ds);
    }
    assertThat(reference.get("pools"))
        .containsExactlyInAnyOrder(
            "POOL:default/etl", "TASK_TYPE:sleep", "WORKFLOW:default/etl", "RUNS:default/etl");
    for (int done = 1; done < statements.size(); done++) {
      try (HikariDataSource ds = TestDatabase.get().newDatabase()) {
        migrateToV10WithLimits(ds);
        try (Connection c = ds.getConnection();
            Statement s = c.createStatement()) {
          for (String sql : statements.subList(0, done)) {
            s.execute(sql);
          }
        }
        Schema.apply(ds, SchemaMode.MIGRATE);
        assertThat(shape(ds))
            .as("after dying behind statement %s: %s", done, statements.get(done - 1))
            .isEqualTo(reference);
      }
    }
  }

  /**
   * A server whose default row format is COMPACT (key columns of at most 767 bytes) made the
   * previous release's tables so; V11 still widens t_pool.name for a 128-character workflow's
   * limits qualified as default/name.
   */
  @Test
  void workspacesMigrationWidensPoolNamesOfCompactTables() throws Exception {
    try (HikariDataSource ds = TestDatabase.get().newDatabase()) {
      migrateToV10WithLimits(ds);
      for (String table : OLD_TABLES) {
        execute(ds, "ALTER TABLE " + table + " ROW_FORMAT = COMPACT");
      }
      try (Connection c = ds.getConnection()) {
        exec(
            c,
            "INSERT INTO t_pool (kind, name, slots, updated_at) VALUES ('WORKFLOW', ?, 2, 1)",
            LONG_NAME);
      }
      Schema.apply(ds, SchemaMode.MIGRATE);
      assertThat(strings(ds, "SELECT name FROM t_pool WHERE kind = 'WORKFLOW'"))
          .containsExactlyInAnyOrder("default/etl", "default/" + LONG_NAME);
    }
  }

  private static void migrateToV10WithLimits(DataSource ds) throws SQLException {
    Flyway.configure()
        .dataSource(ds)
        .locations(LOCATION)
        .table(HISTORY)
        .target("10")
        .load()
        .migrate();
    try (Connection c = ds.getConnection()) {
      long flow =
          insert(
              c,
              "INSERT INTO t_job_flow (name, version, description, definition, created_at)"
                  + " VALUES ('etl', 1, '', '{}', 1)");
      exec(
          c,
          "INSERT INTO t_job (flow_id, task_id, type, options, trigger_rule, max_retries,"
              + " timeout_ms, priority, label, pool)"
              + " VALUES (?, 'load', 'sleep', '{}', 'ALL_SUCCESS', 0, NULL, 0, '', 'etl')",
          flow);
      long run =
          insert(
              c,
              "INSERT INTO t_job_flow_run (flow_id, flow_name, flow_version, state, logical_date,"
                  + " params, created_at, priority) VALUES (?, 'etl', 1, 'RUNNING', 1, '{}', 1, 0)",
              flow);
      exec(
          c,
          "INSERT INTO t_job_run (flow_run_id, flow_id, task_id, attempt, state, neg_priority,"
              + " ready_at, created_at, task_type, label, pool, rerun_base)"
              + " VALUES (?, ?, 'load', 1, 'READY', 0, 1, 1, 'sleep', '', 'etl', 0)",
          run,
          flow);
      for (String kind : List.of("POOL", "WORKFLOW", "RUNS")) {
        exec(c, "INSERT INTO t_pool (kind, name, slots, updated_at) VALUES (?, 'etl', 1, 1)", kind);
      }
      exec(
          c,
          "INSERT INTO t_pool (kind, name, slots, updated_at) VALUES ('TASK_TYPE', 'sleep', 1, 1)");
    }
  }

  /** V11's statements as the file has them, comments left out. */
  private static List<String> v11Statements() throws Exception {
    String file;
    try (var in =
        Schema.class.getResourceAsStream(
            "/io/flinkplatform/engine/db/migration/V11__workspaces.sql")) {
      file = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    StringBuilder sql = new StringBuilder();
    for (String line : file.split("\n")) {
      if (!line.trim().startsWith("--")) {
        sql.append(line).append('\n');
      }
    }
    List<String> out = new ArrayList<>();
    for (String s : sql.toString().split(";\\s*\\n")) {
      if (!s.isBlank()) {
        out.add(s.trim());
      }
    }
    return out;
  }

  /** The schema's tables, columns and indexes, and the rows V11 writes or renames. */
  private static Map<String, List<String>> shape(DataSource ds) throws SQLException {
    Map<String, List<String>> out = new TreeMap<>();
    out.put(
        "columns",
        strings(
            ds,
            "SELECT CONCAT_WS(' ', table_name, ordinal_position, column_name, column_type,"
                + " is_nullable, IFNULL(column_default, 'none'))"
                + " FROM information_schema.columns WHERE table_schema = DATABASE()"
                + " AND table_name NOT LIKE 'flink_platform_schema_history%'"
                + " ORDER BY table_name, ordinal_position"));
    out.put(
        "indexes",
        strings(
            ds,
            "SELECT CONCAT_WS(' ', table_name, index_name, non_unique, seq_in_index, column_name)"
                + " FROM information_schema.statistics WHERE table_schema = DATABASE()"
                + " AND table_name NOT LIKE 'flink_platform_schema_history%'"
                + " ORDER BY table_name, index_name, seq_in_index"));
    out.put("pools", strings(ds, "SELECT CONCAT(kind, ':', name) FROM t_pool ORDER BY kind, name"));
    out.put("jobs", strings(ds, "SELECT pool FROM t_job ORDER BY id"));
    out.put("attempts", strings(ds, "SELECT pool FROM t_job_run ORDER BY id"));
    out.put("workspaces", strings(ds, "SELECT CONCAT(name, ':', created_by) FROM t_workspace"));
    out.put(
        "grants", strings(ds, "SELECT CONCAT_WS(':', workspace, kind, owner, name) FROM t_grant"));
    out.put(
        "rows",
        strings(
            ds, "SELECT CONCAT_WS(':', workspace, flow_name, triggered_by) FROM t_job_flow_run"));
    return out;
  }

  /** Everything the fixture wrote, read back through the client as the old release showed it. */
  private static void assertEverythingReadable(PlatformClient c, Fixture f) {
    assertThat(c.workflow("etl").orElseThrow().version()).isEqualTo(2);
    assertThat(c.workflow("etl").orElseThrow().workflow()).isEqualTo(f.etl2);
    assertThat(c.workflow("etl", 1).orElseThrow().workflow()).isEqualTo(f.etl1);
    assertThat(c.workflow("etl", 1).orElseThrow().createdAt())
        .isEqualTo(Instant.ofEpochMilli(f.now - 10 * DAY));
    assertThat(c.workflow(LONG_NAME).orElseThrow().workflow()).isEqualTo(f.longNamed);
    assertThat(c.workflow("child").orElseThrow().version()).isEqualTo(1);

    for (WorkflowRun expected : f.runs.values()) {
      assertThat(c.run(expected.id())).as("run %s", expected.id()).contains(expected);
    }
    assertThat(c.runs("etl", 10))
        .extracting(WorkflowRun::id)
        .containsExactly(f.r4, f.r3, f.r2, f.r1);
    assertThat(c.runs("daily", 10)).extracting(WorkflowRun::id).containsExactly(f.d3, f.d2, f.d1);
    for (Map.Entry<Long, List<String>> e : f.attempts.entrySet()) {
      assertThat(c.attempts(e.getKey()))
          .as("attempts of run %s", e.getKey())
          .extracting(WorkspaceMigrationTest::describe)
          .containsExactlyInAnyOrderElementsOf(e.getValue());
    }

    Schedule s = c.schedule("etl-hourly").orElseThrow();
    assertThat(s.nextFireTime()).contains(Instant.ofEpochMilli(f.nextFire));
    assertThat(s.lastFireTime()).contains(Instant.ofEpochMilli(f.lastFire));
    assertThat(s.paused()).isFalse();
    assertThat(s.spec().workflowName()).isEqualTo("etl");
    assertThat(s.spec().cron()).isEqualTo("0 * * * *");
    assertThat(s.spec().zone().getId()).isEqualTo("Europe/Berlin");
    assertThat(s.spec().parameters()).isEqualTo(Map.of("env", "sched"));
    assertThat(c.schedules()).extracting(Schedule::id).containsExactly(s.id());

    Backfill b = c.backfillStatus(f.backfill);
    assertThat(b.workflowName()).isEqualTo("daily");
    assertThat(b.firstLogicalDate()).isEqualTo(Instant.ofEpochMilli(f.day1));
    assertThat(b.lastLogicalDate()).isEqualTo(Instant.ofEpochMilli(f.day3));
    assertThat(b.runs()).isEqualTo(3);
    assertThat(b.parallelism()).isEqualTo(1);
    assertThat(b.state()).isEqualTo(Backfill.State.RUNNING);
    assertThat(b.runsByState()).isEqualTo(Map.of(RunState.SUCCESS, 1, RunState.CREATED, 2));
  }

  private static String describe(TaskAttempt a) {
    return a.taskId()
        + "#"
        + a.attempt()
        + " "
        + a.state()
        + " outputs="
        + new TreeMap<>(a.outputs())
        + " ref="
        + a.externalRef().orElse("-")
        + " log="
        + a.logPath().orElse("-")
        + " message="
        + a.message().orElse("-")
        + " owner="
        + a.owner().orElse("-");
  }

  private static final long DAY = 86_400_000L;
  private static final long HOUR = 3_600_000L;

  /**
   * Rows as the previous release's StoreMapper wrote them (its column lists, its JSON, its enum
   * names), for a database that ran for a while: two versions of a workflow with pools and labels
   * and workflow limits, finished, failed and running runs with retries, outputs, log paths and
   * external refs, a schedule that fired, a backfill with held runs, a sub-workflow child run.
   */
  private static final class Fixture {
    final long now;
    final String installationId = UUID.randomUUID().toString();
    final String oldWorker = "old-a#1f2e3d";
    final long nextFire;
    final long lastFire;
    final long day1;
    final long day2;
    final long day3;
    final Workflow etl1;
    final Workflow etl2;
    final Workflow daily;
    final Workflow parent;
    final Workflow child;
    final Workflow longNamed;
    final Map<Long, WorkflowRun> runs = new LinkedHashMap<>();
    final Map<Long, List<String>> attempts = new LinkedHashMap<>();
    long r1;
    long r2;
    long r3;
    long r4;
    long d1;
    long d2;
    long d3;
    long p1;
    long c1;
    long l1;
    long backfill;
    long schedule;
    long callAttempt;
    private final Map<String, Long> flowIds = new LinkedHashMap<>();

    Fixture(long now) {
      this.now = now;
      // far enough ahead that step 1 reads it before any loop could fire it
      this.nextFire = now + 20_000;
      this.lastFire = now - HOUR;
      long midnight = now - now % DAY;
      this.day1 = midnight - 3 * DAY;
      this.day2 = midnight - 2 * DAY;
      this.day3 = midnight - DAY;
      etl1 =
          Workflow.builder("etl")
              .description("first version")
              .parameter("env", "dev")
              .task("extract", "emit", t -> t.option("outputs", Map.of("rows", "10")))
              .task(
                  "load", "sleep", t -> t.option("duration", "200ms").pool("etl").after("extract"))
              .build();
      etl2 =
          Workflow.builder("etl")
              .description("second version")
              .parameter("env", "dev")
              .maxParallelTasks(2)
              .maxActiveRuns(3)
              .task("extract", "emit", t -> t.option("outputs", Map.of("rows", "20")))
              .task(
                  "load", "sleep", t -> t.option("duration", "300ms").pool("etl").after("extract"))
              .task("report", "noop", t -> t.label("gpu").after("load"))
              .build();
      daily = Workflow.builder("daily").task("work", "noop").build();
      parent = Workflow.builder("parent").task("call", "noop").build();
      child = Workflow.builder("child").task("inner", "noop").build();
      longNamed =
          Workflow.builder(LONG_NAME)
              .maxParallelTasks(1)
              .maxActiveRuns(1)
              .task("t", "noop", t -> t.pool(LONG_POOL))
              .build();
    }

    void write(DataSource ds) throws SQLException {
      try (Connection c = ds.getConnection()) {
        c.setAutoCommit(true);
        exec(
            c,
            "INSERT IGNORE INTO t_installation (id, installation_id, created_at) VALUES (1, ?, ?)",
            installationId,
            now - 30 * DAY);
        exec(
            c,
            "INSERT INTO t_worker (name, instance_name, host, pid, version, labels, task_types,"
                + " state, started_at, heartbeat_at, lease_until)"
                + " VALUES (?, 'old-a', 'host-a', 4711, '0.13.0', 'gpu', 'emit,noop,sleep',"
                + " 'STOPPED', ?, ?, ?)",
            oldWorker,
            now - 2 * DAY,
            now - HOUR,
            now - HOUR);
        exec(c, "INSERT IGNORE INTO t_housekeeping (name, lease_until) VALUES ('retention', 0)");
        exec(
            c,
            "UPDATE t_housekeeping SET owner = ?, lease_until = ?, last_run_at = ?"
                + " WHERE name = 'retention'",
            oldWorker,
            now - HOUR,
            now - 2 * HOUR);
        exec(
            c,
            "INSERT INTO t_key_check (key_id, fingerprint, created_at) VALUES ('k1', ?, ?)",
            "00112233445566778899aabbccddeeff",
            now - 30 * DAY);

        deploy(c, etl1, 1, now - 10 * DAY);
        deploy(c, etl2, 2, now - 5 * DAY);
        deploy(c, daily, 1, now - 9 * DAY);
        deploy(c, parent, 1, now - 9 * DAY);
        deploy(c, child, 1, now - 9 * DAY);
        deploy(c, longNamed, 1, now - 9 * DAY);
        // the pools and task type limits the host set (setPool, setTaskTypeLimit)
        pool(c, "POOL", "etl", 1);
        pool(c, "POOL", LONG_POOL, 2);
        pool(c, "TASK_TYPE", "sleep", 4);

        schedule =
            insert(
                c,
                "INSERT INTO t_schedule (name, flow_name, cron, zone, start_at, end_at, paused,"
                    + " dst_gap, dst_overlap, misfire, catch_up_limit, misfire_after_ms, overlap,"
                    + " max_parallel, params, next_fire_at, last_fire_at, created_at, updated_at)"
                    + " VALUES ('etl-hourly', 'etl', '0 * * * *', 'Europe/Berlin', NULL, NULL, 0,"
                    + " 'RUN_AT_NEXT_VALID', 'ONCE', 'FIRE_ONCE', 1, 600000, 'ALLOW', 1, ?, ?, ?,"
                    + " ?, ?)",
                Json.write(Map.of("env", "sched")),
                nextFire,
                lastFire,
                now - 4 * DAY,
                lastFire);
        backfill =
            insert(
                c,
                "INSERT INTO t_backfill (flow_name, first_date, last_date, runs, parallelism,"
                    + " state, created_at) VALUES ('daily', ?, ?, 3, 1, 'RUNNING', ?)",
                day1,
                day3,
                now - 2 * HOUR);

        long t0 = now - 3 * DAY;
        Map<String, String> prod = Map.of("env", "prod");
        // r1: v1, succeeded after a rerun of its failed load
        r1 = run(c, "etl", 1, RunState.SUCCESS, t0, prod, t0, t0 + 1000, t0 + 9000, null, null);
        attempt(c, r1, "etl", 1, "extract", 1, "SUCCESS", null, Map.of("rows", "10"), 0, t0);
        attempt(c, r1, "etl", 1, "load", 1, "FAILED", "etl", null, 0, t0 + 2000);
        attempt(c, r1, "etl", 1, "load", 2, "SUCCESS", "etl", Map.of(), 1, t0 + 5000);
        // r2: v2, failed; its report never ran
        long t2 = now - 2 * DAY;
        r2 = run(c, "etl", 2, RunState.FAILED, t2, Map.of(), t2, t2 + 500, t2 + 4000, null, null);
        attempt(c, r2, "etl", 2, "extract", 1, "SUCCESS", null, Map.of("rows", "20"), 0, t2);
        attempt(c, r2, "etl", 2, "load", 1, "FAILED", "etl", null, 0, t2 + 1000);
        attempt(c, r2, "etl", 2, "report", 1, "UPSTREAM_FAILED", null, null, 0, t2 + 3000);
        // r3: v2, RUNNING: extract done, load READY in pool "etl" (held by the pool when the old
        // instance stopped), report WAITING
        long t3 = now - 10 * 60_000;
        r3 = run(c, "etl", 2, RunState.RUNNING, t3, prod, t3, t3 + 100, null, null, null);
        attempt(c, r3, "etl", 2, "extract", 1, "SUCCESS", null, Map.of("rows", "20"), 0, t3);
        attempt(c, r3, "etl", 2, "load", 1, "READY", "etl", null, 0, t3 + 1000);
        attempt(c, r3, "etl", 2, "report", 1, "WAITING", null, null, 0, t3 + 1000);
        // r4: the schedule's last fire
        r4 =
            run(
                c,
                "etl",
                2,
                RunState.SUCCESS,
                lastFire,
                Map.of("env", "sched"),
                lastFire,
                lastFire + 10,
                lastFire + 5000,
                null,
                null);
        exec(
            c,
            "UPDATE t_job_flow_run SET schedule_id = ?, fire_time = ? WHERE id = ?",
            schedule,
            lastFire,
            r4);
        attempt(c, r4, "etl", 2, "extract", 1, "SUCCESS", null, Map.of("rows", "20"), 0, lastFire);
        attempt(c, r4, "etl", 2, "load", 1, "SUCCESS", "etl", Map.of(), 0, lastFire + 100);
        attempt(c, r4, "etl", 2, "report", 1, "SUCCESS", null, Map.of(), 0, lastFire + 400);
        // the backfill: the first day done, two days held (CREATED, parallelism 1)
        long tb = now - 2 * HOUR;
        d1 = run(c, "daily", 1, RunState.SUCCESS, day1, Map.of(), tb, tb, tb + 100, backfill, 1);
        attempt(c, d1, "daily", 1, "work", 1, "SUCCESS", null, Map.of(), 0, tb);
        d2 = run(c, "daily", 1, RunState.CREATED, day2, Map.of(), tb, null, null, backfill, 1);
        d3 = run(c, "daily", 1, RunState.CREATED, day3, Map.of(), tb, null, null, backfill, 1);
        attempts.put(d2, List.of());
        // a sub-workflow: the parent's attempt started a child run (insertChildRun)
        long tp = now - DAY;
        p1 = run(c, "parent", 1, RunState.SUCCESS, tp, Map.of(), tp, tp, tp + 3000, null, null);
        callAttempt = attempt(c, p1, "parent", 1, "call", 1, "SUCCESS", null, Map.of(), 0, tp);
        c1 =
            insert(
                c,
                "INSERT INTO t_job_flow_run (flow_id, flow_name, flow_version, state,"
                    + " logical_date, params, created_at, started_at, parent_attempt_id, depth,"
                    + " priority) VALUES (?, 'child', 1, 'RUNNING', ?, ?, ?, ?, ?, 1, 0)",
                flowIds.get("child:1"),
                tp,
                Json.write(Map.of("from", "parent")),
                tp + 10,
                tp + 10,
                callAttempt);
        exec(
            c,
            "UPDATE t_job_flow_run SET state = 'SUCCESS', ended_at = ? WHERE id = ?",
            tp + 900,
            c1);
        runs.put(
            c1,
            new WorkflowRun(
                c1,
                "child",
                1,
                RunState.SUCCESS,
                Instant.ofEpochMilli(tp),
                Map.of("from", "parent"),
                Instant.ofEpochMilli(tp + 10),
                Optional.of(Instant.ofEpochMilli(tp + 10)),
                Optional.of(Instant.ofEpochMilli(tp + 900))));
        attempt(c, c1, "child", 1, "inner", 1, "SUCCESS", null, Map.of("x", "1"), 0, tp + 10);
        // a workflow whose name (128 characters) fills t_pool.name as it was
        long tl = now - DAY;
        l1 = run(c, LONG_NAME, 1, RunState.SUCCESS, tl, Map.of(), tl, tl, tl + 50, null, null);
        attempt(c, l1, LONG_NAME, 1, "t", 1, "SUCCESS", LONG_POOL, Map.of(), 0, tl);
      }
    }

    /** As Deployments.store did: the version, its tasks, its workflow limits. */
    private void deploy(Connection c, Workflow w, int version, long at) throws SQLException {
      long id =
          insert(
              c,
              "INSERT INTO t_job_flow (name, version, description, definition, created_at)"
                  + " VALUES (?, ?, ?, ?, ?)",
              w.name(),
              version,
              w.description(),
              WorkflowJson.write(w),
              at);
      flowIds.put(w.name() + ":" + version, id);
      if (w.maxParallelTasks().isPresent()) {
        pool(c, "WORKFLOW", w.name(), w.maxParallelTasks().get());
      } else {
        exec(c, "DELETE FROM t_pool WHERE kind = 'WORKFLOW' AND name = ?", w.name());
      }
      if (w.maxActiveRuns().isPresent()) {
        pool(c, "RUNS", w.name(), w.maxActiveRuns().get());
      } else {
        exec(c, "DELETE FROM t_pool WHERE kind = 'RUNS' AND name = ?", w.name());
      }
      for (TaskDefinition t : w.tasks()) {
        exec(
            c,
            "INSERT INTO t_job (flow_id, task_id, type, options, trigger_rule, max_retries,"
                + " timeout_ms, priority, label, pool) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            id,
            t.id(),
            t.type(),
            Json.write(t.options()),
            t.triggerRule().name(),
            t.retry().maxRetries(),
            t.timeout().map(Duration::toMillis).orElse(null),
            t.priority(),
            t.label().orElse(""),
            t.pool().orElse(null));
      }
    }

    private void pool(Connection c, String kind, String name, int slots) throws SQLException {
      exec(
          c,
          "INSERT INTO t_pool (kind, name, slots, updated_at) VALUES (?, ?, ?, ?)"
              + " ON DUPLICATE KEY UPDATE slots = VALUES(slots), updated_at = VALUES(updated_at)",
          kind,
          name,
          slots,
          now - 5 * DAY);
    }

    /** A run as insertRuns wrote it, then as the run's progress left it. */
    private long run(
        Connection c,
        String flow,
        int version,
        RunState state,
        long logicalDate,
        Map<String, String> params,
        long createdAt,
        Long startedAt,
        Long endedAt,
        Long backfillId,
        Integer maxActive)
        throws SQLException {
      long id =
          insert(
              c,
              "INSERT INTO t_job_flow_run (flow_id, flow_name, flow_version, state, logical_date,"
                  + " params, created_at, started_at, schedule_id, fire_time, backfill_id,"
                  + " max_active, priority) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, ?, ?, 0)",
              flowIds.get(flow + ":" + version),
              flow,
              version,
              state.name(),
              logicalDate,
              Json.write(params),
              createdAt,
              startedAt,
              backfillId,
              maxActive);
      if (endedAt != null) {
        exec(c, "UPDATE t_job_flow_run SET ended_at = ? WHERE id = ?", endedAt, id);
      }
      runs.put(
          id,
          new WorkflowRun(
              id,
              flow,
              version,
              state,
              Instant.ofEpochMilli(logicalDate),
              params,
              Instant.ofEpochMilli(createdAt),
              Optional.ofNullable(startedAt).map(Instant::ofEpochMilli),
              Optional.ofNullable(endedAt).map(Instant::ofEpochMilli)));
      return id;
    }

    /**
     * An attempt as insertAttempts wrote it and as the worker finished it: claimed by the old
     * instance (owner, epoch, lease), with its log path, outputs, message and, for the external
     * "load", its reference.
     */
    private long attempt(
        Connection c,
        long run,
        String flow,
        int version,
        String task,
        int attempt,
        String state,
        String pool,
        Map<String, String> outputs,
        int rerunBase,
        long at)
        throws SQLException {
      String type =
          switch (task) {
            case "extract" -> "emit";
            case "load" -> "sleep";
            default -> "noop";
          };
      String label = task.equals("report") ? "gpu" : "";
      long id =
          insert(
              c,
              "INSERT INTO t_job_run (flow_run_id, flow_id, task_id, attempt, state, neg_priority,"
                  + " ready_at, created_at, task_type, label, pool, rerun_base)"
                  + " VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?)",
              run,
              flowIds.get(flow + ":" + version),
              task,
              attempt,
              "WAITING".equals(state) ? "WAITING" : "READY",
              at,
              at,
              type,
              label,
              pool,
              rerunBase);
      boolean claimed =
          !state.equals("WAITING") && !state.equals("READY") && !state.equals("UPSTREAM_FAILED");
      String owner = claimed ? oldWorker : null;
      String log = claimed ? "etl-logs/" + run + "/" + task + "/" + attempt + ".log" : null;
      String ref =
          claimed && task.equals("load")
              ? Json.write(Map.of("id", "job-" + id, "attributes", Map.of("cluster", "c1")))
              : null;
      String message =
          switch (state) {
            case "FAILED" -> "exit code 1";
            case "UPSTREAM_FAILED" -> "upstream load failed";
            default -> null;
          };
      exec(
          c,
          "UPDATE t_job_run SET state = ?, owner = ?, epoch = ?, lease_until = ?, started_at = ?,"
              + " ended_at = ?, outputs = ?, message = ?, log_path = ?, external_ref = ?"
              + " WHERE id = ?",
          state,
          owner,
          claimed ? 3 : 0,
          claimed ? at + 60_000 : null,
          claimed ? at + 10 : null,
          claimed || state.equals("UPSTREAM_FAILED") ? at + 500 : null,
          outputs == null || !state.equals("SUCCESS") ? null : Json.write(outputs),
          message,
          log,
          ref,
          id);
      attempts
          .computeIfAbsent(run, k -> new ArrayList<>())
          .add(
              task
                  + "#"
                  + attempt
                  + " "
                  + state
                  + " outputs="
                  + new TreeMap<>(outputs == null || !state.equals("SUCCESS") ? Map.of() : outputs)
                  + " ref="
                  + (ref == null ? "-" : ref)
                  + " log="
                  + (log == null ? "-" : log)
                  + " message="
                  + (message == null ? "-" : message)
                  + " owner="
                  + (owner == null ? "-" : owner));
      return id;
    }
  }

  private static Long scheduledRun(DataSource ds, Fixture f) {
    try (Connection c = ds.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT id FROM t_job_flow_run WHERE schedule_id = ? AND fire_time = ?")) {
      s.setLong(1, f.schedule);
      s.setLong(2, f.nextFire);
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? r.getLong(1) : null;
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static int maxOverlap(List<Instant[]> intervals) {
    List<long[]> points = new ArrayList<>();
    for (Instant[] i : intervals) {
      points.add(new long[] {i[0].toEpochMilli(), 1});
      points.add(new long[] {i[1].toEpochMilli(), -1});
    }
    points.sort(Comparator.<long[]>comparingLong(p -> p[0]).thenComparingLong(p -> p[1]));
    int open = 0;
    int max = 0;
    for (long[] p : points) {
      open += (int) p[1];
      max = Math.max(max, open);
    }
    return max;
  }

  private static Map<String, Long> counts(DataSource ds) throws SQLException {
    Map<String, Long> out = new TreeMap<>();
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      for (String t : OLD_TABLES) {
        try (ResultSet r = s.executeQuery("SELECT COUNT(*) FROM " + t)) {
          r.next();
          out.put(t, r.getLong(1));
        }
      }
    }
    return out;
  }

  private static List<String> columns(DataSource ds, String table) throws SQLException {
    return strings(
        ds,
        "SELECT column_name FROM information_schema.columns WHERE table_schema = DATABASE()"
            + " AND table_name = '"
            + table
            + "'");
  }

  private static List<String> strings(DataSource ds, String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery(sql)) {
      while (r.next()) {
        out.add(r.getString(1));
      }
    }
    return out;
  }

  private static void execute(DataSource ds, String sql) throws SQLException {
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private static void exec(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        s.setObject(i + 1, args[i]);
      }
      s.executeUpdate();
    }
  }

  private static long insert(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)) {
      for (int i = 0; i < args.length; i++) {
        s.setObject(i + 1, args[i]);
      }
      s.executeUpdate();
      try (ResultSet k = s.getGeneratedKeys()) {
        k.next();
        return k.getLong(1);
      }
    }
  }
}
